"""Writes of supervision orders (督办单): the bureau issues them (or raises one in a click
from a stalled project or an overdue blocker), the unit answers, the bureau closes or
returns; the daily job escalates the overdue ones. Pages, the API and the task all come
through here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.notifications import notify, unit_staff
from core.policy import Action, require
from core.services import declare_input, take
from core.uploads import check_upload
from projects.models import Blocker, Project
from supervision.choices import AWAITING_UNIT, AnswerDecision, OrderLevel, OrderStatus, SubjectKind
from supervision.models import SupervisionAnswer, SupervisionOrder
from teams.choices import UnitKind

# A blue order overdue turns yellow, and the unit gets this many days from that day (its
# second deadline) before the order turns red. The yellow warning is a new notice: the
# days run from it, not from the first deadline, so a late run of the job never skips
# yellow.
ESCALATION_DAYS = 7
# The deadline of an order raised in one click from a stalled project or overdue blocker.
RAISED_ORDER_DAYS = 10

ORDER_INPUT = declare_input(
    SupervisionOrder,
    "unit",
    "subject_kind",
    "project",
    "blocker",
    "report_period",
    "matter",
    "reason",
    "due_on",
)


def _clean_text(order: SupervisionOrder) -> None:
    order.matter = (order.matter or "").strip()
    order.reason = (order.reason or "").strip()


def _check_unit(order: SupervisionOrder) -> None:
    if order.unit_id and (order.unit.kind == UnitKind.BUREAU or not order.unit.is_active):
        raise ValidationError({"unit": _("Orders are issued to an active responsible unit.")})


def _check_report_period(order: SupervisionOrder, today: date) -> None:
    if order.report_period is None:
        return
    order.report_period = order.report_period.replace(day=1)
    if order.report_period > today:
        raise ValidationError(
            {"report_period": _("A report of a month still to come cannot be missing.")}
        )


def _check_one_live(order: SupervisionOrder) -> None:
    """One live (not closed) order per project, blocker or unit's missing report: the
    database's constraint, told beside the field."""
    same_subject = {
        SubjectKind.PROJECT: ("project", {"project": order.project_id}),
        SubjectKind.BLOCKER: ("blocker", {"blocker": order.blocker_id}),
        SubjectKind.REPORT: (
            "report_period",
            {"unit": order.unit_id, "report_period": order.report_period},
        ),
    }
    if order.subject_kind not in same_subject:
        return
    field, lookup = same_subject[order.subject_kind]
    if None in lookup.values():
        return  # the missing subject is told by its own rule
    live = SupervisionOrder.objects.live().filter(subject_kind=order.subject_kind, **lookup)
    if live.exists():
        messages = {
            "project": _("This project already has an order not closed."),
            "blocker": _("This blocker already has an order not closed."),
            "report_period": _(
                "The unit already has an order about this month's report not closed."
            ),
        }
        raise ValidationError({field: messages[field]})


def _save_new(order: SupervisionOrder, user: Any, today: date) -> SupervisionOrder:
    order.issued_by = user
    order.issued_on = today
    order.level = OrderLevel.BLUE
    order.status = OrderStatus.OPEN
    if order.subject_kind == SubjectKind.BLOCKER and order.blocker_id:
        order.project_id = order.blocker.project_id  # a blocker's order is about its project too
    _clean_text(order)
    _check_unit(order)
    _check_report_period(order, today)
    if order.due_on is not None and order.due_on < today:
        raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
    order.full_clean(validate_constraints=False)
    _check_one_live(order)
    order.validate_constraints()
    order.save()
    notify(
        unit_staff(order.unit_id),
        kind="order_issued",
        text=_("A supervision order to your unit: %(matter)s (deadline %(date)s).")
        % {"matter": order.matter[:200], "date": order.due_on.isoformat()},
        link=reverse("supervision:order_detail", args=[order.pk]),
        key=f"order:{order.pk}:issued",
        actor=user,
    )
    return order


