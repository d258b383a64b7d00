"""List pages cost the same number of queries for 10 rows as for 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LeadFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    client.get(url)  # warm-up: the first request of a session also stamps the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/projects/?page_size=500", "/leads/", "/projects/?stalled=true", "/blockers/"]
)
def test_list_query_counts_do_not_grow(client_as, officer_a, industry, url):
    client = client_as(officer_a)
    for _ in range(10):
        LeadFactory(unit=officer_a.unit, industry=industry)
        ProjectFactory(unit=officer_a.unit, industry=industry)
    few = count_queries(client, url)
    for _ in range(190):
        LeadFactory(unit=officer_a.unit, industry=industry)
        ProjectFactory(unit=officer_a.unit, industry=industry)
    assert count_queries(client, url) == few


def test_the_export_holds_every_filtered_row_and_text_stays_text(client_as, officer_a, industry):
    from io import BytesIO

    from openpyxl import load_workbook

    ProjectFactory(
        unit=officer_a.unit, industry=industry, name='=HYPERLINK("x")', contract_amount_wan=1234.5
    )
    for _ in range(30):
        ProjectFactory(unit=officer_a.unit, industry=industry)
    response = client_as(officer_a).get("/projects/?export=xlsx&search=HYPERLINK")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    name_cell = sheet.cell(row=3, column=2)
    assert name_cell.value == '=HYPERLINK("x")' and name_cell.data_type == "s"
    amount = sheet.cell(row=3, column=6)
    assert amount.value == 1234.5 and amount.data_type == "n"
    assert amount.number_format == "#,##0.00"
    assert sheet.freeze_panes == "A3"  # the title and header rows stay in view
    assert sheet["A1"].font.bold and sheet["A2"].font.bold
