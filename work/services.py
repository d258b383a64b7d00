"""The daily digest (今日待办): once a day (Celery beat, work.tasks), every active person with
anything in their work queue or unread notifications gets one in-app notification that
sums both up, and an email of it when EMAIL_URL is set and the person has an address.
One digest per person per day: run twice the same day (beat delivering twice, a retry), it
tells no one again (the notification's key is the day's; the database refuses a second)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Notification
from work.selectors import TodoItem, todo_for

logger = logging.getLogger(__name__)

DIGEST_KIND = "digest"


def digest_key(day: date) -> str:
    return f"{DIGEST_KIND}:{day.isoformat()}"


def digest_text(items: list[TodoItem], unread: int) -> str:
    """The digest in one line: the items' labels, then the unread notifications."""
    parts = [item.label for item in items]
    if unread:
        parts.append(
            ngettext("%(count)s unread notification", "%(count)s unread notifications", unread)
            % {"count": unread}
        )
    return _("Today's work: %(items)s.") % {"items": "；".join(parts)}


def digest_mail(user: Any, items: list[TodoItem], unread: int, day: date) -> tuple[str, str]:
    """The digest's email: a subject and a plain-text body with a line and link per item."""
    site = settings.SITE_URL
    subject = _("%(county)s investment promotion: today's work (%(date)s)") % {
        "county": settings.COUNTY_NAME,
        "date": day.isoformat(),
    }
    lines = [_("Hello %(name)s,") % {"name": user.get_full_name()}, ""]
    for item in items:
        lines.append(f"- {item.label}" + (f"（{item.detail}）" if item.detail else ""))
        lines.append(f"  {site}{item.link}")
    if unread:
        lines.append(
            "- "
            + ngettext("%(count)s unread notification", "%(count)s unread notifications", unread)
            % {"count": unread}
        )
        lines.append(f"  {site}{reverse('work:notifications')}")
    return subject, "\n".join(lines) + "\n"


def digests_send(*, today: date | None = None) -> dict[str, int]:
    """Builds today's digest for everyone who has something (see the module). Returns how
    many digests were made and mailed."""
    today = today or timezone.localdate()
    key = digest_key(today)
    told = Notification.objects.filter(key=key).values("recipient")
    people = get_user_model().objects.filter(is_active=True).exclude(pk__in=told)
    unread = dict(
        Notification.objects.unread()
        .exclude(kind=DIGEST_KIND)
        .order_by()
        .values_list("recipient")
        .annotate(n=Count("pk"))
    )
    made = mailed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for person in people.select_related("unit").order_by("pk").iterator(chunk_size=200):
            items = todo_for(person, today)
            count = unread.get(person.pk, 0)
            if not items and not count:
                continue
            try:
                with transaction.atomic():
                    Notification.objects.create(
                        recipient=person,
                        kind=DIGEST_KIND,
                        text=digest_text(items, count),
                        link=reverse("home"),
                        key=key,
                    )
            except IntegrityError:
                continue  # told today already (another delivery of the job got here first)
            made += 1
            if settings.EMAIL_URL and person.email:
                subject, body = digest_mail(person, items, count, today)
                try:
                    send_mail(subject, body, None, [person.email])
                except Exception:  # a mail server down does not stop the others' digests
                    logger.exception("The digest of account %s could not be mailed", person.pk)
                else:
                    mailed += 1
    return {"digests": made, "mailed": mailed}
