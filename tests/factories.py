import factory

from teams.choices import Role, UnitKind
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
