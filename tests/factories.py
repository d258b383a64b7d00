import factory

from core.roles import Role
from teams.choices import UnitKind
from teams.models import Unit, User

TEST_PASSWORD = "Correct-horse-42"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"测试单位{n:03d}")
    kind = UnitKind.TOWNSHIP
    sort_order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:03d}")
    full_name = factory.Sequence(lambda n: f"测试用户{n:03d}")
    role = Role.OFFICER
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password(TEST_PASSWORD)


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Industry"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND{n:03d}")
    name = factory.Sequence(lambda n: f"产业{n:03d}")


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Lead"

    company_name = factory.Sequence(lambda n: f"测试企业{n:03d}有限公司")
    contact_name = "王经理"
    contact_phone = factory.Sequence(lambda n: f"138{n:08d}")
    project_name = factory.Sequence(lambda n: f"测试项目{n:03d}")
    industry = factory.SubFactory(IndustryFactory)
    unit = factory.SubFactory(UnitFactory)
    estimated_amount_wan = 5000


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project saved directly (no timeline); tests of the rules go through services."""

    class Meta:
        model = "projects.Project"

    code = factory.Sequence(lambda n: f"F-{n + 1:05d}")
    name = factory.Sequence(lambda n: f"测试项目{n:03d}")
    investor = factory.Sequence(lambda n: f"投资方{n:03d}有限公司")
    industry = factory.SubFactory(IndustryFactory)
    unit = factory.SubFactory(UnitFactory)
    contract_amount_wan = 2000


def funds_record(project, month, amount, status="verified", kind="funds", corrects=None):
    """A funds record of `month` ((year, month)) in `status`; a verified one is submitted
    first and then verified, the way the bureau does it."""
    import datetime as dt
    from decimal import Decimal

    from projects.models import FundsRecord

    record = FundsRecord.objects.create(
        project=project,
        period=dt.date(*month, 1),
        kind=kind,
        amount_wan=Decimal(amount),
        status="submitted" if status == "verified" else status,
        reject_reason="退回" if status == "rejected" else "",
        corrects=corrects,
    )
    if status == "verified":
        FundsRecord.objects.filter(pk=record.pk).update(status="verified")
        record.refresh_from_db()
    return record
