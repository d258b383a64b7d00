"""The work queue (待办): what each person has to do now, read from the selectors and
querysets of the apps below, each item linking to the list where the person acts.

- An officer or a unit head: their unit's funds to report this month, its records returned
  (each with the reason), the blockers it must solve that are due within a week or overdue,
  its stalled projects, its trips whose results are due or overdue, its new leads not yet
  followed up past the response clock (首报首谈), and its supervision orders awaiting an
  answer, by colour.
- The bureau: the verification queue, the possible duplicates to decide, the answered
  orders to close, the report drafts to publish (with what is still pending in their
  months), and the county's picture: units that have not reported this month, stalled
  projects, overdue blockers, red leads, overdue trips.
- A county leader: the stalled projects, overdue blockers and red orders of the projects
  they sponsor (包保).

Every count is an aggregate: a fixed number of queries whatever the number of rows. The
home page (work.views.work_queue_panel), `GET /api/v1/me/todo/` and the daily digest
(work.services) show the same list.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Window
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import is_bureau
from core.periods import format_period, month_start
from core.policy import Action, may
from core.roles import Role, role_of
from projects.choices import (
    BUILDING_STAGES,
    LIVE_STAGES,
    BlockerStatus,
    DuplicateDecision,
    FundsKind,
    FundsStatus,
    LeadClockColour,
)
from projects.models import Blocker, DuplicatePair, FundsRecord, Lead, LeadClock, Project
from reports.choices import ReportKind
from reports.models import Report
from reports.selectors.pending import report_pending
from supervision.choices import OrderLevel, OrderStatus
from supervision.models import SupervisionOrder
from supervision.selectors import red_orders_for
from trips.choices import TripStatus
from trips.models import Trip

INFO, AMBER, RED = "info", "amber", "red"
SEVERITIES = (RED, AMBER, INFO)  # the queue's order
# Blockers due within this many days are shown before they are overdue.
BLOCKER_DUE_DAYS = 7
# A month's funds still missing in its last days are shown amber.
LAST_DAYS_OF_MONTH = 7
# Returned records listed one by one (with the reason); the rest in one line.
RETURNED_SHOWN = 5


@dataclass(frozen=True)
class TodoItem:
    """One line of the queue: how many of what (`count`), how urgent (`severity`: info,
    amber, red) and where to act (`link`: a list with its filters, or a record)."""

    kind: str
    label: str
    count: int
    severity: str
    link: str
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _url(name: str, *args: Any, **query: Any) -> str:
    url = reverse(name, args=args)
    query = {key: value for key, value in query.items() if value is not None}
    return f"{url}?{urlencode(query)}" if query else url


class _Queue:
    def __init__(self, user: Any, today: date) -> None:
        self.user = user
        self.today = today
        self.period = month_start(today)
        self.items: list[TodoItem] = []
        self._clock: LeadClock | None = None

    def add(self, kind: str, label: str, count: int, severity: str, link: str, detail: str = ""):
        if count:
            self.items.append(TodoItem(kind, label, count, severity, link, detail))

    @property
    def clock(self) -> LeadClock:
        if self._clock is None:
            self._clock = LeadClock.current()
        return self._clock

    def sorted(self) -> list[TodoItem]:
        return sorted(self.items, key=lambda item: SEVERITIES.index(item.severity))

    # --- A unit's staff ---------------------------------------------------------------------

    def unit_funds(self, unit_id: int) -> None:
        """The unit's live projects with no record of this month yet (a returned record is
        listed on its own line, with its reason)."""
        month = FundsRecord.objects.filter(
            project=OuterRef("pk"), period=self.period, corrects__isnull=True
        )
        counts = (
            Project.objects.filter(unit=unit_id, stage__in=LIVE_STAGES)
            .annotate(
                has_funds=Exists(month.filter(kind=FundsKind.FUNDS)),
                has_investment=Exists(month.filter(kind=FundsKind.INVESTMENT)),
            )
            .aggregate(
                funds=Count("pk", filter=Q(has_funds=False)),
                investment=Count("pk", filter=Q(has_investment=False, stage__in=BUILDING_STAGES)),
            )
        )
        last_day = calendar.monthrange(self.period.year, self.period.month)[1]
        late = self.today.day > last_day - LAST_DAYS_OF_MONTH
        severity = AMBER if late else INFO
        month_label = format_period(self.period)
        link = _url("projects:funds_entry", period=month_label)
        self.add(
            "funds_to_report",
            ngettext(
                "%(count)s project to report funds in place for %(month)s",
                "%(count)s projects to report funds in place for %(month)s",
                counts["funds"],
            )
            % {"count": counts["funds"], "month": month_label},
            counts["funds"],
            severity,
            link,
        )
        self.add(
            "investment_to_report",
            ngettext(
                "%(count)s project to report completed investment for %(month)s",
                "%(count)s projects to report completed investment for %(month)s",
                counts["investment"],
            )
            % {"count": counts["investment"], "month": month_label},
            counts["investment"],
            severity,
            link,
        )

    def unit_returned(self, unit_id: int) -> None:
        """The unit's records returned by the bureau, the latest first, each with its
        reason; past RETURNED_SHOWN, one line for the rest. One query (the total is a
        window count over the same rows)."""
        returned = list(
            FundsRecord.objects.filter(project__unit=unit_id, status=FundsStatus.REJECTED)
            .select_related("project")
            .annotate(total=Window(Count("pk")))
            .order_by("-verified_at", "-id")[:RETURNED_SHOWN]
        )
        for record in returned:
            self.add(
                "funds_returned",
                _("Returned: %(project)s, %(month)s, %(kind)s")
                % {
                    "project": record.project.name,
                    "month": record.month_label,
                    "kind": record.get_kind_display(),
                },
                1,
                RED,
                record.get_absolute_url(),
                detail=record.reject_reason,
            )
        more = (returned[0].total if returned else 0) - len(returned)
        self.add(
            "funds_returned_more",
            ngettext(
                "%(count)s more returned record",
                "%(count)s more returned records",
                more,
            )
            % {"count": more},
            more,
            RED,
            _url("projects:funds_ledger", unit=unit_id, status=FundsStatus.REJECTED),
        )

    def unit_blockers(self, unit_id: int) -> None:
        """The open blockers the unit must solve: overdue, and due within a week."""
        soon = self.today + timedelta(days=BLOCKER_DUE_DAYS)
        counts = Blocker.objects.filter(owner_unit=unit_id, status=BlockerStatus.OPEN).aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=self.today)),
            due=Count("pk", filter=Q(due_on__gte=self.today, due_on__lte=soon)),
        )
        self.add(
            "blockers_overdue",
            ngettext(
                "%(count)s blocker your unit must solve is overdue",
                "%(count)s blockers your unit must solve are overdue",
                counts["overdue"],
            )
            % {"count": counts["overdue"]},
            counts["overdue"],
            RED,
            _url("projects:blocker_list", owner_unit=unit_id, overdue="true"),
        )
        self.add(
            "blockers_due",
            ngettext(
                "%(count)s blocker your unit must solve is due within %(days)s days",
                "%(count)s blockers your unit must solve are due within %(days)s days",
                counts["due"],
            )
            % {"count": counts["due"], "days": BLOCKER_DUE_DAYS},
            counts["due"],
            AMBER,
            _url(
                "projects:blocker_list",
                owner_unit=unit_id,
                status=BlockerStatus.OPEN,
                overdue="false",
                due_before=soon.isoformat(),
            ),
        )

    def stalled(self, projects: Any, link: str, severity: str) -> None:
        count = projects.stalled(self.today).count()
        self.add(
            "stalled_projects",
            ngettext("%(count)s stalled project", "%(count)s stalled projects", count)
            % {"count": count},
            count,
            severity,
            link,
        )

    def trips(self, trips: Any, overdue_only: bool = False) -> None:
        """Trips whose results are overdue (red) or due (amber: ended, within the days
        the results are due)."""
        counts = trips.with_status(self.today).aggregate(
            overdue=Count("pk", filter=Q(status=TripStatus.OVERDUE)),
            awaiting=Count("pk", filter=Q(status=TripStatus.AWAITING)),
        )
        self.add(
            "trips_overdue",
            ngettext(
                "%(count)s trip's results are overdue",
                "%(count)s trips' results are overdue",
                counts["overdue"],
            )
            % {"count": counts["overdue"]},
            counts["overdue"],
            INFO if overdue_only else RED,
            _url("trips:trip_list", status=TripStatus.OVERDUE),
        )
        if not overdue_only:
            self.add(
                "trips_to_report",
                ngettext(
                    "%(count)s trip to report its results",
                    "%(count)s trips to report their results",
                    counts["awaiting"],
                )
                % {"count": counts["awaiting"]},
                counts["awaiting"],
                AMBER,
                _url("trips:trip_list", status=TripStatus.AWAITING),
            )

    def leads(self, leads: Any, unit_id: int | None, red_only: bool = False) -> None:
        """New leads not followed up past the response clock (首报首谈)."""
        counts = leads.with_clock(self.today, self.clock).aggregate(
            red=Count("pk", filter=Q(clock=LeadClockColour.RED)),
            amber=Count("pk", filter=Q(clock=LeadClockColour.AMBER)),
        )
        self.add(
            "leads_red",
            ngettext(
                "%(count)s new lead not followed up for over %(days)s days",
                "%(count)s new leads not followed up for over %(days)s days",
                counts["red"],
            )
            % {"count": counts["red"], "days": self.clock.red_days},
            counts["red"],
            INFO if red_only else RED,
            _url("projects:lead_list", unit=unit_id, clock=LeadClockColour.RED),
        )
        if not red_only:
            self.add(
                "leads_amber",
                ngettext(
                    "%(count)s new lead not followed up for over %(days)s days",
                    "%(count)s new leads not followed up for over %(days)s days",
                    counts["amber"],
                )
                % {"count": counts["amber"], "days": self.clock.amber_days},
                counts["amber"],
                AMBER,
                _url("projects:lead_list", unit=unit_id, clock=LeadClockColour.AMBER),
            )

    def unit_orders(self, unit_id: int) -> None:
        """The unit's supervision orders awaiting its answer, by colour."""
        counts = dict(
            SupervisionOrder.objects.filter(unit=unit_id)
            .awaiting_unit()
            .order_by()
            .values_list("level")
            .annotate(n=Count("pk"))
        )
        severities = {OrderLevel.RED: RED, OrderLevel.YELLOW: AMBER, OrderLevel.BLUE: INFO}
        for level in (OrderLevel.RED, OrderLevel.YELLOW, OrderLevel.BLUE):
            count = counts.get(level, 0)
            self.add(
                f"orders_{level}",
                ngettext(
                    "%(count)s supervision order to answer: %(level)s",
                    "%(count)s supervision orders to answer: %(level)s",
                    count,
                )
                % {"count": count, "level": OrderLevel(level).label},
                count,
                severities[level],
                _url("supervision:order_list", awaiting="true", level=level),
            )

    # --- The bureau -------------------------------------------------------------------------

    def verification(self) -> None:
        count = FundsRecord.objects.filter(status=FundsStatus.SUBMITTED).count()
        self.add(
            "funds_to_verify",
            ngettext(
                "%(count)s funds record awaits verification",
                "%(count)s funds records await verification",
                count,
            )
            % {"count": count},
            count,
            AMBER,
            reverse("projects:funds_queue"),
        )

    def duplicates(self) -> None:
        count = DuplicatePair.objects.filter(decision=DuplicateDecision.PENDING).count()
        self.add(
            "duplicates_to_decide",
            ngettext(
                "%(count)s possible duplicate project to decide",
                "%(count)s possible duplicate projects to decide",
                count,
            )
            % {"count": count},
            count,
            AMBER,
            _url("projects:duplicate_list", decision=DuplicateDecision.PENDING),
        )

    def orders_to_close(self) -> None:
        count = SupervisionOrder.objects.filter(status=OrderStatus.ANSWERED).count()
        self.add(
            "orders_to_close",
            ngettext(
                "%(count)s answered supervision order to close or return",
                "%(count)s answered supervision orders to close or return",
                count,
            )
            % {"count": count},
            count,
            AMBER,
            _url("supervision:order_list", status=OrderStatus.ANSWERED),
        )

    def drafts(self) -> None:
        """Report drafts to publish, per kind; beside the latest monthly bulletin's draft,
        what is still pending in its months (reports.selectors.pending), which publishing
        asks the bureau to confirm."""
        counts = dict(
            Report.objects.drafts().order_by().values_list("kind").annotate(n=Count("pk"))
        )
        latest = None
        if counts.get(ReportKind.MONTHLY):
            latest = Report.objects.drafts().filter(kind=ReportKind.MONTHLY).latest("period")
        for kind, count in sorted(counts.items()):
            detail = ""
            if kind == ReportKind.MONTHLY and latest is not None:
                pending = report_pending(latest)
                detail = (
                    " ".join(pending.sentences())
                    if pending.any
                    else _("Nothing is pending in its months: it is ready to publish.")
                )
            try:
                link = reverse(f"reports:{kind}_list")
            except NoReverseMatch:
                link = reverse("reports:monthly_list")
            label = ReportKind(kind).label if kind in ReportKind.values else kind
            self.add(
                f"{kind}_to_publish",
                ngettext(
                    "%(count)s draft to publish: %(kind)s",
                    "%(count)s drafts to publish: %(kind)s",
                    count,
                )
                % {"count": count, "kind": label},
                count,
                AMBER,
                link,
                detail=detail,
            )

    def units_not_reported(self) -> None:
        """How many units have a live project without a funds record this month (one
        returned counts as none, as on the reporting status page)."""
        month = FundsRecord.objects.filter(
            project=OuterRef("pk"),
            period=self.period,
            kind=FundsKind.FUNDS,
            corrects__isnull=True,
        ).exclude(status=FundsStatus.REJECTED)
        count = (
            Project.objects.filter(stage__in=LIVE_STAGES)
            .exclude(Exists(month))
            .order_by()
            .values("unit")
            .distinct()
            .count()
        )
        self.add(
            "units_not_reported",
            ngettext(
                "%(count)s unit has not reported all its funds for %(month)s",
                "%(count)s units have not reported all their funds for %(month)s",
                count,
            )
            % {"count": count, "month": format_period(self.period)},
            count,
            INFO,
            _url("projects:funds_status", period=format_period(self.period)),
        )

    def county_blockers(self) -> None:
        count = Blocker.objects.overdue(self.today).count()
        self.add(
            "blockers_overdue",
            ngettext("%(count)s overdue blocker", "%(count)s overdue blockers", count)
            % {"count": count},
            count,
            INFO,
            _url("projects:blocker_list", overdue="true"),
        )

    # --- A county leader --------------------------------------------------------------------

    def sponsored(self) -> None:
        """The stalled projects, overdue blockers and red orders of the leader's 包保
        projects."""
        projects = Project.objects.filter(leader=self.user.pk)
        self.stalled(projects, _url("projects:sponsored", stalled="true"), AMBER)
        count = Blocker.objects.filter(project__leader=self.user.pk).overdue(self.today).count()
        self.add(
            "blockers_overdue",
            ngettext(
                "%(count)s overdue blocker of your projects",
                "%(count)s overdue blockers of your projects",
                count,
            )
            % {"count": count},
            count,
            RED,
            reverse("projects:sponsored"),
        )
        count = red_orders_for(self.user).count()
        self.add(
            "orders_red",
            ngettext(
                "%(count)s red supervision order about your projects",
                "%(count)s red supervision orders about your projects",
                count,
            )
            % {"count": count},
            count,
            RED,
            _url("supervision:order_list", level=OrderLevel.RED, awaiting="true"),
        )