@transaction.atomic
def order_issue(
    *, user: Any, data: Mapping[str, Any], today: date | None = None
) -> SupervisionOrder:
    """The bureau issues an order to a unit: about one of its projects, a blocker it must
    solve, a missing report (the month) or another matter; what, why and the deadline."""
    require(user, Action.ORDER_ISSUE)
    today = today or timezone.localdate()
    order = SupervisionOrder()
    take(order, data, ORDER_INPUT)
    return _save_new(order, user, today)


def stall_reasons(project: Project) -> list[str]:
    """Why a project annotated by ProjectQuerySet.with_flags counts as stalled."""
    reasons = []
    if getattr(project, "stalled_negotiation", False):
        reasons.append(_("no follow-up or stage change for 30 days while negotiating"))
    if getattr(project, "stalled_start", False):
        reasons.append(
            _("signed but not started past the agreed start date %(date)s")
            % {"date": project.agreed_start_on.isoformat() if project.agreed_start_on else ""}
        )
    if getattr(project, "stalled_key", False):
        reasons.append(_("a key project with no stage change and no funds for 90 days"))
    return reasons


@transaction.atomic
def order_raise_for_project(
    *, user: Any, project: Project, today: date | None = None
) -> SupervisionOrder:
    """One click on a stalled project: an order to its responsible unit, what and why
    written from the stall, due in RAISED_ORDER_DAYS days."""
    require(user, Action.ORDER_ISSUE)
    today = today or timezone.localdate()
    stalled = Project.objects.stalled(today).select_related("unit").filter(pk=project.pk).first()
    if stalled is None:
        raise ValidationError({"project": _("The project is not stalled: no order is raised.")})
    order = SupervisionOrder(
        unit=stalled.unit,
        subject_kind=SubjectKind.PROJECT,
        project=stalled,
        matter=_("Get the project “%(name)s” moving again and report its progress.")
        % {"name": stalled.name},
        reason=_("The project is stalled: %(why)s.") % {"why": "；".join(stall_reasons(stalled))},
        due_on=today + timedelta(days=RAISED_ORDER_DAYS),
    )
    return _save_new(order, user, today)


@transaction.atomic
def order_raise_for_blocker(
    *, user: Any, blocker: Blocker, today: date | None = None
) -> SupervisionOrder:
    """One click on an overdue blocker: an order to the unit that must solve it."""
    require(user, Action.ORDER_ISSUE)
    today = today or timezone.localdate()
    blocker = Blocker.objects.select_related("project", "owner_unit").get(pk=blocker.pk)
    if not blocker.is_overdue(today):
        raise ValidationError({"blocker": _("The blocker is not overdue: no order is raised.")})
    order = SupervisionOrder(
        unit=blocker.owner_unit,
        subject_kind=SubjectKind.BLOCKER,
        blocker=blocker,
        project=blocker.project,
        matter=_("Solve the blocker of “%(project)s”: %(description)s")
        % {"project": blocker.project.name, "description": blocker.description},
        reason=_("The blocker was due on %(date)s and is still open.")
        % {"date": blocker.due_on.isoformat()},
        due_on=today + timedelta(days=RAISED_ORDER_DAYS),
    )
    return _save_new(order, user, today)


def _locked(order: SupervisionOrder) -> SupervisionOrder:
    return SupervisionOrder.objects.select_for_update().select_related("unit").get(pk=order.pk)


@transaction.atomic
def order_answer(
    *, user: Any, order: SupervisionOrder, text: str, evidence: UploadedFile | None
) -> SupervisionAnswer:
    """The unit answers an order issued to it (open, or returned to it): its rectification
    and the evidence of it (required: the bureau closes on the evidence)."""
    require(user, Action.ORDER_ANSWER)
    order = _locked(order)
    if order.unit_id != user.unit_id:
        raise PermissionDenied(_("Only the unit the order is issued to answers it."))
    if order.status not in AWAITING_UNIT:
        message = _("Only an open or returned order can be answered: this one is %(status)s.")
        raise ValidationError({"status": message % {"status": order.get_status_display()}})
    errors: dict[str, Any] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Say what the unit has done (整改情况).")
    answer = SupervisionAnswer(order=order, text=text, answered_by=user)
    if evidence is None:
        errors["evidence"] = _("Attach the evidence of the rectification.")
    else:
        try:
            answer.evidence_type = check_upload(evidence)
        except ValidationError as error:
            errors["evidence"] = error.messages
        answer.evidence = evidence
    if errors:
        raise ValidationError(errors)
    answer.full_clean(exclude=["evidence"])
    answer.save()
    order.status = OrderStatus.ANSWERED
    order.save()
    return answer


