"""Targets and progress against them over REST.

Rows come from `Target.objects.visible_to`; writes go through targets.services.target_set
(who may set what lives there); progress figures come from targets.selectors.progress_table
and are never recomputed here."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.access import sees_everything
from core.api.viewsets import ScopedViewSet
from core.periods import format_period
from targets.api.serializers import (
    ProgressQuerySerializer,
    ProgressRowSerializer,
    TargetSerializer,
)
from targets.choices import Metric, OwnerKind
from targets.filters import TargetFilter
from targets.models import Target
from targets.selectors import (
    OwnerProgress,
    default_owners,
    owners_in_reach,
    progress_table,
)

ALL_KINDS = [OwnerKind.COUNTY, OwnerKind.UNIT, OwnerKind.TEAM, OwnerKind.PERSON]


def progress_rows(
    table: list[OwnerProgress], *, year: int, period: str, metrics: list[str]
) -> list[dict[str, Any]]:
    """The selector's table, one row per owner and metric."""
    rows = []
    for owner in table:
        name = owner.label if owner.owner is not None else str(OwnerKind.COUNTY.label)
        for metric in metrics:
            figures = owner.metrics[metric]
            rows.append(
                {
                    "year": year,
                    "period": period,
                    "owner_kind": owner.kind,
                    "owner_id": owner.owner_id,
                    "owner_name": name,
                    "blank": owner.blank,
                    "metric": metric,
                    "target": figures.target,
                    "actual": figures.actual,
                    "progress": figures.progress,
                    "time_progress": figures.time_progress,
                    "behind": figures.behind,
                    "pace": figures.pace,
                }
            )
    return rows


TARGET_400 = OpenApiResponse(
    description="Field errors; `non_field_errors` when the owner already has a target of "
    "the metric for the year (PATCH that one) or more than one owner is named."
)


@extend_schema_view(
    create=extend_schema(responses={201: TargetSerializer, 400: TARGET_400}),
    update=extend_schema(responses={200: TargetSerializer, 400: TARGET_400}),
    partial_update=extend_schema(responses={200: TargetSerializer, 400: TARGET_400}),
)
class TargetViewSet(ScopedViewSet):
    """Yearly targets (目标任务) of the county (no owner), a unit, a team or a person.
    Everyone reads the county's and their own unit's, teams' and colleagues' targets; the
    bureau and leaders read all. The bureau sets every target; a unit head decomposes to
    the unit's staff. A target is changed with PATCH `value`, never deleted (405)."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    @extend_schema(
        parameters=[ProgressQuerySerializer],
        responses={200: ProgressRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def progress(self, request: Request) -> Response:
        """Progress against targets, per owner and metric, from January to the end of
        `period`: target, actual, progress (actual / target), time progress (month / 12),
        behind, pace. The bureau and leaders read any owner; others the county, their own
        unit, their teams and themselves (a unit head also the unit's staff): lists leave
        the others out and naming one answers 403."""
        query = ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        year, month = params["year"], params["period"].month
        table: list[OwnerProgress] = []
        for kind in [params["kind"]] if "kind" in params else ALL_KINDS:
            if kind == OwnerKind.COUNTY:
                table += progress_table(kind, year, month)
                continue
            reach = owners_in_reach(request.user, kind)
            if params.get("owner") is not None:
                owners = list(reach.filter(pk=params["owner"]))
                if not owners:
                    if sees_everything(request.user):
                        raise exceptions.NotFound()
                    raise exceptions.PermissionDenied()
            elif sees_everything(request.user):
                owners = list(default_owners(kind))
            else:
                owners = list(default_owners(kind).filter(pk__in=reach.values("pk")))
            table += progress_table(kind, year, month, owners=owners)
        metrics = [params["metric"]] if "metric" in params else list(Metric.values)
        rows = progress_rows(
            table, year=year, period=format_period(params["period"]), metrics=metrics
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ProgressRowSerializer(page, many=True).data)
