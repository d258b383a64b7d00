"""Every string a person reads is translated into Simplified Chinese."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    "config",
    "core",
    "teams",
    "projects",
    "trips",
    "events",
    "supervision",
    "ledgers",
    "targets",
    "reports",
    "work",
    "demo",
    "templates",
    "locale",
    "manage.py",
]


def test_every_message_in_the_code_has_a_chinese_translation(tmp_path):
    # Extract the messages from a copy, so the repository's .po file is left as it is.
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    catalog = polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_the_compiled_catalog_matches_the_source():
    source = polib.pofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"))
    compiled = polib.mofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.mo"))
    assert {e.msgid for e in source.translated_entries()} <= {e.msgid for e in compiled}
