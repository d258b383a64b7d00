"""The JSON the dashboard's cards and charts read: `/api/v1/dashboard/` holds every section,
`/api/v1/dashboard/{section}/` one of them (so no chart waits on another). Figures come
from reports.selectors.dashboard, scoped to the reader: the county for leaders and the
bureau, their own unit and teams for anyone else."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import sees_everything
from core.unchanged import kept_while_unchanged
from reports.selectors.dashboard import (
    SECTIONS,
    SOURCES,
    UNIT_KINDS,
    Dashboard,
    dashboard_scope,
    plain,
)
from reports.views.dashboard import filter_form

PARAMETERS = [
    OpenApiParameter("year", int, description="The year (default: see `source`)"),
    OpenApiParameter("month", int, description="1–12: figures from January to this month"),
    OpenApiParameter(
        "source",
        str,
        enum=list(SOURCES),
        description="`published`: a month whose monthly bulletin is published (the default "
        "once one is; the latest by default; cached); `live`: the figures now (the current "
        "month by default)",
    ),
    OpenApiParameter(
        "unit_kind",
        str,
        enum=[str(kind) for kind in UNIT_KINDS],
        description="Only the units of this kind (for those who see the county)",
    ),
]
SECTION_NAMES = ", ".join(f"`{name}`" for name in SECTIONS)


class DashboardView(APIView):
    """Every section of the dashboard: `scope` (whose figures), `period` (the month, its
    source and time progress) and the sections by name."""

    sections: tuple[str, ...] = SECTIONS

    def dashboard(self, request: Request) -> tuple[Dashboard, dict[str, Any]]:
        today = timezone.localdate()
        form = filter_form(request._request, today)
        if form.errors:
            raise exceptions.ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): messages
                    for name, messages in form.errors.items()
                }
            )
        unit_kind = form.cleaned_data.get("unit_kind") if sees_everything(request.user) else None
        scope = dashboard_scope(request.user, unit_kind)
        period = form.cleaned_data["period"]
        board = Dashboard(scope, period, today)
        return board, plain({"scope": scope.as_dict(), "period": period.as_dict()})

    @extend_schema(
        parameters=PARAMETERS,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 400: None},
    )
    def get(self, request: Request) -> Response:
        def answer() -> Response:
            board, meta = self.dashboard(request)
            return Response({**meta, **board.all()})

        # 0.8 MB of JSON at province scale: encoded again only after a change
        return kept_while_unchanged(request, answer)


class DashboardSectionView(DashboardView):
    __doc__ = f"""One section of the dashboard ({SECTION_NAMES}), with `scope` and `period`."""

    @extend_schema(
        operation_id="v1_dashboard_section_retrieve",
        parameters=[
            OpenApiParameter("section", str, OpenApiParameter.PATH, enum=list(SECTIONS)),
            *PARAMETERS,
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 400: None, 404: None},
    )
    def get(self, request: Request, section: str) -> Response:  # type: ignore[override]
        if section not in SECTIONS:
            raise Http404

        def answer() -> Response:
            board, meta = self.dashboard(request)
            return Response({**meta, section: board.section(section)})

        return kept_while_unchanged(request, answer)
