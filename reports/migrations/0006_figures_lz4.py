"""A bulletin's figures are megabytes of JSON at province scale: PostgreSQL compresses them
with lz4 rather than its default pglz, which took a third of the time of storing a build
(bench/README.md, fix 16). Nothing to do elsewhere, or where the server lacks lz4."""

from contextlib import suppress

from django.db import DatabaseError, migrations, transaction

LZ4 = "ALTER TABLE reports_report ALTER COLUMN figures SET COMPRESSION lz4"


def compress_with_lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    # a server built without lz4 ("compression method lz4 not supported") keeps pglz
    with (
        suppress(DatabaseError),
        transaction.atomic(using=connection.alias),
        connection.cursor() as cursor,
    ):
        cursor.execute(LZ4)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_schedule_history")]

    operations = [migrations.RunPython(compress_with_lz4, migrations.RunPython.noop)]
