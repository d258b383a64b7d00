"""The quarterly review's defaults: the score weights (reports.choices.DEFAULT_WEIGHTS,
copied here as they were) and Celery beat building last quarter's review as a draft on the
10th of January, April, July and October at 02:00 (editable by the bureau)."""

from django.db import migrations

NAME = "Quarterly review draft (10th after each quarter)"
WEIGHTS = {
    "funds": 30,
    "contract_amount": 10,
    "projects_signed": 15,
    "projects_started": 15,
    "trips": 10,
    "signing_rate": 5,
    "start_rate": 5,
    "on_time_rate": 5,
    "funds_rate": 5,
}


def create_defaults(apps, schema_editor):
    weight_model = apps.get_model("reports", "ScoreWeight")
    for component, weight in WEIGHTS.items():
        weight_model.objects.get_or_create(component=component, defaults={"weight": weight})
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = crontab_model.objects.get_or_create(
        minute="0", hour="2", day_of_month="10", month_of_year="1,4,7,10", day_of_week="*",
        timezone="Asia/Shanghai",
    )
    task_model.objects.get_or_create(
        name=NAME,
        defaults={"task": "reports.schedule_quarterly_review", "crontab": crontab, "enabled": True},
    )


def drop_defaults(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()
    apps.get_model("reports", "ScoreWeight").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_review_weights_draws"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, drop_defaults)]
