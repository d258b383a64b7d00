"""The action policy (core.policy), row by row: which role may take which action. The
table below is written out by hand from DOMAIN.md's roles, so a change to the policy that
nobody meant fails here."""

import pytest

from core.policy import POLICY, READS, Action, Refused, may, may_change_anything, require
from core.roles import INSTALLER, Role

OF, HD, BU, LD = "officer", "unit_head", "bureau", "leader"

EXPECTED = {
    "lead.edit": {OF, HD, BU},
    "lead.reassign": {BU},
    "lead.set_clock": {BU},
    "project.edit": {OF, HD, BU},
    "project.change_stage": {OF, HD, BU},
    "project.move_back": {BU},
    "project.set_key": {BU},
    "project.reassign": {BU},
    "project.amend_contract": {BU},
    "document.file": {BU},
    "reserve.edit": {OF, HD, BU},
    "duplicate.decide": {BU},
    "funds.submit": {OF, HD, BU},
    "funds.verify": {BU},
    "funds.read_queue": {BU},
    "target.set": {BU},
    "target.decompose": {HD, BU},
    "progress.read_all": {BU, LD},
    "trip.report": {OF, HD, BU},
    "quota.set": {BU},
    "event.manage": {BU},
    "event.record": {OF, HD, BU},
    "team.manage": {BU},
    "unit.manage": {BU},
    "unit.read_all": {BU, LD},
    "account.manage": {BU},
    "industry.manage": {BU},
    "industry.read_all": {BU, LD},
    "report.build": {BU, "system"},
    "report.publish": {BU},
    "report.set_weights": {BU},
    "report.set_scheme": {BU},
    "report.schedule": {BU},
    "report.read_schedule": {BU, LD},
    "draw.make": {BU},
    "inspection.record": {BU},
    "inspection.rectify": {OF, HD},
    "ledger.import": {OF, HD, BU},
    "order.issue": {BU},
    "order.answer": {OF, HD},
    "order.close": {BU},
    "order.escalate": {"system"},
}


class Person:
    def __init__(self, role, *, superuser=False, active=True, authenticated=True):
        self.pk, self.unit_id = 1, 1
        self.role, self.is_superuser = role, superuser
        self.is_active, self.is_authenticated = active, authenticated


PEOPLE = {
    OF: Person(Role.OFFICER),
    HD: Person(Role.UNIT_HEAD),
    BU: Person(Role.BUREAU),
    LD: Person(Role.LEADER),
}


def test_the_table_names_every_action_once():
    assert set(EXPECTED) == set(POLICY) == set(Action.values)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_action_is_taken_by_exactly_its_roles(action):
    for key, person in PEOPLE.items():
        assert may(person, action) == (key in EXPECTED[action]), (action, key)
    # A scheduled job (no user) only builds reports.
    assert may(None, action) == ("system" in EXPECTED[action]), action
    # Superusers and the installer act as the bureau; nobody else logged out or disabled.
    assert may(Person(Role.OFFICER, superuser=True), action) == (BU in EXPECTED[action])
    assert may(INSTALLER, action) == (BU in EXPECTED[action])
    assert not may(Person(Role.BUREAU, active=False), action)
    assert not may(Person(Role.BUREAU, authenticated=False), action)


def test_a_refusal_says_what_was_refused_in_chinese():
    with pytest.raises(Refused) as refused:
        require(PEOPLE[OF], Action.FUNDS_VERIFY)
    assert str(refused.value) == "您无权核验或退回资金记录。"
    require(PEOPLE[BU], Action.FUNDS_VERIFY)  # no exception


def test_leaders_may_change_nothing():
    assert not may_change_anything(PEOPLE[LD])
    assert all(may_change_anything(PEOPLE[key]) for key in (OF, HD, BU))
    # what leaders may do only lets them see more
    assert {a for a in POLICY if may(PEOPLE[LD], a)} <= READS
