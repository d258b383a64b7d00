"""The indexes the lists are read by (issue 20): the trigram indexes of the searched
columns (migration projects 0015, PostgreSQL only) and the lists' orders, and PostgreSQL
reading a page of the list's own order from its index rather than sorting every row."""

import pytest
from django.db import connection

from projects.filters import LeadFilter, ProjectFilter

pytestmark = pytest.mark.django_db


def index_definitions(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


@pytest.mark.parametrize(
    ("table", "filterset", "prefix"),
    [("projects_project", ProjectFilter, "project"), ("projects_lead", LeadFilter, "lead")],
)
def test_every_searched_column_has_a_trigram_index(table, filterset, prefix):
    indexes = index_definitions(table)
    for column in filterset.search_fields:
        definition = indexes.get(f"{prefix}_search_{column}", "")
        assert "gin_trgm_ops" in definition and f"upper(({column})::text)" in definition


def test_a_page_in_the_lists_order_is_read_from_its_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask the plan
        cursor.execute(
            "EXPLAIN SELECT id FROM projects_project ORDER BY created_at DESC, id DESC LIMIT 25"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "project_newest" in plan and "Sort" not in plan
