"""Reads of leads and projects: duplicates in the shared pool, lists with their flags."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from core.validators import phone_digits
from projects.matching import company_key
from projects.models import Blocker, Lead, Project

DUPLICATE_AMOUNT_TOLERANCE = Decimal("0.2")


def lead_possible_duplicates(
    *, company_name: str, phone: str, exclude_pk: int | None = None
) -> QuerySet[Lead]:
    """Leads anywhere in the county (the shared pool) naming the same company after
    normalisation, or the same phone."""
    conditions = Q()
    key = company_key(company_name)
    if key:
        conditions |= Q(company_key=key)
    digits = phone_digits(phone)
    if len(digits) >= 7:
        conditions |= Q(phone_key=digits)
    if not conditions:
        return Lead.objects.none()
    leads = Lead.objects.filter(conditions).select_related("unit")
    if exclude_pk:
        leads = leads.exclude(pk=exclude_pk)
    return leads.order_by("-received_on", "-id")


def project_possible_duplicates(project: Project) -> list[tuple[Project, str]]:
    """Live projects that may be this one, each with why: the same project name after
    normalisation, or the same investor and industry with a contract amount within 20%."""
    from django.utils.translation import gettext as _

    amount = project.contract_amount_wan or Decimal(0)
    same_investor = Q(
        investor_key=project.investor_key,
        industry_id=project.industry_id,
        contract_amount_wan__gte=amount * (1 - DUPLICATE_AMOUNT_TOLERANCE),
        contract_amount_wan__lte=amount * (1 + DUPLICATE_AMOUNT_TOLERANCE),
    )
    candidates = (
        Project.objects.live()
        .exclude(pk=project.pk)
        .filter(Q(name_key=project.name_key) | same_investor)
    )
    found = []
    for other in candidates:
        if other.name_key == project.name_key:
            found.append((other, _("Same project name")))
        else:
            found.append((other, _("Same investor and industry, contract amount within 20%")))
    return found


def project_list(user: Any, today: date) -> QuerySet[Project]:
    """The projects a user sees, with what every list shows beside them."""
    return (
        Project.objects.visible_to(user)
        .select_related("unit", "industry", "industry__parent", "team")
        .with_flags(today)
    )


def blocker_list(user: Any) -> QuerySet[Blocker]:
    return Blocker.objects.visible_to(user).select_related("project", "project__unit", "owner_unit")

