"""Pages of targets: the decomposition grid (set, copy last year, import, export), the
progress table of every unit or team with the four rates, and each person's progress.

Who may do what on a grid is `services.grid_access`; the figures are `selectors`'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.access import sees_everything
from core.exports import XLSX_CONTENT_TYPE
from core.periods import format_period, parse_period
from core.views import FORM_METHODS, requested_year
from targets import services
from targets.choices import Metric, OwnerKind, Pace
from targets.forms import TargetImportForm, TargetRowForm, is_amount
from targets.models import Target
from targets.selectors import (
    OwnerProgress,
    Window,
    decomposition_gaps,
    default_owners,
    default_window,
    drill_down_url,
    progress_table,
    target_values,
    unit_rates,
)
from targets.services import GridAccess
from teams.choices import UnitKind
from teams.models import Unit

GRID_KINDS = (OwnerKind.UNIT, OwnerKind.TEAM, OwnerKind.PERSON)
PROGRESS_KINDS = (OwnerKind.UNIT, OwnerKind.TEAM)
PACE_CLASS = {
    Pace.AHEAD: "table-success",
    Pace.ON_PACE: "table-info",
    Pace.BEHIND: "table-danger",
    Pace.NO_TARGET: "",
}
FIRST_YEAR, LAST_YEAR = 2000, 2100
READ_METHODS = ["get", "head", "options"]


def columns() -> list[dict[str, Any]]:
    return [
        {"metric": metric, "label": label, "amount": is_amount(metric)}
        for metric, label in Metric.choices
    ]


def requested_window(request: HttpRequest) -> Window:
    """`period=YYYY-MM`; or `year=` alone: a past year to December, the default year to
    its default month, the current year in January (nothing complete yet) and later years
    to January; otherwise the default."""
    today = timezone.localdate()
    default = default_window(today)
    try:
        period = parse_period(request.GET.get("period", ""))
    except ValueError:
        pass
    else:
        if FIRST_YEAR <= period.year <= LAST_YEAR:
            return Window(period.year, period.month)
    year = requested_year(request, default.year)
    if year == default.year:
        return default
    return Window(year, 12 if year < today.year else 1)


# --- The decomposition grid -----------------------------------------------------------------


@dataclass
class Grid:
    """Which grid a request is about, and what its user may do with it."""

    year: int
    kind: str
    unit: Unit | None  # a person grid: whose staff
    access: GridAccess
    owners: list[Any]

    @property
    def editable(self) -> bool:
        return self.access == GridAccess.EDIT

    @property
    def query(self) -> str:
        params: dict[str, Any] = {"year": self.year, "kind": self.kind}
        if self.unit is not None:
            params["unit"] = self.unit.pk
        return urlencode(params)


def requested_grid(request: HttpRequest) -> Grid:
    """The grid of `?year=&kind=unit|team|person[&unit=]`: 404 for another unit's staff,
    403 for a grid the user may not see. A unit head's default is their unit's staff."""
    user = request.user
    kind = request.GET.get("kind", "")
    if kind not in GRID_KINDS:
        kind = OwnerKind.UNIT if sees_everything(user) else OwnerKind.PERSON
    unit = None
    if kind == OwnerKind.PERSON:
        unit_id = request.GET.get("unit", "") or user.unit_id
        if not str(unit_id).isdigit():
            raise Http404
        unit = get_object_or_404(Unit, pk=unit_id)
    access = services.grid_access(user, kind, unit)
    if access == GridAccess.HIDDEN:
        raise Http404
    if access == GridAccess.FORBIDDEN:
        raise PermissionDenied
    year = requested_year(request, timezone.localdate().year)
    return Grid(year, kind, unit, access, services.owners_of(kind, user, unit))


class TargetGridView(TemplateView):
    """The decomposition grid: the total to reach on top (the county's targets, which the
    bureau edits; above a unit's staff, the unit's targets, read only), one row per owner
    (units grouped by kind), a target per metric, and under them the rows' sum, the total
    and the gap (分解不足 / 超额分解), recomputed by static/js/targets.js as numbers are
    typed. Saving is all or nothing: a refused number re-renders everything as typed."""

    template_name = "targets/grid.html"
    http_method_names = FORM_METHODS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.grid = requested_grid(request)
        if request.GET.get("export") == "xlsx":
            return self.export()
        return self.render_to_response(self.get_context_data())

    def writable_grid(self) -> Grid:
        grid = requested_grid(self.request)
        if not grid.editable:
            raise PermissionDenied
        return grid

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.grid = self.writable_grid()
        total, rows = self.forms(request.POST)
        bound = [form for owner, form in rows] + ([] if total.readonly else [total])
        if all(form.is_valid() for form in bound):
            try:
                with transaction.atomic():
                    changed = 0
                    if not total.readonly:  # the county's targets, above units and teams
                        changed += services.targets_save_grid(
                            user=request.user,
                            year=self.grid.year,
                            kind=OwnerKind.COUNTY,
                            rows={None: total.cleaned_data},
                        )
                    changed += services.targets_save_grid(
                        user=request.user,
                        year=self.grid.year,
                        kind=self.grid.kind,
                        rows={owner: form.cleaned_data for owner, form in rows},
                    )
            except ValidationError as error:
                for message in error.messages:
                    total.add_error(None, message)
            else:
                messages.success(
                    request, _("Targets saved: %(count)s changed.") % {"count": changed}
                )
                return self.redirect()
        messages.error(request, _("Nothing was saved: correct the numbers marked below."))
        return self.render_to_response(self.get_context_data(forms=(total, rows)))

    def redirect(self) -> HttpResponse:
        return HttpResponseRedirect(f"{reverse('targets:grid')}?{self.grid.query}")

    def forms(self, data: Any = None) -> tuple[TargetRowForm, list[tuple[Any, TargetRowForm]]]:
        grid = self.grid
        if grid.kind == OwnerKind.PERSON:
            total_values = target_values(OwnerKind.UNIT, [grid.unit.pk], grid.year)
            total_label = _("%(unit)s (the unit's targets)") % {"unit": grid.unit.name}
            total_readonly = True
        else:
            total_values = target_values(OwnerKind.COUNTY, None, grid.year)
            total_label = str(OwnerKind.COUNTY.label)
            total_readonly = not grid.editable
        total = TargetRowForm(
            data,
            prefix="total",
            initial={metric: value for (owner, metric), value in total_values.items()},
            owner_label=total_label,
            role="total",
            readonly=total_readonly,
        )
        saved = target_values(grid.kind, [o.pk for o in grid.owners], grid.year)
        rows = [
            (
                owner,
                TargetRowForm(
                    data,
                    prefix=f"o{owner.pk}",
                    initial={m: saved.get((owner.pk, m)) for m in Metric.values},
                    owner_label=services.owner_name(grid.kind, owner),
                    role="part",
                    readonly=not grid.editable,
                ),
            )
            for owner in grid.owners
        ]
        return total, rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        grid = self.grid
        total, rows = kwargs.get("forms") or self.forms()
        cols = columns()
        gaps = decomposition_gaps(total.values(), [form.values() for owner, form in rows])
        user = self.request.user
        context.update(
            {
                "grid": grid,
                "year": grid.year,
                "kind": grid.kind,
                "kind_label": OwnerKind(grid.kind).label,
                "unit": grid.unit,
                "columns": cols,
                "total": {"form": total, "cells": [(c, total[c["metric"]]) for c in cols]},
                "rows": [
                    {
                        "owner": owner,
                        "key": services.owner_key(grid.kind, owner),
                        "label": form.owner_label,
                        "group": owner.get_kind_display() if grid.kind != OwnerKind.PERSON else "",
                        "form": form,
                        "cells": [(c, form[c["metric"]]) for c in cols],
                    }
                    for owner, form in rows
                ],
                "errors": [*total.non_field_errors(), *total.error_lines()]
                + [line for owner, form in rows for line in form.error_lines()],
                "footer": [(c, gaps[c["metric"]]) for c in cols],
                "total_name": _("The unit's target")
                if grid.kind == OwnerKind.PERSON
                else _("The county's target"),
                "kinds": [(k, OwnerKind(k).label) for k in GRID_KINDS]
                if sees_everything(user)
                else [],
                "units": Unit.objects.active().in_report_order() if sees_everything(user) else [],
                "import_form": kwargs.get("import_form") or TargetImportForm(),
                "import_errors": kwargs.get("import_errors", []),
            }
        )
        return context

    def export(self) -> HttpResponse:
        grid = self.grid
        content = services.decomposition_workbook(
            year=grid.year, kind=grid.kind, owners=grid.owners
        )
        name = f"{grid.year}-{OwnerKind(grid.kind).label}"
        if grid.unit is not None:
            name += f"-{grid.unit.name}"
        filename = _("Targets %(name)s.xlsx") % {"name": name}
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


class TargetCopyView(TargetGridView):
    """Last year's targets of the grid (and, above units and teams, the county's) where
    none is set yet for this year."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.grid = self.writable_grid()
        grid = self.grid
        with transaction.atomic():
            copied = 0
            if grid.kind != OwnerKind.PERSON:
                copied += services.targets_copy_year(
                    user=request.user, year=grid.year, kind=OwnerKind.COUNTY, owners=[None]
                )
            copied += services.targets_copy_year(
                user=request.user, year=grid.year, kind=grid.kind, owners=grid.owners
            )
        if copied:
            messages.success(
                request,
                _("%(count)s targets copied from %(year)s.")
                % {"count": copied, "year": grid.year - 1},
            )
        else:
            messages.info(
                request,
                _("Nothing to copy: %(year)s has no targets that are not set already.")
                % {"year": grid.year - 1},
            )
        return self.redirect()


