"""The leadership dashboard page (issue 8). The page holds the filters, the card and chart
frames and the key projects board; each fills itself from its own JSON section
(reports.api.dashboard), so no chart waits on another."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import sees_everything
from core.forms import StyledForm
from core.periods import month_end_label, version_label, year_to_month_label
from core.unchanged import kept_while_unchanged
from reports.models import Report
from reports.selectors.dashboard import (
    LIVE,
    PUBLISHED,
    SECTIONS,
    UNIT_KINDS,
    Period,
    Scope,
    dashboard_period,
    dashboard_scope,
    published_months,
)
from teams.choices import UnitKind

YEARS_BACK = 4  # live figures may be asked for this many years before the current one
CHARTS = (
    ("monthly_funds", gettext_lazy("Funds in place month by month, this year against last")),
    (
        "monthly_investment",
        gettext_lazy("Completed investment month by month, this year against last"),
    ),
    ("units", gettext_lazy("Units by share of their funds target")),
    ("funnel", gettext_lazy("Projects by stage")),
    ("industries", gettext_lazy("Contract amount signed by industry chain (万元)")),
    ("origins", gettext_lazy("Projects and funds by investor origin")),
    ("size_classes", gettext_lazy("12510: projects signed by size")),
    ("teams", gettext_lazy("Team ranking for the month")),
)


class DashboardFilterForm(StyledForm):
    """The filters of the page and of the JSON alike: the period (a published month or live
    figures) and, for those who see the county, a kind of unit."""

    source = forms.ChoiceField(
        label=gettext_lazy("Figures"),
        required=False,
        choices=[
            (PUBLISHED, gettext_lazy("Published bulletin")),
            (LIVE, gettext_lazy("Live figures")),
        ],
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000)
    month = forms.IntegerField(
        label=gettext_lazy("Month"), required=False, min_value=1, max_value=12
    )
    unit_kind = forms.ChoiceField(
        label=gettext_lazy("Unit kind"),
        required=False,
        choices=[("", gettext_lazy("All units")), *[(k.value, k.label) for k in UNIT_KINDS]],
    )

    def __init__(
        self, *args: Any, today: date, published: dict[date, Report], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.published = published

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            data["period"] = dashboard_period(
                source=data.get("source") or None,
                year=data.get("year"),
                month=data.get("month"),
                today=self.today,
                published=self.published,
            )
        except ValidationError as error:
            self.add_error(None, error)
        return data

    def error_list(self) -> list[str]:
        return [
            f"{self.fields[name].label}：{message}" if name in self.fields else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]


def filter_form(request: HttpRequest, today: date) -> DashboardFilterForm:
    form = DashboardFilterForm(request.GET, today=today, published=published_months())
    form.is_valid()
    return form


def query_of(period: Period, scope: Scope) -> dict[str, Any]:
    """The filters as resolved, for the JSON requests and shared links."""
    query: dict[str, Any] = {"source": period.source, "year": period.year, "month": period.month}
    if scope.is_county and scope.unit_kind:
        query["unit_kind"] = scope.unit_kind
    return query


def period_label(period: Period, today: date) -> str:
    """Which months the figures count, as people write them: "2026年1—10月，取自已发布通报
    （第1版）", or live "2026年1—11月（截至11月底），2026年12月2日实时数据"."""
    months = year_to_month_label(period.year, period.month)
    if period.source == PUBLISHED and period.report is not None:
        return _("%(months)s, from the published bulletin (%(version)s)") % {
            "months": months,
            "version": version_label(period.report.version),
        }
    return _("%(months)s (%(until)s), live figures of %(today)s") % {
        "months": months,
        "until": month_end_label(period.month),
        "today": date_format(today, "DATE_FORMAT"),
    }


class DashboardView(View):
    """The county's investment promotion at a glance: leaders and the bureau see the county
    (or its units of one kind); an officer or unit head their unit, their teams and their
    rank among their peers."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return kept_while_unchanged(request, lambda: self.page(request), page=True)

    def page(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        form = filter_form(request, today)
        county = sees_everything(request.user)
        unit_kind = form.cleaned_data.get("unit_kind") if county else None
        scope = dashboard_scope(request.user, unit_kind)
        period: Period | None = form.cleaned_data.get("period")
        published = sorted(form.published)
        years = sorted(
            {p.year for p in published} | set(range(today.year - YEARS_BACK, today.year + 1)),
            reverse=True,
        )
        context: dict[str, Any] = {
            "form": form,
            "errors": form.error_list(),
            "scope": scope,
            "scope_label": scope.as_dict()["label"],
            "county": county,
            "period": period,
            "years": years,
            "months": range(1, 13),
            "unit_kinds": [(k.value, k.label) for k in UNIT_KINDS],
            "published_months": ",".join(f"{p.year}-{p.month:02d}" for p in published),
            "source": period.source if period else (form.data.get("source") or PUBLISHED),
            "year": period.year if period else form.cleaned_data.get("year") or today.year,
            "month": period.month if period else form.cleaned_data.get("month"),
            "chosen_unit_kind": scope.unit_kind if county else "",
            "live": LIVE,
            "published": PUBLISHED,
        }
        if period is not None:
            query = urlencode(query_of(period, scope))
            urls = {
                name: f"{reverse('api-dashboard-section', args=[name])}?{query}"
                for name in SECTIONS
            }
            context |= {
                "period_label": period_label(period, today),
                "section_urls": urls,
                "charts": [
                    {"name": name, "title": title, "url": urls[name]} for name, title in CHARTS
                ],
                "unit_kind_label": UnitKind(scope.unit_kind).label if scope.unit_kind else "",
            }
        return TemplateResponse(
            request, "reports/dashboard.html", context, status=400 if form.errors else 200
        )
