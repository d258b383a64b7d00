# The two commands: `make run` (demo on http://127.0.0.1:8000) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Tests run on the production shape: PostgreSQL and Redis (override by environment).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zhaoshang
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test install install-test system-deps messages lint format check clean bench bench-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed compiled-messages

install-test: system-deps $(VENV)/.installed-test compiled-messages

# gettext compiles the translations; Chromium drives the browser tests (from Debian, since
# Playwright's own browser download cannot reach the internet here); LibreOffice Calc without
# its GUI (`soffice --headless`) checks that the bulletin workbook opens there.
system-deps:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext; }
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }
	@command -v soffice >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-noto-cjk; }

compiled-messages: locale/zh_Hans/LC_MESSAGES/django.mo

locale/zh_Hans/LC_MESSAGES/django.mo: locale/zh_Hans/LC_MESSAGES/django.po | $(BIN)/python
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext; }
	$(MANAGE) compilemessages -l zh_Hans -i .venv -v 0

run: install
	DEBUG=$${DEBUG:-true} $(MANAGE) migrate --no-input -v 0
	DEBUG=$${DEBUG:-true} $(MANAGE) seed_demo
	@echo "Open http://127.0.0.1:8000 and log in with one of the accounts above."
	DEBUG=$${DEBUG:-true} $(MANAGE) runserver 127.0.0.1:8000

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL=sqlite:///:memory: $(MANAGE) makemigrations --check --dry-run
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest $(PYTEST_ARGS)

# Scale and speed (bench/README.md): `make bench-data SCALE=county|city|province` fills the
# database zhaoshang_bench_<scale>; `make bench SCALE=...` runs the benchmarks against it.
SCALE ?= county
SEED ?= 2026
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zhaoshang_bench

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[bench]"
	touch $(VENV)/.installed $@

bench-data: $(VENV)/.installed-bench compiled-messages
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.generate --scale $(SCALE) --seed $(SEED)

bench: $(VENV)/.installed-bench compiled-messages
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.run --scale $(SCALE) $(BENCH_ARGS)

# For developers: extract new strings into the .po (then translate them) and recompile.
messages: | $(BIN)/python
	$(MANAGE) makemessages -l zh_Hans -i .venv -i static/vendor -i tests -i bench --no-location
	$(MANAGE) compilemessages -l zh_Hans -i .venv -v 0

format: | $(BIN)/python
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .test-media .pytest_cache db.sqlite3
