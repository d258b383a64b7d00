"""What the lists' faster path (issue 20) writes is what the slower one wrote: the API lists
(core.api.serializers.PlannedListSerializer, formerly DRF field by field); and the list
pages escape what their cells hold."""

import datetime as dt
import json
import re

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.serializers import ListSerializer

from projects.api import serializers as api
from projects.models import FundsRecord, Lead, Project
from projects.selectors import project_list
from tests.factories import LeadFactory, ProjectFactory, UnitFactory, funds_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(officer_a, unit_b, industry):
    """Projects with what a cell may hold: text to escape, amounts, dates, none, a key
    project, a stalled one (its row in red), a cooperating unit."""
    today = dt.date(2026, 11, 20)
    ProjectFactory(
        unit=officer_a.unit,
        industry=industry,
        name='<b>"甲" & 乙</b>',
        investor="O'Brien & Co",
        contract_amount_wan=1234.5,
        is_key=True,
    )
    stalled = ProjectFactory(
        unit=officer_a.unit,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 1, 5),
        agreed_start_on=dt.date(2026, 3, 1),
        contract_amount_wan=80,
    )
    stalled.cooperating_units.add(unit_b)
    ProjectFactory(unit=officer_a.unit, industry=industry, land_area_mu=None, team=None)
    funds_record(stalled, (2026, 2), 30)
    return today


def test_list_page_rows_escape_their_cells(client_as, officer_a, rows):
    response = client_as(officer_a).get("/projects/?ordering=code")
    assert len(response.context["table"]) == 3
    page = response.content.decode()
    assert "&lt;b&gt;&quot;甲&quot; &amp; 乙&lt;/b&gt;" in page  # escaped, never markup
    assert '<b>"甲"' not in page
    assert re.search(r'<tr class="[^"]+">', page)  # the stalled project's row, in red
    assert len(re.findall(r"<a href=\"/projects/\d+/\">", page)) == 6  # code and name, each row


def test_lead_page_rows_escape_their_cells(client_as, officer_a, industry):
    LeadFactory(unit=officer_a.unit, industry=industry, company_name="<i>某 & 公司</i>")
    LeadFactory(unit=officer_a.unit, industry=industry, estimated_amount_wan=None)
    page = client_as(officer_a).get("/leads/").content.decode()
    assert "&lt;i&gt;某 &amp; 公司&lt;/i&gt;" in page and "<i>某" not in page


def _both(serializer, rows, user):
    request = Request(RequestFactory().get("/"))
    request.user = user
    shown = []
    for list_class in (ListSerializer, api.PlannedListSerializer):
        serializer.Meta.list_serializer_class = list_class
        try:
            data = serializer(rows, many=True, context={"request": request}).data
        finally:
            serializer.Meta.list_serializer_class = api.PlannedListSerializer
        shown.append(json.dumps(data, ensure_ascii=False, default=str))
    return shown


def test_api_lists_are_what_drf_wrote(officer_a, rows, industry):
    from django.db.models import Prefetch

    from teams.models import Unit

    units = Prefetch(
        "cooperating_units", queryset=Unit.objects.only("pk"), to_attr="cooperating_units_list"
    )
    projects = list(project_list(officer_a, rows).prefetch_related(units).order_by("code"))
    drf, planned = _both(api.ProjectSerializer, projects, officer_a)
    assert planned == drf
    data = json.loads(planned)
    assert [p["stage_display"] for p in data] == [str(p.get_stage_display()) for p in projects]
    assert data[2]["team"] is None and data[2]["land_area_mu"] is None
    assert any(p["cooperating_units"] for p in data)
    assert data[0]["contract_amount_wan"] == "1234.50"
    # rows straight from the manager (no flags, no prefetch): each field as DRF reads it
    drf, planned = _both(api.ProjectSerializer, Project.objects.order_by("pk"), officer_a)
    assert planned == drf
    LeadFactory(unit=officer_a.unit, industry=industry, team=None)
    drf, planned = _both(api.LeadSerializer, Lead.objects.order_by("pk"), officer_a)
    assert planned == drf and json.loads(planned)[0]["team"] is None
    drf, planned = _both(api.FundsRecordSerializer, FundsRecord.objects.order_by("pk"), officer_a)
    assert planned == drf and json.loads(planned)[0]["period"] == "2026-02"


def test_api_list_json_is_unchanged_through_the_endpoint(api_as, officer_a, rows):
    UnitFactory(code="ZZ", name="另一单位")
    body = api_as(officer_a).get("/api/v1/projects/?ordering=code&page_size=50").json()
    names = [p["name"] for p in body["results"]]
    assert body["count"] == 3 and '<b>"甲" & 乙</b>' in names
