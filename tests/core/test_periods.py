"""One way to write months, spans, quarters and versions (core.periods, issue 19): the
pages' filters, the workbooks and the API's `*_display` fields all use it, in Chinese and in
English. The machine forms (YYYY-MM, numbers) stay in URLs, inputs and the API's fields."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from core.periods import (
    format_period,
    month_end_label,
    month_label,
    months_label,
    quarter_label,
    version_label,
    year_to_month_label,
)
from reports.models import Report
from tests.factories import ProjectFactory
from tests.factories import funds_record as funds

NOVEMBER = dt.date(2026, 11, 1)


def test_months_in_chinese():
    with translation.override("zh-hans"):
        assert month_label(NOVEMBER) == "2026年11月"
        assert month_label("2026-03") == "2026年3月"
        assert year_to_month_label(2026, 11) == "2026年1—11月"  # as the bulletin's title
        assert year_to_month_label(2026, 1) == "2026年1月"
        assert months_label(dt.date(2026, 1, 1), NOVEMBER) == "2026年1—11月"
        assert months_label(NOVEMBER, NOVEMBER) == "2026年11月"
        assert quarter_label(2026, 4) == "2026年第4季度"
    assert format_period(NOVEMBER) == "2026-11"  # the machine form is unchanged


def test_months_quarters_and_versions_in_english():
    with translation.override("en"):
        assert month_label(NOVEMBER) == "November 2026"
        assert year_to_month_label(2026, 11) == "2026, months 1 to 11"
        assert months_label(dt.date(2026, 3, 1), NOVEMBER) == "2026, months 3 to 11"
        assert months_label(dt.date(2025, 11, 1), dt.date(2026, 2, 1)) == (
            "November 2025 to February 2026"
        )
        assert month_end_label(11) == "to the end of month 11"
        assert quarter_label(2026, 4) == "2026 Q4"
        assert quarter_label(None, 4) == "Q4"
        assert version_label(1) == "v1"
        assert version_label(None) == ""


def test_the_template_filters_write_them_alike():
    template = Template(
        "{% load ui %}{{ month|month_label }}|{{ '2026-11'|month_label }}|{{ 2026|year_month:11 }}"
        "|{{ 2026|year_to_month:11 }}|{{ 2026|quarter_label:4 }}|{{ 3|quarter_label }}"
        "|{{ 2|version_label }}|{{ 11|month_end }}"
    )
    with translation.override("en"):
        assert template.render(Context({"month": NOVEMBER})).split("|") == [
            "November 2026",
            "November 2026",
            "November 2026",
            "2026, months 1 to 11",
            "2026 Q4",
            "Q3",
            "v2",
            "to the end of month 11",
        ]
    with translation.override("zh-hans"):
        shown = template.render(Context({"month": NOVEMBER})).split("|")
        assert shown == ["2026年11月"] * 3 + [
            "2026年1—11月",
            "2026年第4季度",
            "第3季度",
            "第2版",
            "截至11月底",
        ]


@pytest.mark.django_db
def test_the_api_gives_people_the_month_and_the_names_beside_the_codes(
    api_as, officer_a, bureau_user, unit_a
):
    project = ProjectFactory(code="P-1", name="数控机床项目", unit=unit_a, stage="signed")
    record = funds(project, (2026, 11), 120, status="submitted")
    record.submitted_by = officer_a
    record.save()
    with translation.override("zh-hans"):
        row = api_as(bureau_user).get(f"/api/v1/funds/{record.pk}/").json()
    assert row["period"] == "2026-11"
    assert row["period_display"] == "2026年11月"
    assert (row["unit"], row["unit_name"]) == (unit_a.pk, "甲镇")
    assert row["project_name"] == "数控机床项目"
    assert row["submitted_by"] == officer_a.pk and row["submitted_by_name"] == "甲专员"
    assert row["verified_by_name"] is None
    assert row["kind_display"] == "到位资金" and row["status_display"] == "待核验"
    project_row = api_as(bureau_user).get(f"/api/v1/projects/{project.pk}/").json()
    assert project_row["unit_name"] == "甲镇" and project_row["stage_display"] == "签约"


@pytest.mark.django_db
def test_the_reports_api_names_its_months_and_versions(api_as, bureau_user):
    Report.objects.create(kind="monthly", period=NOVEMBER, version=2, figures={})
    Report.objects.create(kind="quarterly", period=dt.date(2026, 7, 1), figures={})
    monthly = api_as(bureau_user).get("/api/v1/reports/monthly/").json()["results"][0]
    assert (monthly["period"], monthly["period_display"]) == ("2026-11", "2026年11月")
    assert monthly["version"] == 2 and monthly["version_display"] == "第2版"
    quarterly = api_as(bureau_user).get("/api/v1/reports/quarterly/").json()["results"][0]
    assert quarterly["period_display"] == "2026年第3季度"
