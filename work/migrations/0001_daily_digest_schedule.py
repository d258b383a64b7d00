"""Celery beat sends the daily digest (work.tasks) every day at 07:30 (Asia/Shanghai), before
the working day starts. The schedule lives in the database (django-celery-beat), like the
report builds' and the escalation of supervision orders."""

from django.db import migrations

NAME = "Work queue: daily digest"


def create_schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = crontab_model.objects.get_or_create(
        minute="30", hour="7", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )
    task_model.objects.get_or_create(
        name=NAME,
        defaults={"task": "work.send_daily_digests", "crontab": crontab, "enabled": True},
    )


def drop_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, drop_schedule)]
