"""Demo leads and projects for `seed_demo`: two years of a county's investment promotion.

About 300 leads and 150 projects over the last 24 months, spread over the units, the
industry chains, the sources and every stage, with follow-ups, filed contracts, blockers,
stalls and duplicates, and the monthly funds in place and completed investment of the
signed projects (verified, awaiting verification, returned, corrected, flagged; this
year ahead of last), so that every list, report and warning shows something real.

Everything goes through the services, as the person who would do it (an officer of the
unit, the bureau for filing), so the rules apply and the audit history names them. A
fixed random seed gives the same county every time (dates are relative to today). If
any industry, lead or project exists already, nothing is added: running twice changes
nothing.

`planning` decides what happens (who, what, when); `writing` makes it happen through
the services; `data` holds the word lists.
"""

from __future__ import annotations

from django.db import transaction

from demo.projects.writing import DemoCounty, demo_bureau
from projects.models import Blocker, Document, FollowUp, FundsRecord, Industry, Lead, Project


def _zero() -> dict[str, int]:
    return dict.fromkeys(
        [
            "industries",
            "leads",
            "follow_ups",
            "projects",
            "documents",
            "blockers",
            "funds_records",
        ],
        0,
    )


def seed() -> dict[str, int]:
    """The demo leads and projects, unless the projects app holds data already."""
    if Industry.objects.exists() or Lead.objects.exists() or Project.objects.exists():
        return _zero()
    bureau = demo_bureau()
    if bureau is None:
        return _zero()
    with transaction.atomic():
        DemoCounty(bureau=bureau).build()
    return {
        "industries": Industry.objects.count(),
        "leads": Lead.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "projects": Project.objects.count(),
        "documents": Document.objects.count(),
        "blockers": Blocker.objects.count(),
        "funds_records": FundsRecord.objects.count(),
    }
