"""The orders' and answers' FieldChecks read in Python (core.db.condition_holds) as the
database reads them, on many combinations of values."""

import datetime as dt
import random

import pytest
from django.db.models import Q

from core.db import FieldCheck, condition_holds
from supervision.choices import AnswerDecision, OrderLevel, OrderStatus, SubjectKind
from supervision.models import SupervisionAnswer, SupervisionOrder

pytestmark = pytest.mark.django_db

DATES = [None, dt.date(2026, 7, 1), dt.date(2026, 7, 15), dt.date(2026, 8, 1)]


def checks(model):
    return [c for c in model._meta.constraints if isinstance(c, FieldCheck)]


def the_database_says(constraint, instance) -> bool:
    return Q(constraint.condition).check(instance._get_field_expression_map(meta=instance._meta))


def test_order_rules_read_in_python_as_the_database_reads_them():
    r = random.Random(18)
    for _ in range(80):
        order = SupervisionOrder(
            subject_kind=r.choice(SubjectKind.values),
            project_id=r.choice([None, 1]),
            blocker_id=r.choice([None, 1]),
            report_period=r.choice([None, dt.date(2026, 6, 1)]),
            issued_on=r.choice(DATES[1:]),
            due_on=r.choice(DATES[1:]),
            second_due_on=r.choice(DATES),
            level=r.choice(OrderLevel.values),
            status=r.choice(OrderStatus.values),
            closed_on=r.choice(DATES),
        )
        for constraint in checks(SupervisionOrder):
            assert condition_holds(constraint.condition, order, set()) == the_database_says(
                constraint, order
            ), constraint.name


def test_answer_rules_read_in_python_as_the_database_reads_them():
    for decision in AnswerDecision.values:
        for reason in ("", "材料不全"):
            for decided_at in (None, dt.datetime(2026, 7, 15, 10, tzinfo=dt.UTC)):
                answer = SupervisionAnswer(
                    decision=decision, decision_reason=reason, decided_at=decided_at
                )
                for constraint in checks(SupervisionAnswer):
                    assert condition_holds(
                        constraint.condition, answer, set()
                    ) == the_database_says(constraint, answer), constraint.name
