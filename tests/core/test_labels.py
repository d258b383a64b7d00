"""Labels say what their field is, in the words officials use (a msgid shared by two
meanings once made a blocker's description read 项目简介 and a document's title 职务)."""

import importlib
import inspect
import pkgutil
import re

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.forms.utils import pretty_name
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from django.utils.functional import Promise
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


# --- Every form's labels and empty choices (issue 19) -------------------------------------------

APP_PACKAGES = ("core", *PROJECT_APPS, "work")


def project_classes(base):
    """Every subclass of `base` defined in the project's apps (their modules imported)."""
    for app in APP_PACKAGES:
        try:
            package = importlib.import_module(app)
        except ImportError:
            continue
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not any(part in module.name for part in (".migrations", ".management")):
                importlib.import_module(module.name)
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APP_PACKAGES:
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def reads_as_a_word(label, name: str) -> bool:
    """A label officials can read: Chinese (zh-hans is active), not the field's name nor
    Django's English made from it ("Due on")."""
    text = str(label)
    return text not in (name, pretty_name(name)) and re.search(r"[\u4e00-\u9fff]", text)


def test_every_form_label_is_a_translated_word_not_the_field_name():
    """A form field's label is its model field's verbose name (translated) or an explicit
    gettext_lazy: never None (Django would print the field's name) nor a plain string."""
    wrong = []
    forms_seen = 0
    for form_class in project_classes(forms.BaseForm):
        forms_seen += 1
        for name, field in getattr(form_class, "base_fields", {}).items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            if field.label is None:
                if form_class.__name__ != "LoginForm":  # Django's own, labelled at __init__
                    wrong.append(f"{where}: no label (Django shows {pretty_name(name)!r})")
            elif not isinstance(field.label, Promise):
                wrong.append(f"{where}: {field.label!r} is not a translation")
            elif not reads_as_a_word(field.label, name):
                wrong.append(f"{where}: reads {str(field.label)!r}")
    assert forms_seen > 40
    assert not wrong, "\n".join(wrong)


def bureau_request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


def test_every_filter_reads_chinese_and_offers_any_not_dashes(bureau_user):
    """Each list's filters as its page builds them: labels in words (a filter without its own
    label takes its model field's verbose name) and 全部 for "no filter"."""
    wrong = []
    filtersets = project_classes(django_filters.FilterSet)
    assert len(filtersets) > 15
    for filterset_class in filtersets:
        if filterset_class._meta.model is None:
            continue  # core's bases
        form = filterset_class(request=bureau_request(bureau_user)).form
        where = f"{filterset_class.__module__}.{filterset_class.__qualname__}"
        for field in form.visible_fields():
            if not reads_as_a_word(field.label, field.name):
                wrong.append(f"{where}.{field.name}: reads {str(field.label)!r}")
        if "---------" in str(form):
            wrong.append(f"{where}: an empty choice reads ---------")
    assert not wrong, "\n".join(wrong)


def build_form(form_class, user):
    """The form as its page builds it, where the test can say how: a model form for the
    bureau (StyledModelForm.blank_for), else with no arguments or with `user=`."""
    if hasattr(form_class, "blank_for"):
        try:
            return form_class.blank_for(bureau_request(user))
        except (PermissionDenied, Http404):
            return None
    parameters = inspect.signature(form_class).parameters
    required = [
        name
        for name, parameter in parameters.items()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    if set(required) - {"user"}:
        return None
    return form_class(user=user) if "user" in required else form_class()


def test_no_form_offers_dashes_for_its_empty_choice(bureau_user):
    """A form's empty choice reads 请选择 ("Choose…"), or the form's own words; never
    Django's "---------"."""
    built, wrong = 0, []
    for form_class in project_classes(forms.BaseForm):
        if form_class.__module__.split(".")[0] == "core" or inspect.isabstract(form_class):
            continue
        try:
            form = build_form(form_class, bureau_user)
        except TypeError:
            continue
        if form is None:
            continue
        built += 1
        if "---------" in str(form):
            wrong.append(f"{form_class.__module__}.{form_class.__qualname__}")
    assert built > 30
    assert not wrong, "empty choices read ---------: " + ", ".join(wrong)


def test_empty_choices_read_any_in_filters_and_choose_in_forms(bureau_user):
    from projects.filters import ProjectFilter
    from projects.forms import BlockerForm
    from teams.forms import UnitForm

    filters = ProjectFilter(request=bureau_request(bureau_user)).form
    assert '<option value="" selected>全部</option>' in str(filters["unit_kind"])
    assert '<option value="" selected>全部</option>' in str(filters["unit"])
    kind = str(UnitForm()["kind"])
    assert "---------" not in kind
    assert '<option value="" selected>' + gettext("Choose…") in kind  # 请选择 once translated
    assert "---------" not in str(BlockerForm()["category"])
    with translation.override("en"):
        assert '<option value="" selected>Choose…</option>' in str(UnitForm()["kind"])
        filters = ProjectFilter(request=bureau_request(bureau_user)).form
        assert '<option value="" selected>Any</option>' in str(filters["unit_kind"])
