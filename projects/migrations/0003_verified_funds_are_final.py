"""The database itself refuses to change or delete a verified funds record."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION funds_record_verified_is_final() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'verified' THEN
        RAISE EXCEPTION 'verified funds record % cannot be changed or deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_record_verified_is_final
    BEFORE UPDATE OR DELETE ON projects_fundsrecord
    FOR EACH ROW EXECUTE FUNCTION funds_record_verified_is_final();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS funds_record_verified_is_final ON projects_fundsrecord;
DROP FUNCTION IF EXISTS funds_record_verified_is_final();
"""
SQLITE_UP = [
    """CREATE TRIGGER funds_record_verified_no_update BEFORE UPDATE ON projects_fundsrecord
       WHEN OLD.status = 'verified'
       BEGIN SELECT RAISE(ABORT, 'verified funds record cannot be changed'); END;""",
    """CREATE TRIGGER funds_record_verified_no_delete BEFORE DELETE ON projects_fundsrecord
       WHEN OLD.status = 'verified'
       BEGIN SELECT RAISE(ABORT, 'verified funds record cannot be deleted'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS funds_record_verified_no_update;",
    "DROP TRIGGER IF EXISTS funds_record_verified_no_delete;",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_funds_records")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