class TargetImportView(TargetGridView):
    """A decomposition workbook: every value set, or, if any row is bad, nothing and the
    page lists every bad row and why."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.grid = self.writable_grid()
        grid = self.grid
        form = TargetImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                changed = services.targets_import(
                    user=request.user,
                    year=grid.year,
                    kind=grid.kind,
                    file=form.cleaned_data["file"],
                    owners=grid.owners,
                )
            except services.ImportRefused as refused:
                messages.error(request, _("Nothing was imported: correct the rows listed below."))
                return self.render_to_response(
                    self.get_context_data(import_form=form, import_errors=refused.row_errors)
                )
            messages.success(
                request, _("Workbook imported: %(count)s targets changed.") % {"count": changed}
            )
            return self.redirect()
        messages.error(request, _("Nothing was imported."))
        return self.render_to_response(self.get_context_data(import_form=form))


# --- Progress ------------------------------------------------------------------------------


def progress_rows(rows: list[OwnerProgress], window: Window) -> list[dict[str, Any]]:
    """What a progress table shows of each owner: each metric with its colour and the
    link to the records it counts."""
    cols = columns()
    shown = []
    for row in rows:
        owner = row.owner
        cells = []
        for column in cols:
            figure = row.metrics[column["metric"]]
            cells.append(
                {
                    "column": column,
                    "figure": figure,
                    "css": PACE_CLASS[figure.pace],
                    "pace_label": Pace(figure.pace).label,
                    "link": drill_down_url(row.kind, row.owner_id, figure.metric, window),
                }
            )
        shown.append(
            {
                "row": row,
                "label": services.owner_name(row.kind, owner) if owner is not None else "",
                "group": owner.get_kind_display()
                if row.kind in (OwnerKind.UNIT, OwnerKind.TEAM)
                else "",
                "cells": cells,
            }
        )
    return shown


class PeriodMixin:
    request: HttpRequest

    def period_context(self, window: Window) -> dict[str, Any]:
        return {
            "window": window,
            "period_label": format_period(window.last_period),
            "time_progress": window.time_progress,
            "columns": columns(),
            "paces": [
                (Pace.AHEAD.label, PACE_CLASS[Pace.AHEAD]),
                (Pace.ON_PACE.label, PACE_CLASS[Pace.ON_PACE]),
                (Pace.BEHIND.label, PACE_CLASS[Pace.BEHIND]),
            ],
        }


class ProgressView(PeriodMixin, TemplateView):
    """Every unit's (or team's) progress on every metric to the end of a month, against
    time progress, for the bureau and leaders; each figure links to the records it counts.
    Under it, the four rates of each unit."""

    template_name = "targets/progress.html"
    http_method_names = READ_METHODS
    # A province's 2 000 units on one page were 9.9 MB of HTML and 2-4 s (bench/README.md,
    # issue 20): the rows come a page at a time, in report order, the county's row on each.
    paginate_by = 100

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sees_everything(request.user):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        window = requested_window(self.request)
        kind = self.request.GET.get("kind", "")
        if kind not in PROGRESS_KINDS:
            kind = OwnerKind.UNIT
        page = Paginator(default_owners(kind), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        rows = progress_table(kind, window.year, window.month, page.object_list)
        county = progress_table(OwnerKind.COUNTY, window.year, window.month)
        # The rates are per unit on both views: the page's units, or on the teams' view the
        # units a page at a time of their own (every unit's rates took 1.2 s at province).
        rates_page = None
        if kind == OwnerKind.UNIT:
            units = [row.owner for row in rows]
        else:
            rates_page = Paginator(default_owners(OwnerKind.UNIT), self.paginate_by).get_page(
                self.request.GET.get("unit_page")
            )
            units = list(rates_page.object_list)
        context.update(self.period_context(window))
        context.update(
            {
                "kind": kind,
                "kinds": [(k, OwnerKind(k).label) for k in PROGRESS_KINDS],
                "county": progress_rows(county, window)[0],
                "rows": progress_rows(rows, window),
                "rates": unit_rates(window.year, window.month, units),
                "page_obj": page,
                "rates_page": rates_page,
            }
        )
        return context


class MyProgressView(PeriodMixin, TemplateView):
    """A person's own targets, their unit's and their teams', to the end of a month."""

    template_name = "targets/mine.html"
    http_method_names = READ_METHODS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        window = requested_window(self.request)
        sections = [
            (_("My targets"), progress_table(OwnerKind.PERSON, window.year, window.month, [user]))
        ]
        if user.unit is not None and user.unit.kind != UnitKind.BUREAU:
            sections.append(
                (
                    _("My unit"),
                    progress_table(OwnerKind.UNIT, window.year, window.month, [user.unit]),
                )
            )
        teams = list(user.teams.filter(is_active=True).order_by("kind", "name"))
        if teams:
            sections.append(
                (_("My teams"), progress_table(OwnerKind.TEAM, window.year, window.month, teams))
            )
        context.update(self.period_context(window))
        context["sections"] = [
            {
                "title": title,
                "owners": [
                    {
                        **shown,
                        "cells": [
                            cell
                            for cell in shown["cells"]
                            if cell["figure"].target or cell["figure"].actual
                        ],
                    }
                    for shown in progress_rows(rows, window)
                ],
            }
            for title, rows in sections
        ]
        return context


def team_targets_section(request: HttpRequest, team: Any) -> dict[str, Any]:
    """The targets tab of a team's page (teams.sections): the team's targets the user may
    see, with progress up to this month (or to December of a past year)."""
    today = timezone.localdate()
    year = requested_year(request)
    month = today.month if year == today.year else (12 if year < today.year else 1)
    shown = set(
        Target.objects.visible_to(request.user)
        .filter(team=team, year=year)
        .values_list("metric", flat=True)
    )
    progress = []
    if shown:
        row = progress_table(kind=OwnerKind.TEAM, year=year, month=month, owners=[team])
        for metric, item in row[0].metrics.items():
            if metric in shown:
                item.metric_label = Metric(metric).label
                item.pace_label = Pace(item.pace).label
                progress.append(item)
    return {"target_year": year, "target_month": month, "target_progress": progress}
