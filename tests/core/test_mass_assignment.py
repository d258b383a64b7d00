"""Mass assignment cannot come back: every field a form or a serializer lets a person write
is one its service takes (core.services.INPUTS), and every service that takes data refuses,
by name, each field it does not declare. Both lists are generated from the code, so a new
field, form or serializer is checked without anyone remembering to."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from rest_framework import serializers

from core.roles import INSTALLER
from core.services import INPUTS
from projects import services as project_services
from projects.models import Blocker, Industry, Lead, Project
from supervision import services as supervision_services
from supervision.models import SupervisionOrder
from teams import services as team_services
from teams.models import Team, Unit, User
from tests.factories import IndustryFactory, LeadFactory, ProjectFactory
from trips import services as trip_services
from trips.models import Trip, TripVisit

APPS = ["core", "teams", "projects", "trips", "supervision", "targets", "reports"]


def project_modules():
    """Import every app's forms, views and API serializers, so their classes exist."""
    for app in APPS:
        for name in ("forms", "views", "api.serializers", "services"):
            try:
                importlib.import_module(f"{app}.{name}")
            except ModuleNotFoundError as missing:
                if missing.name != f"{app}.{name}":
                    raise


def subclasses(base):
    found, todo = [], [base]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.append(sub)
    return found


def model_serializers():
    project_modules()
    concrete = [
        c
        for c in subclasses(serializers.ModelSerializer)
        if getattr(getattr(c, "Meta", None), "model", None) is not None
    ]
    return sorted(concrete, key=lambda c: c.__qualname__)


def model_forms():
    project_modules()
    concrete = [c for c in subclasses(ModelForm) if c._meta.model is not None]
    return sorted(concrete, key=lambda c: c.__qualname__)


def model_field_names(model):
    return {f.name for f in model._meta.get_fields()} | {
        f.attname for f in model._meta.concrete_fields
    }


def writable_model_fields(serializer_class):
    """(field name, model field name) of each field a client may send, nested serializers
    left to their own class."""
    request = SimpleNamespace(user=INSTALLER)
    fields = serializer_class(context={"request": request}).fields
    model = serializer_class.Meta.model
    for name, field in fields.items():
        if field.read_only or isinstance(field, serializers.BaseSerializer):
            continue
        source = field.source.split(".")[0]
        if source in model_field_names(model):
            yield name, source
        else:
            # not stored: a parameter of the service (confirm, confirm_duplicates)
            assert field.write_only, f"{serializer_class.__qualname__}.{name} is neither"


def test_the_generator_finds_the_forms_and_serializers():
    assert {c.__name__ for c in model_serializers()} >= {
        "ProjectSerializer",
        "LeadSerializer",
        "FundsRecordSerializer",
        "TripSerializer",
        "TargetSerializer",
    }
    assert {c.__name__ for c in model_forms()} >= {"ProjectForm", "LeadForm", "TripForm"}


@pytest.mark.parametrize("serializer_class", model_serializers(), ids=lambda c: c.__qualname__)
def test_every_writable_serializer_field_is_taken_by_its_service(serializer_class):
    model = serializer_class.Meta.model
    for name, source in writable_model_fields(serializer_class):
        assert source in INPUTS.get(model, ()), (
            f"{serializer_class.__qualname__}.{name} is writable but no service of "
            f"{model.__name__} takes it: make it read-only or declare it (declare_input)"
        )


@pytest.mark.parametrize("form_class", model_forms(), ids=lambda c: c.__qualname__)
def test_every_model_form_field_is_taken_by_its_service(form_class):
    model = form_class._meta.model
    for name in form_class.base_fields:
        if name in model_field_names(model):
            assert name in INPUTS.get(model, ()), (
                f"{form_class.__qualname__}.{name} is offered but no service of "
                f"{model.__name__} takes it"
            )


