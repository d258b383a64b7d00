"""What is still open in a report's months when the bureau publishes it: funds records
awaiting verification, records returned to their unit and not yet submitted again, and the
units that have not reported the last month. Publishing asks for a confirmation and a note
while any of them is there, and the published report keeps what was pending."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.db import money_sum
from core.money import format_wan
from core.periods import add_months, month_label, months_label, parse_period
from projects.choices import LIVE_STAGES, FundsKind, FundsStatus
from projects.models import FundsRecord, Project
from reports.choices import ReportKind
from reports.models import Report
from teams.choices import UnitKind
from teams.models import Unit


@dataclass(frozen=True)
class Pending:
    first_period: str  # YYYY-MM
    last_period: str
    awaiting: int  # submitted, not yet verified
    awaiting_wan: Decimal
    returned: int  # returned to the unit, not yet submitted again
    returned_wan: Decimal
    units_not_reported: list[str]  # names, for the last month

    @property
    def any(self) -> bool:
        return bool(self.awaiting or self.returned or self.units_not_reported)

    def sentences(self) -> list[str]:
        """The pending items as a person reads them."""
        months = months_label(parse_period(self.first_period), parse_period(self.last_period))
        lines = []
        if self.awaiting:
            lines.append(
                _("%(count)s funds records of %(months)s await verification (%(amount)s 万元).")
                % {
                    "count": self.awaiting,
                    "months": months,
                    "amount": format_wan(self.awaiting_wan),
                }
            )
        if self.returned:
            lines.append(
                _(
                    "%(count)s records of %(months)s were returned and not yet submitted "
                    "again (%(amount)s 万元)."
                )
                % {
                    "count": self.returned,
                    "months": months,
                    "amount": format_wan(self.returned_wan),
                }
            )
        if self.units_not_reported:
            lines.append(
                _("%(count)s units have not reported %(month)s: %(units)s.")
                % {
                    "count": len(self.units_not_reported),
                    "month": month_label(self.last_period),
                    "units": "、".join(self.units_not_reported),
                }
            )
        return lines

    @classmethod
    def from_stored(cls, stored: dict[str, Any] | None) -> Pending | None:
        """What a published report kept (None for a report published before it was kept)."""
        if not stored:
            return None
        return cls(
            **{
                **stored,
                "awaiting_wan": Decimal(stored["awaiting_wan"]),
                "returned_wan": Decimal(stored["returned_wan"]),
            }
        )

    def as_stored(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "awaiting_wan": str(self.awaiting_wan),
            "returned_wan": str(self.returned_wan),
        }


def report_months(report: Report) -> tuple[date, date]:
    """The months a report's figures add up: January to the bulletin's month, to the last
    month of the review's quarter, or to the last month the year-end assessment counted."""
    if report.kind == ReportKind.ANNUAL:  # to the last month the assessment counted
        month = int((report.figures or {}).get("month") or 12)
        return date(report.period.year, 1, 1), date(report.period.year, month, 1)
    last = report.period if report.kind == ReportKind.MONTHLY else add_months(report.period, 2)
    return date(last.year, 1, 1), last


def report_pending(report: Report) -> Pending:
    """What is open in the report's months as of now (three queries)."""
    first, last = report_months(report)
    records = FundsRecord.objects.filter(period__gte=first, period__lte=last)
    counts = records.aggregate(
        awaiting=Count("pk", filter=Q(status=FundsStatus.SUBMITTED)),
        awaiting_wan=money_sum("amount_wan", Q(status=FundsStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(status=FundsStatus.REJECTED)),
        returned_wan=money_sum("amount_wan", Q(status=FundsStatus.REJECTED)),
    )
    live = Project.objects.filter(unit=OuterRef("pk"), stage__in=LIVE_STAGES)
    reported = FundsRecord.objects.filter(
        project__unit=OuterRef("pk"), period=last, kind=FundsKind.FUNDS, corrects__isnull=True
    ).exclude(status=FundsStatus.REJECTED)
    missing = (
        Unit.objects.filter(is_active=True)
        .exclude(kind=UnitKind.BUREAU)
        .annotate(
            to_report=Coalesce(
                Subquery(live.values("unit").annotate(n=Count("pk")).values("n")), 0
            ),
            reported=Coalesce(
                Subquery(reported.values("project__unit").annotate(n=Count("pk")).values("n")), 0
            ),
        )
        .filter(to_report__gt=0, reported__lt=F("to_report"))
        .in_report_order()
        .values_list("name", flat=True)
    )
    return Pending(
        first_period=f"{first:%Y-%m}",
        last_period=f"{last:%Y-%m}",
        awaiting=counts["awaiting"],
        awaiting_wan=counts["awaiting_wan"],
        returned=counts["returned"],
        returned_wan=counts["returned_wan"],
        units_not_reported=list(missing),
    )
