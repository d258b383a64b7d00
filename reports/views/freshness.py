"""Each unit's data freshness (数据新鲜度): when it last reported funds, followed up a lead
and reported a trip, as one table for the bureau and the county's leaders, and its workbook
(`?export=xlsx`, like every list); the dashboard's card."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.access import sees_everything
from core.exports import xlsx_response
from core.periods import format_period
from core.policy import Action, may, require
from reports.selectors.freshness import (
    STALE_DAYS,
    UnitFreshness,
    freshness_summary,
    unit_freshness,
)
from teams.choices import UnitKind

FIELDS = ("funds", "leads", "trips")


def freshness_cells(row: UnitFreshness, today: date) -> dict[str, Any]:
    """A row as the page shows it: each date with its days since and whether it is stale."""
    dates = {
        "funds": row.funds_submitted_on,
        "leads": row.lead_follow_up_on,
        "trips": row.trip_reported_on,
    }
    return {
        "row": row,
        "kind": UnitKind(row.unit_kind).label,
        "cells": [
            {
                "name": name,
                "date": dates[name],
                "days": row.days_since(name, today),
                "stale": row.is_stale(name, today),
                "applies": name != "funds" or bool(row.projects_to_report),
            }
            for name in FIELDS
        ],
    }


class FreshnessCardView(View):
    """The dashboard's card, loaded after the page (the county's dates read every unit's
    records: about a second at a province's size): for the county, how many units are
    stale on each; for a unit, its own three dates."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        today = timezone.localdate()
        rows = unit_freshness(user)
        county = sees_everything(user)
        context = {
            "county": county,
            "summary": freshness_summary(rows, today) if county else None,
            "own": freshness_cells(rows[0], today) if rows and not county else None,
            "stale_days": STALE_DAYS,
            "may_read_table": may(user, Action.PROGRESS_READ_ALL),
        }
        return render(request, "reports/_freshness_card.html", context)


class FreshnessView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.PROGRESS_READ_ALL)
        today = timezone.localdate()
        rows = unit_freshness(request.user)
        if request.GET.get("export") == "xlsx":
            return self.export(rows, today)
        return render(
            request,
            "reports/freshness.html",
            {
                "rows": [freshness_cells(row, today) for row in rows],
                "stale_days": STALE_DAYS,
                "today": today,
            },
        )

    def export(self, rows: list[UnitFreshness], today: date) -> HttpResponse:
        title = _("Data freshness")
        return xlsx_response(
            filename=f"{title}-{today.isoformat()}.xlsx",
            title=str(title),
            headers=[
                _("Unit"),
                _("Unit kind"),
                _("Projects reporting funds"),
                _("Funds last reported on"),
                _("Latest month reported"),
                _("Days since"),
                _("Lead last followed up on"),
                _("Days since"),
                _("Latest trip reported (its end)"),
                _("Days since"),
            ],
            rows=(
                [
                    row.unit_name,
                    str(UnitKind(row.unit_kind).label),
                    row.projects_to_report,
                    row.funds_submitted_on,
                    format_period(row.funds_period) if row.funds_period else None,
                    row.days_since("funds", today),
                    row.lead_follow_up_on,
                    row.days_since("leads", today),
                    row.trip_reported_on,
                    row.days_since("trips", today),
                ]
                for row in rows
            ),
        )