def test_service_set_facts_are_taken_by_no_service():
    """The facts that change only through their own step."""
    never = {
        Project: {"stage", "signed_on", "started_on", "completed_on", "producing_on", "code"},
        Lead: {"status", "drop_reason", "provided_by", "possible_duplicates"},
        apps.get_model("projects", "FundsRecord"): {
            "status",
            "flagged",
            "flag_reasons",
            "reject_reason",
            "submitted_by",
            "verified_by",
            "verified_at",
        },
        apps.get_model("projects", "Document"): {"status", "return_reason", "reviewed_by"},
    }
    for model, facts in never.items():
        assert not facts & INPUTS[model], (model, facts & INPUTS[model])


# --- The services refuse what they do not declare --------------------------------------------


@pytest.fixture
def records(officer_a, bureau_user, unit_a, unit_b):
    industry = IndustryFactory(code="T1", name="测试产业")
    project = ProjectFactory(unit=unit_a, industry=industry)
    team = Team.objects.create(name="测试小分队", kind="resident", lead_unit=unit_a)
    trip = Trip.objects.create(
        unit=unit_a,
        leader_name="甲",
        destination="上海",
        start_on=dt.date(2026, 1, 5),
        end_on=dt.date(2026, 1, 6),
    )
    return SimpleNamespace(
        bureau=bureau_user,
        industry=industry,
        lead=LeadFactory(unit=unit_a, industry=industry),
        project=project,
        blocker=Blocker.objects.create(
            project=project,
            category="land",
            description="用地",
            owner_unit=unit_b,
            due_on=dt.date(2026, 12, 31),
        ),
        unit=unit_a,
        account=officer_a,
        team=team,
        trip=trip,
    )


# Each model whose services take data, and how its change is asked for (as the bureau, so
# only the service's own list of fields can refuse).
CHANGES = {
    Industry: lambda r, data: project_services.industry_save(
        user=r.bureau, data=data, industry=r.industry
    ),
    Lead: lambda r, data: project_services.lead_update(lead=r.lead, user=r.bureau, data=data),
    Project: lambda r, data: project_services.project_update(
        project=r.project, user=r.bureau, data=data
    ),
    Blocker: lambda r, data: project_services.blocker_update(
        blocker=r.blocker, user=r.bureau, data=data
    ),
    Unit: lambda r, data: team_services.unit_save(user=r.bureau, data=data, unit=r.unit),
    User: lambda r, data: team_services.user_save(user=r.bureau, account=r.account, data=data),
    Team: lambda r, data: team_services.team_save(user=r.bureau, data=data, team=r.team),
    Trip: lambda r, data: trip_services.trip_save(user=r.bureau, data=data, trip=r.trip),
    TripVisit: lambda r, data: trip_services.trip_save(
        user=r.bureau, data={}, trip=r.trip, visits=[{"company": "某公司", **data}]
    ),
    SupervisionOrder: lambda r, data: supervision_services.order_issue(user=r.bureau, data=data),
}


# Declared for creating a record, then fixed: its change refuses them as well.
CREATE_ONLY = {Blocker: {"project"}, Project: {"lead"}}


def test_every_model_a_person_writes_in_a_form_or_serializer_has_its_inputs_declared():
    written = {c.Meta.model for c in model_serializers() if list(writable_model_fields(c))}
    written |= {c._meta.model for c in model_forms()}
    assert written <= set(INPUTS), written - set(INPUTS)
    taking_data = {m for m in INPUTS if m in CHANGES}
    # the others' services take keyword arguments only (no mapping to smuggle a field in)
    assert taking_data == set(CHANGES)


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(CHANGES), ids=lambda m: m.__name__)
def test_a_service_refuses_each_field_it_does_not_take_by_its_name(model, records):
    undeclared = [
        f.name
        for f in model._meta.concrete_fields
        if (f.name not in INPUTS[model] or f.name in CREATE_ONLY.get(model, ()))
        and not f.primary_key
    ]
    assert undeclared, model
    for name in undeclared:
        with pytest.raises(ValidationError) as refused:
            CHANGES[model](records, {name: None})
        assert set(refused.value.message_dict) == {name}, (model.__name__, name)
        assert "不在此填写" in refused.value.message_dict[name][0]
