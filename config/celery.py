"""The Celery app. Tasks survive a lost worker: they are acknowledged late, rejected
(and so redelivered) when the worker dies, fetched one at a time, and redelivered
only after a visibility timeout far above the longest task (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("zhaoshang", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
