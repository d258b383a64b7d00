"""Long model select boxes render only their chosen options and load the others on demand
(core.forms.MAX_RENDERED_CHOICES, core.options)."""

import re

import pytest
from django.utils.translation import gettext

from core import forms as core_forms
from core import options
from teams.models import Unit
from tests.factories import IndustryFactory, LeadFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db

PROJECT_FILTER = "/options/projects.filters.ProjectFilter"
PROJECT_FORM = "/options/projects.forms.ProjectForm"


@pytest.fixture
def industry(db):
    return IndustryFactory(code="BIO", name="生物医药")


@pytest.fixture
def few_rendered(monkeypatch):
    """A county whose unit lists count as long: more than three choices load on demand."""
    monkeypatch.setattr(core_forms, "MAX_RENDERED_CHOICES", 3)


@pytest.fixture
def towns(unit_a, unit_b, bureau_unit):
    """Five units besides the bureau: 甲镇, 乙镇, 丙镇, 丁镇 and 丙村."""
    extra = [UnitFactory(code=code, name=name) for code, name in [("UC", "丙镇"), ("UD", "丁镇")]]
    return [unit_a, unit_b, *extra, UnitFactory(code="UE", name="丙村")]


def select_box(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.DOTALL)
    assert match, f"no select box {name}"
    return match.group(0)


