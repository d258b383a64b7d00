"""Celery beat builds last month's bulletin as a draft on the 5th of each month at 02:00.
The schedule lives in the database (django-celery-beat), so it can be changed without a
release."""

from django.db import migrations

NAME = "Monthly bulletin draft (5th of each month)"


def create_schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = crontab_model.objects.get_or_create(
        minute="0", hour="2", day_of_month="5", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )
    task_model.objects.get_or_create(
        name=NAME,
        defaults={"task": "reports.schedule_monthly_bulletin", "crontab": crontab, "enabled": True},
    )


def drop_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, drop_schedule)]
