"""A FieldCheck is read on the instance in Python (core.db.condition_holds) instead of one
query per constraint: on every kind of record and many combinations of values, Python's
answer is the database's (Django's Q.check, which reads the condition as SQL's CHECK)."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q

from core.db import FieldCheck, condition_holds
from projects.choices import FundsStatus, Stage
from projects.models import FundsRecord, Project

pytestmark = pytest.mark.django_db

DATES = [None, dt.date(2024, 1, 1), dt.date(2024, 6, 1), dt.date(2025, 1, 1)]


def checks(model) -> list[FieldCheck]:
    return [c for c in model._meta.constraints if isinstance(c, FieldCheck)]


def the_database_says(constraint: FieldCheck, instance) -> bool:
    against = instance._get_field_expression_map(meta=instance._meta)
    return Q(constraint.condition).check(against)


def test_project_rules_read_in_python_as_the_database_reads_them():
    r = random.Random(17)
    compared = 0
    for _ in range(60):
        project = Project(
            stage=r.choice(Stage.values),
            signed_on=r.choice(DATES),
            started_on=r.choice(DATES),
            completed_on=r.choice(DATES),
            producing_on=r.choice(DATES),
            termination_reason=r.choice(["", "资金链断裂"]),
            contract_amount_wan=r.choice([Decimal(-1), Decimal(0), Decimal(3000)]),
        )
        for constraint in checks(Project):
            assert condition_holds(constraint.condition, project, set()) == the_database_says(
                constraint, project
            ), (constraint.name, project.__dict__)
            compared += 1
    assert compared == 60 * 9


def test_funds_rules_read_in_python_as_the_database_reads_them():
    for amount in (Decimal(-5), Decimal(0), Decimal(5)):
        for corrects_id in (None, 1):
            for status in FundsStatus.values:
                for reason in ("", "回单不符"):
                    record = FundsRecord(
                        amount_wan=amount,
                        corrects_id=corrects_id,
                        status=status,
                        reject_reason=reason,
                    )
                    for constraint in checks(FundsRecord):
                        assert condition_holds(
                            constraint.condition, record, set()
                        ) == the_database_says(constraint, record), constraint.name


def test_a_broken_rule_still_names_its_field():
    project = Project(
        stage=Stage.STARTED, signed_on=dt.date(2024, 6, 1), started_on=dt.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        project.validate_constraints(exclude={"industry", "unit"})
    assert refused.value.message_dict == {"started_on": ["开工日期不能早于签约日期。"]}


def test_record_rules_answer_as_clean_fields_and_the_constraints_do_many_times_over():
    from core.db import RecordRules

    rules = RecordRules(
        FundsRecord, trusted=[f.name for f in FundsRecord._meta.fields if f.name != "amount_wan"]
    )
    for _ in range(3):  # the second and third time from what passed before
        fine = FundsRecord(amount_wan=Decimal("12.50"), status=FundsStatus.VERIFIED)
        assert rules.errors(fine) == {}
        # a negative amount outside a correction breaks a constraint that reads a trusted
        # field (corrects): still checked
        negative = FundsRecord(amount_wan=Decimal("-1"), status=FundsStatus.VERIFIED)
        assert list(rules.errors(negative)) == ["amount_wan"]
        # too many digits: the field's own rule
        huge = FundsRecord(amount_wan=Decimal("1" * 30), status=FundsStatus.VERIFIED)
        assert list(rules.errors(huge)) == ["amount_wan"]
        # a returned record without a reason: the constraint on trusted fields
        returned = FundsRecord(amount_wan=Decimal(1), status=FundsStatus.REJECTED)
        assert list(rules.errors(returned)) == ["reject_reason"]
    # an excluded field is not read at all, as Django's exclude
    lenient = RecordRules(FundsRecord, exclude=["corrects"])
    assert "amount_wan" not in lenient.errors(
        FundsRecord(amount_wan=Decimal("-1"), status=FundsStatus.VERIFIED)
    )
