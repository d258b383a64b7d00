"""Stage gates: the facts each stage needs, as one declarative map (DOMAIN.md).

The same check refuses a move and tells the officer what is still missing for the next
stage (the to-do list on the project page), like Data Hub's incomplete fields.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.choices import STAGE_DATE_FIELD, STAGE_ORDER, DocumentKind, FilingStatus, Stage
from projects.models import Project


@dataclass(frozen=True)
class Requirement:
    field: str  # the project field (or "documents") the fact lives in
    message: str | Promise  # what the officer must supply
    is_met: Callable[[Project], bool]


@dataclass(frozen=True)
class MissingFact:
    field: str
    message: str


def has_filed_contract(project: Project) -> bool:
    return project.documents.filter(kind=DocumentKind.CONTRACT, status=FilingStatus.FILED).exists()


def _has(field: str) -> Callable[[Project], bool]:
    return lambda project: getattr(project, field) is not None


STAGE_REQUIREMENTS: dict[str, list[Requirement]] = {
    Stage.SIGNED: [
        Requirement("signed_on", _("the signing date"), lambda p: p.signed_on is not None),
        Requirement(
            "contract_amount_wan",
            _("a contract amount above zero"),
            lambda p: p.contract_amount_wan is not None and p.contract_amount_wan > 0,
        ),
        Requirement(
            "documents", _("a contract filed by the bureau (合同备案)"), has_filed_contract
        ),
    ],
    # The order of the dates (签约 ≤ 开工 ≤ 竣工 ≤ 投产) is the model's rule: a date given
    # before the earlier one is refused as such, not as a missing fact.
    Stage.STARTED: [Requirement("started_on", _("the start date"), _has("started_on"))],
    Stage.CONSTRUCTING: [],
    Stage.COMPLETED: [Requirement("completed_on", _("the completion date"), _has("completed_on"))],
    Stage.PRODUCING: [Requirement("producing_on", _("the production date"), _has("producing_on"))],
}


def stage_index(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else -1


def stages_between(current: str, target: str) -> list[str]:
    """The stages a forward move passes through, the target included."""
    return STAGE_ORDER[stage_index(current) + 1 : stage_index(target) + 1]


def missing_facts(project: Project, target: str) -> list[MissingFact]:
    """What the project still lacks to move forward to `target`."""
    missing = []
    for stage in stages_between(project.stage, target):
        for requirement in STAGE_REQUIREMENTS[stage]:
            if not requirement.is_met(project):
                missing.append(MissingFact(requirement.field, str(requirement.message)))
    return missing


def todo_for(project: Project, target: str) -> list[MissingFact]:
    """The to-do list shown before a move: what is missing besides the date the move
    itself records (that date is asked for in the stage form)."""
    candidate = copy(project)
    field = STAGE_DATE_FIELD.get(target)
    if field and getattr(candidate, field) is None:
        setattr(candidate, field, timezone.localdate())
    return missing_facts(candidate, target)


def next_stage(project: Project) -> str | None:
    index = stage_index(project.stage)
    if index < 0 or index + 1 >= len(STAGE_ORDER):
        return None
    return STAGE_ORDER[index + 1]


def missing_to_have_reached(project: Project, stage: str) -> list[MissingFact]:
    """What a project entered at `stage` (from an older ledger) lacks of the facts of every
    stage up to it, the filed contract aside (the ledger's import files it)."""
    return [
        MissingFact(requirement.field, str(requirement.message))
        for passed in stages_between(Stage.NEGOTIATING, stage)
        for requirement in STAGE_REQUIREMENTS[passed]
        if requirement.field != "documents" and not requirement.is_met(project)
    ]