def _pending_answer(order: SupervisionOrder, verb: str) -> SupervisionAnswer:
    """The answer the bureau decides on: only an answered order has one."""
    if order.status != OrderStatus.ANSWERED:
        messages = {
            "close": _("Only an answered order can be closed: this one is %(status)s."),
            "return": _("Only an answered order can be returned: this one is %(status)s."),
        }
        raise ValidationError({"status": messages[verb] % {"status": order.get_status_display()}})
    return order.answers.select_for_update().get(decision=AnswerDecision.PENDING)


@transaction.atomic
def order_close(*, user: Any, order: SupervisionOrder) -> SupervisionOrder:
    """The bureau accepts the unit's answer and closes the order."""
    require(user, Action.ORDER_CLOSE)
    order = _locked(order)
    answer = _pending_answer(order, "close")
    now = timezone.now()
    answer.decision = AnswerDecision.ACCEPTED
    answer.decided_by, answer.decided_at = user, now
    answer.full_clean(exclude=["evidence"])
    answer.save()
    order.status = OrderStatus.CLOSED
    order.closed_on, order.closed_by = timezone.localdate(now), user
    order.full_clean(validate_constraints=False)
    order.save()
    return order


@transaction.atomic
def order_return(*, user: Any, order: SupervisionOrder, reason: str) -> SupervisionOrder:
    """The bureau returns the unit's answer, saying why: the unit answers again. Its
    deadline and level stay: an overdue order goes on escalating."""
    require(user, Action.ORDER_CLOSE)
    order = _locked(order)
    answer = _pending_answer(order, "return")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the answer is returned.")})
    answer.decision = AnswerDecision.RETURNED
    answer.decision_reason = reason
    answer.decided_by, answer.decided_at = user, timezone.now()
    answer.full_clean(exclude=["evidence"])
    answer.save()
    order.status = OrderStatus.RETURNED
    order.save()
    notify(
        unit_staff(order.unit_id),
        kind="order_returned",
        text=_("Your answer to a supervision order was returned: %(matter)s. Reason: %(reason)s")
        % {"matter": order.matter[:200], "reason": reason},
        link=reverse("supervision:order_detail", args=[order.pk]),
        key=f"order-answer:{answer.pk}:returned",
        actor=user,
    )
    return order


# --- Escalation --------------------------------------------------------------------------


def _escalate(orders: QuerySet, change: Mapping[str, Any]) -> int:
    """Sets `change` on the orders (locked), each change kept in their history."""
    change = {**change, "updated_at": timezone.now()}
    rows = list(orders.select_for_update())
    for order in rows:
        for name, value in change.items():
            setattr(order, name, value)
    if rows:
        bulk_update_with_history(rows, SupervisionOrder, list(change), batch_size=500)
    return len(rows)


@transaction.atomic
def orders_escalate(*, today: date, user: Any = None) -> dict[str, int]:
    """The daily escalation (run by Celery beat): an order the unit has not answered (open
    or returned) past its deadline turns from blue to yellow, with a second deadline
    ESCALATION_DAYS later; a yellow one past its second deadline turns red. Idempotent:
    run again the same day it changes nothing. Returns how many turned each colour."""
    require(user, Action.ORDER_ESCALATE)
    waiting = SupervisionOrder.objects.awaiting_unit()
    # Red first, so an order turned yellow today is not judged on its new deadline.
    red = _escalate(
        waiting.filter(level=OrderLevel.YELLOW, second_due_on__lt=today),
        {"level": OrderLevel.RED, "red_on": today},
    )
    yellow = _escalate(
        waiting.filter(level=OrderLevel.BLUE, due_on__lt=today),
        {
            "level": OrderLevel.YELLOW,
            "yellow_on": today,
            "second_due_on": today + timedelta(days=ESCALATION_DAYS),
        },
    )
    return {"yellow": yellow, "red": red}
