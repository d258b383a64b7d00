"""The draw of 两随机一公开: who may be drawn, how the draw picks, and the lists of the public
page.

The method, in words, so that anyone can repeat a draw: take the candidates in the order
the draw stored them (ascending id when it was made), their ids as a list; seed Python's
pseudo-random generator with the published seed, as a text string
(`random.Random(seed)`), and take `random.Random(seed).sample(ids, size)`. The result, in
the order picked, is the draw. The same seed and candidate list always give the same
result, on any machine running Python 3."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from projects.choices import LIVE_STAGES
from projects.models import Project
from reports.choices import DrawKind
from reports.models import Draw, Inspection, InspectionPhoto
from teams.choices import UnitKind
from teams.models import Unit

# The units that report and may be drawn: all but the bureau itself.
REPORTING_UNIT_KINDS = (UnitKind.TOWNSHIP, UnitKind.PARK, UnitKind.DEPARTMENT)


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def draw_candidates(kind: str, year: int, quarter: int) -> list[dict[str, Any]]:
    """Who may be drawn now, in a stable order (by id), as plain data stored with the draw.

    Units: the active townships, parks and departments (not the bureau). Projects: the live
    ones past negotiation (signed, started, under construction, completed, in production;
    not terminated). `year` and `quarter` name the draw; the candidates are those of the
    day it is made."""
    if kind == DrawKind.UNITS:
        units = (
            Unit.objects.active()
            .filter(kind__in=REPORTING_UNIT_KINDS)
            .order_by("id")
            .values("id", "code", "name")
        )
        return [{"id": u["id"], "code": u["code"], "name": u["name"]} for u in units]
    if kind == DrawKind.PROJECTS:
        projects = (
            Project.objects.filter(stage__in=LIVE_STAGES)
            .order_by("id")
            .values("id", "code", "name", "unit__name")
        )
        return [
            {"id": p["id"], "code": p["code"], "name": p["name"], "unit": p["unit__name"]}
            for p in projects
        ]
    raise ValueError(kind)


def draw_pick(candidates: list[dict[str, Any]], size: int, seed: str) -> list[int]:
    """The ids drawn: `random.Random(seed).sample(ids, size)` over the candidates' ids in
    their stored order (see the module's docstring). Deterministic for a seed and a list."""
    ids = [candidate["id"] for candidate in candidates]
    return random.Random(seed).sample(ids, size)


IDS_PER_LINE = 10


def draw_method_code(draw: Draw) -> str:
    """The method as a Python 3 program anyone can paste and run (its lines kept: the page
    shows it in a <pre>): the candidates' ids in their stored order, ten a line, the seed
    as a literal (repr), and the sample it prints, with the recorded result in a comment."""
    ids = [str(candidate["id"]) for candidate in draw.candidates]
    rows = [
        "    " + ", ".join(ids[start : start + IDS_PER_LINE]) + ","
        for start in range(0, len(ids), IDS_PER_LINE)
    ]
    lines = [
        "import random",
        "",
        "# " + _("The candidates' ids, in the order listed (%(count)s)") % {"count": len(ids)},
        "ids = [",
        *rows,
        "]",
        f"drawn = random.Random({draw.seed!r}).sample(ids, {draw.size})",
        "print(drawn)  # " + _("the draw recorded: %(drawn)s") % {"drawn": list(draw.drawn)},
    ]
    return "\n".join(lines) + "\n"


def draw_repeat(draw: Draw) -> bool:
    """Does repeating the draw from its published seed and candidates give its result?"""
    try:
        return draw_pick(draw.candidates, draw.size, draw.seed) == list(draw.drawn)
    except (ValueError, KeyError, TypeError):
        return False


def drawn_candidates(draw: Draw) -> list[dict[str, Any]]:
    """The drawn candidates (as stored with the draw), in the order they were picked."""
    by_id = {candidate["id"]: candidate for candidate in draw.candidates}
    return [by_id.get(pk, {"id": pk, "code": "", "name": ""}) for pk in draw.drawn]


def draw_queryset(user: Any) -> QuerySet[Draw]:
    """The draws a user may see with who drew them, their inspections (project and unit)
    and photos: a fixed number of queries, whatever the rows."""
    photos = InspectionPhoto.objects.order_by("id")
    inspections = (
        Inspection.objects.select_related("project", "project__unit")
        .prefetch_related(Prefetch("photos", queryset=photos))
        .order_by("id")
    )
    return (
        Draw.objects.visible_to(user)
        .select_related("drawn_by")
        .prefetch_related(Prefetch("inspections", queryset=inspections))
        .order_by("-year", "-quarter", "kind")
    )


@dataclass
class DrawQuarter:
    """The draws of one quarter, for the public page."""

    year: int
    quarter: int
    draws: list[Draw] = field(default_factory=list)


def draws_by_quarter(user: Any) -> list[DrawQuarter]:
    """Every draw the user may see, newest quarter first, each with `drawn_rows` (the
    drawn candidates as stored) set on it."""
    quarters: list[DrawQuarter] = []
    for draw in draw_queryset(user):
        if not quarters or (quarters[-1].year, quarters[-1].quarter) != (draw.year, draw.quarter):
            quarters.append(DrawQuarter(year=draw.year, quarter=draw.quarter))
        draw.drawn_rows = drawn_candidates(draw)
        quarters[-1].draws.append(draw)
    return quarters


def inspection_queryset(user: Any) -> QuerySet[Inspection]:
    """The inspections a user may see, with their draw, project, unit and photos."""
    photos = InspectionPhoto.objects.select_related("uploaded_by").order_by("id")
    return (
        Inspection.objects.visible_to(user)
        .select_related("draw", "project", "project__unit")
        .prefetch_related(Prefetch("photos", queryset=photos))
    )
