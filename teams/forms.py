from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm, StyledModelForm
from teams.models import Team, Unit, User


class UnitForm(StyledModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "sort_order", "min_intensity_wan_per_mu"]


class UserForm(StyledModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "role", "unit", "phone", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = True
        self.fields["unit"].queryset = Unit.objects.active()


def password_fields() -> dict[str, forms.CharField]:
    return {
        "password1": forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_("At least 10 characters; not a common or all-digit password."),
        ),
        "password2": forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    }


def check_typed_alike(form: forms.BaseForm) -> None:
    """Both passwords typed alike (the service checks the password itself)."""
    first = form.cleaned_data.get("password1")
    second = form.cleaned_data.get("password2")
    if first and second and first != second:
        form.add_error("password2", _("The two passwords do not match."))


class NewPasswordForm(StyledForm):
    """The bureau sets a new password for an account."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields.update(password_fields())
        self.apply_styles()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_typed_alike(self)
        return cleaned


class UserCreateForm(UserForm):
    """A new account with its first password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(password_fields())
        self.apply_styles()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_typed_alike(self)
        return cleaned


# --- Teams and trips -------------------------------------------------------------------


class TeamForm(StyledModelForm):
    class Meta:
        model = Team
        fields = [
            "name",
            "kind",
            "region",
            "leader_name",
            "lead_unit",
            "member_units",
            "members",
            "budget_wan",
            "active_from",
            "active_until",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.active()
        self.fields["lead_unit"].queryset = units
        self.fields["member_units"].queryset = units
        self.fields["members"].queryset = User.objects.filter(is_active=True).select_related("unit")
        self.fields["members"].label_from_instance = account_label
        self.fields["budget_wan"].min_value = 0
        self.fields["budget_wan"].widget.attrs["min"] = 0


def account_label(user: User) -> str:
    return f"{user.get_full_name()} · {user.unit.name}" if user.unit_id else user.get_full_name()
