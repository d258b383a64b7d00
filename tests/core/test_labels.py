"""Labels say what their field is, in the words officials use (a msgid shared by two
meanings once made a blocker's description read 项目简介 and a document's title 职务)."""

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext

from projects.choices import BlockerStatus
from projects.models import Blocker, Document, ReserveMaterial
from trips.models import TripVisit

PROJECT_APPS = (
    "teams",
    "projects",
    "trips",
    "ledgers",
    "targets",
    "reports",
    "events",
    "supervision",
)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def test_the_labels_officials_found_wrong():
    assert label(Blocker, "description") == "问题描述"
    assert label(Document, "title") == "文件标题"
    assert label(ReserveMaterial, "title") == "材料名称"
    assert label(TripVisit, "contact_title") == "职务"
    # a blocker's state and the button that opens a record are two words
    assert str(BlockerStatus.OPEN.label) == "未解决"
    assert gettext("Open") == "打开"


def test_no_two_fields_of_a_record_read_the_same():
    same = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        seen: dict[str, str] = {}
        for field in model._meta.get_fields():
            if not hasattr(field, "verbose_name") or field.auto_created:
                continue
            text = str(field.verbose_name)
            if text in seen:
                same.append(f"{model.__name__}: {seen[text]} and {field.name} both read {text}")
            seen[text] = field.name
    assert not same, "\n".join(same)