def todo_for(user: Any, today: date | None = None) -> list[TodoItem]:
    """The user's work queue, most urgent first (red, amber, info); empty for someone
    with nothing to do (and for the anonymous and the deactivated)."""
    today = today or timezone.localdate()
    role = role_of(user)
    queue = _Queue(user, today)
    if role in (Role.OFFICER, Role.UNIT_HEAD) and user.unit_id is not None:
        unit = user.unit_id
        queue.unit_returned(unit)
        queue.unit_funds(unit)
        queue.unit_blockers(unit)
        queue.unit_orders(unit)
        queue.leads(Lead.objects.filter(unit=unit), unit)
        queue.trips(Trip.objects.editable_by(user))
        queue.stalled(
            Project.objects.filter(unit=unit),
            _url("projects:project_list", unit=unit, stalled="true"),
            AMBER,
        )
    elif is_bureau(user):
        if may(user, Action.FUNDS_VERIFY):
            queue.verification()
        if may(user, Action.DUPLICATE_DECIDE):
            queue.duplicates()
        if may(user, Action.ORDER_CLOSE):
            queue.orders_to_close()
        if may(user, Action.REPORT_PUBLISH):
            queue.drafts()
        queue.units_not_reported()
        queue.stalled(Project.objects.all(), _url("projects:project_list", stalled="true"), INFO)
        queue.county_blockers()
        queue.leads(Lead.objects.all(), None, red_only=True)
        queue.trips(Trip.objects.all(), overdue_only=True)
    elif role == Role.LEADER:
        queue.sponsored()
    return queue.sorted()
