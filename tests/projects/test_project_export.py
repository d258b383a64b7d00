"""The project list's Excel export reads plain values (no model per row) yet shows each
project as the list page does."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.utils.translation import gettext
from openpyxl import load_workbook

from projects.choices import SizeClass, Stage
from tests.factories import IndustryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        yield


def exported_rows(client, url: str) -> list[tuple]:
    response = client.get(url)
    assert response.status_code == 200
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[2:]


def test_a_project_exports_as_the_page_shows_it(client_as, officer_a, industry, project_a):
    project_a.industry = IndustryFactory(code="BIO-CELL", name="细胞治疗", parent=industry)
    project_a.save()
    client = client_as(officer_a)

    [row] = exported_rows(client, "/projects/?export=xlsx")

    assert row[:8] == (
        project_a.code,
        "甲镇生物医药产业园",
        "江苏恒瑞医药股份有限公司",
        officer_a.unit.name,
        "生物医药 · 细胞治疗",
        12000,
        str(SizeClass.HUNDRED_MILLION.label),
        str(Stage.NEGOTIATING.label),
    )
    assert not row[8] and not row[9]  # not signed, not started
    # entered on 1 March with no follow-up since
    assert row[10] == gettext("No follow-up for 30 days")
    page = client.get("/projects/").content.decode()
    assert "生物医药 · 细胞治疗" in page and row[10] in page