def options_of(select: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option."""
    return [
        (value, text, "selected" in attrs)
        for value, attrs, text in re.findall(
            r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select
        )
    ]


def test_a_long_unit_filter_shows_only_the_chosen_unit_and_still_filters(
    client_as, bureau_user, towns, industry, few_rendered
):
    unit_a, unit_b = towns[:2]
    ProjectFactory(name="甲镇的项目", unit=unit_a, industry=industry)
    ProjectFactory(name="乙镇的项目", unit=unit_b, industry=industry)

    html = client_as(bureau_user).get(f"/projects/?unit={unit_b.pk}").content.decode()

    unit_select = select_box(html, "unit")
    assert f'data-options-url="{PROJECT_FILTER}/unit/"' in unit_select
    assert options_of(unit_select) == [("", "全部", False), (str(unit_b.pk), "乙镇", True)]
    assert "乙镇的项目" in html and "甲镇的项目" not in html


def test_an_unknown_or_garbled_unit_shows_no_option(client_as, bureau_user, towns, few_rendered):
    client = client_as(bureau_user)
    for value in ["999999", "abc", "99999999999999999999999"]:
        html = client.get(f"/projects/?unit={value}").content.decode()
        assert options_of(select_box(html, "unit")) == [("", "全部", False)]


def test_a_short_unit_filter_lists_every_unit(client_as, bureau_user, towns):
    html = client_as(bureau_user).get(f"/projects/?unit={towns[1].pk}").content.decode()

    unit_select = select_box(html, "unit")
    assert "data-options-url" not in unit_select
    texts = [text for _value, text, _selected in options_of(unit_select)]
    assert texts == ["全部", "县投资促进局", "甲镇", "乙镇", "丙镇", "丁镇", "丙村"]


def test_every_list_filter_loads_its_units_on_demand(client_as, bureau_user, towns, few_rendered):
    client = client_as(bureau_user)
    for url, key in [
        ("/leads/", "projects.filters.LeadFilter"),
        ("/blockers/", "projects.filters.BlockerFilter"),
        ("/funds/", "projects.filters.FundsRecordFilter"),
    ]:
        html = client.get(url).content.decode()
        assert f'data-options-url="/options/{key}/unit/"' in select_box(html, "unit"), url


def test_the_project_form_shows_only_the_chosen_units(
    client_as, bureau_user, towns, industry, few_rendered
):
    unit_a, unit_b, unit_c = towns[:3]
    project = ProjectFactory(unit=unit_a, industry=industry)
    project.cooperating_units.set([unit_b, unit_c])

    html = client_as(bureau_user).get(f"/projects/{project.pk}/edit/").content.decode()

    unit_select = select_box(html, "unit")
    assert f'data-options-url="{PROJECT_FORM}/unit/"' in unit_select
    assert [(text, chosen) for _v, text, chosen in options_of(unit_select)] == [
        (gettext("Choose…"), False),  # 请选择
        ("甲镇", True),
    ]
    cooperating = select_box(html, "cooperating_units")
    assert f'data-options-url="{PROJECT_FORM}/cooperating_units/"' in cooperating
    assert [(text, chosen) for _v, text, chosen in options_of(cooperating)] == [
        ("乙镇", True),
        ("丙镇", True),
    ]


def test_the_options_are_the_fields_own_choices_matching_every_word(client_as, officer_a, towns):
    client = client_as(officer_a)

    answer = client.get(f"{PROJECT_FILTER}/unit/", {"q": "丙"})

    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert answer.json() == [
        {"value": str(towns[2].pk), "text": "丙镇"},
        {"value": str(towns[4].pk), "text": "丙村"},
    ]
    assert [o["text"] for o in client.get(f"{PROJECT_FILTER}/unit/?q=丙+镇").json()] == ["丙镇"]
    assert client.get(f"{PROJECT_FILTER}/unit/?q=戊").json() == []


def test_a_blank_search_gives_the_first_choices_in_order(client_as, officer_a, towns, monkeypatch):
    monkeypatch.setattr(options, "OPTIONS_SHOWN", 3)

    answer = client_as(officer_a).get(f"{PROJECT_FILTER}/unit/?q=").json()

    assert [o["text"] for o in answer] == [u.name for u in Unit.objects.all()[:3]]
    searched = client_as(officer_a).get(f"{PROJECT_FILTER}/unit/?q=镇").json()
    assert [o["text"] for o in searched] == ["甲镇", "乙镇", "丙镇"]


def test_the_project_forms_units_go_to_the_bureau_alone_and_active_ones_only(
    client_as, bureau_user, officer_a, towns
):
    retired = UnitFactory(code="UX", name="已撤销镇", is_active=False)

    bureau_answer = client_as(bureau_user).get(f"{PROJECT_FORM}/unit/?q=镇").json()

    assert [o["text"] for o in bureau_answer] == ["甲镇", "乙镇", "丙镇", "丁镇"]
    assert str(retired.pk) not in {o["value"] for o in bureau_answer}
    # Others work for their own unit: their form has no unit to choose.
    assert client_as(officer_a).get(f"{PROJECT_FORM}/unit/").status_code == 404
    cooperating = client_as(officer_a).get(f"{PROJECT_FORM}/cooperating_units/?q=镇").json()
    assert [o["text"] for o in cooperating] == ["甲镇", "乙镇", "丙镇", "丁镇"]


def test_a_trip_offers_only_the_leads_its_reporter_can_see(
    client_as, officer_a, officer_b, industry
):
    LeadFactory(company_name="甲镇招来的公司", unit=officer_a.unit, industry=industry)
    LeadFactory(company_name="乙镇招来的公司", unit=officer_b.unit, industry=industry)
    url = "/options/trips.forms.TripForm/leads/?q=招来"

    seen_by_a = [o["text"] for o in client_as(officer_a).get(url).json()]
    seen_by_b = [o["text"] for o in client_as(officer_b).get(url).json()]

    assert len(seen_by_a) == 1 and seen_by_a[0].startswith("甲镇招来的公司")
    assert len(seen_by_b) == 1 and seen_by_b[0].startswith("乙镇招来的公司")


def test_a_form_is_refused_to_those_who_may_not_write_its_kind(client_as, officer_a, leader, towns):
    # Teams are the bureau's: an officer cannot list every account through the team form.
    assert client_as(officer_a).get("/options/teams.forms.TeamForm/members/").status_code == 403
    assert client_as(leader).get(f"{PROJECT_FORM}/cooperating_units/").status_code == 403
    # A list's filter is everyone's, as its page is.
    assert client_as(leader).get(f"{PROJECT_FILTER}/unit/").status_code == 200


def test_only_registered_forms_and_their_model_fields_are_offered(client_as, officer_a, towns):
    client = client_as(officer_a)
    for url in [
        "/options/projects.models.Project/unit/",
        "/options/core.forms.StyledModelForm/unit/",
        "/options/django.contrib.auth.forms.UserCreationForm/username/",
        f"{PROJECT_FILTER}/no_such_field/",
        f"{PROJECT_FILTER}/stage/",  # a field of fixed choices, not rows
    ]:
        assert client.get(url).status_code == 404, url


def test_the_options_need_a_login(client, towns):
    response = client.get(f"{PROJECT_FILTER}/unit/?q=镇")

    assert response.status_code == 302 and response["Location"].startswith("/login/")
