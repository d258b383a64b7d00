"""Who may do what: one table of actions and the roles that may take them.

Beside it, core.access says which rows a user reaches (their unit's, the county's). The
services ask `require(user, action)` as their only check of a role; pages, the API and
templates ask `may(user, action)` only to hide what a person cannot use. A scheduled job
(Celery beat) acts as no one: the `SYSTEM` column.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.roles import Actor, Role, role_of

SYSTEM = "system"  # a scheduled job, started by no one


class Action(models.TextChoices):
    """Everything a person may be refused, named `<record>.<verb>`; the label says it in
    the words of the refusal ("You may not …")."""

    LEAD_EDIT = "lead.edit", _("enter and change leads")
    LEAD_REASSIGN = "lead.reassign", _("give a lead to another unit")
    LEAD_SET_CLOCK = (
        "lead.set_clock",
        _("set the days within which a new lead is first followed up (首报首谈)"),
    )
    PROJECT_EDIT = "project.edit", _("enter and change projects, their documents and blockers")
    PROJECT_CHANGE_STAGE = "project.change_stage", _("move a project to its next stages")
    PROJECT_MOVE_BACK = "project.move_back", _("move a project back")
    PROJECT_SET_KEY = (
        "project.set_key",
        _("designate key projects and their responsible leaders"),
    )
    PROJECT_REASSIGN = "project.reassign", _("give a project to another unit")
    PROJECT_AMEND_CONTRACT = (
        "project.amend_contract",
        _("change the contract amount of a signed project"),
    )
    DOCUMENT_FILE = "document.file", _("file or return documents")
    RESERVE_EDIT = "reserve.edit", _("enter and change reserve projects of the project library")
    DUPLICATE_DECIDE = "duplicate.decide", _("decide possible duplicate projects")
    FUNDS_SUBMIT = "funds.submit", _("report funds in place and completed investment")
    FUNDS_VERIFY = "funds.verify", _("verify or return funds records")
    FUNDS_READ_QUEUE = "funds.read_queue", _("see the verification queue")
    TARGET_SET = "target.set", _("set the targets of the county, units and teams")
    TARGET_DECOMPOSE = "target.decompose", _("decompose targets to persons")
    PROGRESS_READ_ALL = "progress.read_all", _("see the progress of every unit")
    TRIP_REPORT = "trip.report", _("report trips")
    QUOTA_SET = "quota.set", _("set trip quotas")
    EVENT_MANAGE = "event.manage", _("create and change events and their signing quotas")
    EVENT_RECORD = "event.record", _("record signings, starts, leads and invitations at events")
    TEAM_MANAGE = "team.manage", _("create and change teams")
    UNIT_MANAGE = "unit.manage", _("create and change units")
    UNIT_READ_ALL = "unit.read_all", _("see the list of units")
    ACCOUNT_MANAGE = "account.manage", _("create and change accounts")
    INDUSTRY_MANAGE = "industry.manage", _("create and change industries")
    INDUSTRY_READ_ALL = "industry.read_all", _("see the list of industries")
    REPORT_BUILD = "report.build", _("build reports")
    REPORT_PUBLISH = "report.publish", _("publish reports")
    REPORT_SET_WEIGHTS = "report.set_weights", _("set the score weights")
    REPORT_SET_SCHEME = (
        "report.set_scheme",
        _("set the year-end assessment scheme and score its manual items"),
    )
    REPORT_SCHEDULE = "report.schedule", _("change the build schedule")
    REPORT_READ_SCHEDULE = "report.read_schedule", _("see the build schedule")
    DRAW_MAKE = "draw.make", _("make a draw")
    INSPECTION_RECORD = "inspection.record", _("record inspections")
    INSPECTION_RECTIFY = (
        "inspection.rectify",
        _("report the rectification of your unit's inspection findings"),
    )
    LEDGER_IMPORT = "ledger.import", _("import ledgers")
    ORDER_ISSUE = "order.issue", _("issue supervision orders")
    ORDER_ANSWER = "order.answer", _("answer supervision orders of your unit")
    ORDER_CLOSE = "order.close", _("close or return supervision orders")
    ORDER_ESCALATE = "order.escalate", _("escalate overdue supervision orders")


OFFICER, UNIT_HEAD, BUREAU, LEADER = Role.OFFICER, Role.UNIT_HEAD, Role.BUREAU, Role.LEADER
UNIT_STAFF = frozenset({OFFICER, UNIT_HEAD, BUREAU})
BUREAU_ONLY = frozenset({BUREAU})
READERS_OF_ALL = frozenset({BUREAU, LEADER})

POLICY: dict[str, frozenset[str]] = {
    Action.LEAD_EDIT: UNIT_STAFF,
    Action.LEAD_REASSIGN: BUREAU_ONLY,
    Action.LEAD_SET_CLOCK: BUREAU_ONLY,
    Action.PROJECT_EDIT: UNIT_STAFF,
    Action.PROJECT_CHANGE_STAGE: UNIT_STAFF,
    Action.PROJECT_MOVE_BACK: BUREAU_ONLY,
    Action.PROJECT_SET_KEY: BUREAU_ONLY,
    Action.PROJECT_REASSIGN: BUREAU_ONLY,
    Action.PROJECT_AMEND_CONTRACT: BUREAU_ONLY,
    Action.DOCUMENT_FILE: BUREAU_ONLY,
    Action.RESERVE_EDIT: UNIT_STAFF,
    Action.DUPLICATE_DECIDE: BUREAU_ONLY,
    Action.FUNDS_SUBMIT: UNIT_STAFF,
    Action.FUNDS_VERIFY: BUREAU_ONLY,
    Action.FUNDS_READ_QUEUE: BUREAU_ONLY,
    Action.TARGET_SET: BUREAU_ONLY,
    Action.TARGET_DECOMPOSE: frozenset({UNIT_HEAD, BUREAU}),
    Action.PROGRESS_READ_ALL: READERS_OF_ALL,
    Action.TRIP_REPORT: UNIT_STAFF,
    Action.QUOTA_SET: BUREAU_ONLY,
    Action.EVENT_MANAGE: BUREAU_ONLY,
    Action.EVENT_RECORD: UNIT_STAFF,
    Action.TEAM_MANAGE: BUREAU_ONLY,
    Action.UNIT_MANAGE: BUREAU_ONLY,
    Action.UNIT_READ_ALL: READERS_OF_ALL,
    Action.ACCOUNT_MANAGE: BUREAU_ONLY,
    Action.INDUSTRY_MANAGE: BUREAU_ONLY,
    Action.INDUSTRY_READ_ALL: READERS_OF_ALL,
    Action.REPORT_BUILD: frozenset({BUREAU, SYSTEM}),
    Action.REPORT_PUBLISH: BUREAU_ONLY,
    Action.REPORT_SET_WEIGHTS: BUREAU_ONLY,
    Action.REPORT_SET_SCHEME: BUREAU_ONLY,
    Action.REPORT_SCHEDULE: BUREAU_ONLY,
    Action.REPORT_READ_SCHEDULE: READERS_OF_ALL,
    Action.DRAW_MAKE: BUREAU_ONLY,
    Action.INSPECTION_RECORD: BUREAU_ONLY,
    # The inspected unit's own staff rectify; the bureau confirms, it does not rectify.
    Action.INSPECTION_RECTIFY: frozenset({OFFICER, UNIT_HEAD}),
    Action.LEDGER_IMPORT: UNIT_STAFF,
    Action.ORDER_ISSUE: BUREAU_ONLY,
    # The unit's own staff answer; the bureau decides on the answer, it does not give it.
    Action.ORDER_ANSWER: frozenset({OFFICER, UNIT_HEAD}),
    Action.ORDER_CLOSE: BUREAU_ONLY,
    # Only the daily job escalates (supervision.tasks): no person does.
    Action.ORDER_ESCALATE: frozenset({SYSTEM}),
}


# The actions that only let a person see more; every other action changes something.
READS = frozenset(
    {
        Action.FUNDS_READ_QUEUE,
        Action.PROGRESS_READ_ALL,
        Action.UNIT_READ_ALL,
        Action.INDUSTRY_READ_ALL,
        Action.REPORT_READ_SCHEDULE,
    }
)


class Refused(PermissionDenied):
    """A role that may not take an action. Pages answer it with the 403 page, the API
    with 403 and its message."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(gettext("You may not %(action)s.") % {"action": Action(action).label})


def may(user: Actor | None, action: str) -> bool:
    """May this user (None: a scheduled job) take the action?"""
    role = SYSTEM if user is None else role_of(user)
    return role is not None and role in POLICY[action]


def may_change_anything(user: Actor | None) -> bool:
    """Is there any change the user may make (leaders: none)?"""
    return any(may(user, action) for action in POLICY if action not in READS)


def require(user: Actor | None, action: str) -> None:
    """Refuses (403) a user who may not take the action."""
    if not may(user, action):
        raise Refused(action)
