"""Test settings: the production shape (PostgreSQL, Redis, real Celery), fast hashing."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhaoshang")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .base import *  # noqa: F403
from .base import BASE_DIR, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / ".test-media"
CELERY_TASK_ALWAYS_EAGER = False
LANGUAGE_CODE = "zh-hans"
WHITENOISE_AUTOREFRESH = True

# Test hook of reports.tasks (read by no other settings module, so inert in production):
# while the file this names exists, a bulletin build waits half way with its job running, so
# a test can watch its progress bar or kill its worker (tests/reports/test_redelivery.py).
REPORTS_BUILD_GATE = env.str("REPORTS_BUILD_GATE", default="")

# Lists are not answered from core.unchanged's keeping unless a test asks (the query-count
# tests measure the lists' own queries; tests/projects/test_unchanged_lists.py turns it on).
UNCHANGED_ANSWER_SECONDS = 0
