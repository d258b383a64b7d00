"""Trigram indexes for the lists' search (issue 20).

`search=` matches each word anywhere in the searched columns (`UPPER(column) LIKE
UPPER('%word%')`, Django's icontains), which PostgreSQL answered by reading every project
or lead, twice per page (the count and the rows): 47 + 55 ms for 新材料 among 100 000
projects. A trigram index on each searched column turns the search into one index scan per
column (2.6 + 6.4 ms). A word of one or two characters has no trigram and is still read
from the table. PostgreSQL only: the embedded SQLite of `make run` searches without them.
"""

from django.db import migrations

SEARCHED = {
    "projects_project": ("code", "name", "investor", "leader_name"),
    "projects_lead": ("company_name", "project_name", "contact_name", "planned_products"),
}


def _indexes() -> list[tuple[str, str, str]]:
    return [
        (f"{table.removeprefix('projects_')}_search_{column}", table, column)
        for table, columns in SEARCHED.items()
        for column in columns
    ]


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in _indexes():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in _indexes():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("projects", "0014_list_orders")]

    operations = [migrations.RunPython(create, drop)]
