"""Celery beat escalates the overdue supervision orders every day at 01:30 (Asia/Shanghai).
The schedule lives in the database (django-celery-beat), like the report builds'."""

from django.db import migrations

NAME = "Supervision orders: daily escalation"


def create_schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = crontab_model.objects.get_or_create(
        minute="30", hour="1", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )
    task_model.objects.get_or_create(
        name=NAME,
        defaults={"task": "supervision.escalate_orders", "crontab": crontab, "enabled": True},
    )


def drop_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, drop_schedule)]
