from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.forms import StyledFormMixin, entered, show_service_errors
from core.views import (
    FORM_METHODS,
    Column,
    EditableObjectMixin,
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
    attr,
)
from teams import services
from teams.filters import UnitFilter, UserFilter
from teams.forms import NewPasswordForm, UnitForm, UserCreateForm, UserForm
from teams.models import Unit, User

log = logging.getLogger("teams.login")


def lockout_message() -> str:
    return _(
        "This account is locked for 30 minutes after 5 failed logins. "
        "Try again later or ask the bureau to unlock it."
    )


def lockout_response(
    request: HttpRequest, response: HttpResponse, credentials: Any
) -> HttpResponse:
    """What a locked-out username gets (django-axes calls this), on a page or the API."""
    log.warning("login refused, account locked: %s", (credentials or {}).get("username", ""))
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=403)
    form = LoginForm(request, data=request.POST or None)
    form.is_valid()
    form.errors.clear()
    form.add_error(None, lockout_message())
    return render(request, "teams/login.html", {"form": form, "locked": True}, status=403)


class LoginForm(StyledFormMixin, auth_views.AuthenticationForm):
    pass


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "teams/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        log.info("login succeeded: %s", form.get_user().username)
        return super().form_valid(form)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        log.info("login failed: %s", form.data.get("username", ""))
        return super().form_invalid(form)


class PasswordChangeForm(StyledFormMixin, auth_views.PasswordChangeForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "teams/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


# --- Units ---------------------------------------------------------------------------


class UnitListView(ScopedListView):
    model = Unit
    filterset_class = UnitFilter
    title = gettext_lazy("Units")
    create_url_name = "teams:unit_create"
    columns = (
        Column("code", gettext_lazy("Code"), attr("code"), link=True),
        Column("name", gettext_lazy("Name"), attr("name"), link=True),
        Column("kind", gettext_lazy("Kind"), attr("kind")),
        Column("sort_order", gettext_lazy("Sort order"), attr("sort_order"), numeric=True),
        Column("is_active", gettext_lazy("Active"), attr("is_active"), sortable=False),
    )


class UnitDetailView(ScopedDetailView):
    model = Unit
    template_name = "teams/unit_detail.html"


class UnitFormMixin(ServiceFormMixin):
    model = Unit
    form_class = UnitForm
    template_name = "teams/unit_form.html"

    def save(self, form: UnitForm) -> Unit:
        unit = self.object if getattr(self, "object", None) else None
        return services.unit_save(user=self.request.user, data=entered(form), unit=unit)


class UnitCreateView(UnitFormMixin, ScopedCreateView):
    pass


class UnitUpdateView(UnitFormMixin, ScopedUpdateView):
    pass


class UnitSetActiveView(ScopedActionView):
    model = Unit

    def act(self, obj: Unit) -> None:
        services.unit_set_active(user=self.request.user, unit=obj, active=not obj.is_active)
        messages.success(self.request, _("Saved."))


# --- Accounts ------------------------------------------------------------------------


class UserListView(ScopedListView):
    model = User
    filterset_class = UserFilter
    title = gettext_lazy("Accounts")
    create_url_name = "teams:user_create"
    select_related = ("unit",)
    columns = (
        Column("username", gettext_lazy("Username"), attr("username"), link=True),
        Column("full_name", gettext_lazy("Full name"), attr("full_name"), link=True),
        Column("role", gettext_lazy("Role"), attr("role")),
        Column("unit", gettext_lazy("Unit"), attr("unit.name")),
        Column("is_active", gettext_lazy("Active"), attr("is_active"), sortable=False),
        Column("last_login", gettext_lazy("Last login"), attr("last_login")),
    )


class UserDetailView(ScopedDetailView):
    model = User
    template_name = "teams/user_detail.html"
    context_object_name = "account"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("unit")


class UserCreateView(ServiceFormMixin, ScopedCreateView):
    model = User
    form_class = UserCreateForm
    template_name = "teams/user_form.html"
    renamed_errors = {"password": "password1"}

    def save(self, form: UserCreateForm) -> User:
        data = {**entered(form), "password": form.cleaned_data["password1"]}
        return services.user_create(user=self.request.user, data=data)


class UserUpdateView(ServiceFormMixin, ScopedUpdateView):
    model = User
    form_class = UserForm
    template_name = "teams/user_form.html"
    context_object_name = "account"

    def save(self, form: UserForm) -> User:
        return services.user_save(user=self.request.user, account=self.object, data=entered(form))


class UserSetActiveView(ScopedActionView):
    model = User

    def act(self, obj: User) -> None:
        services.user_set_active(user=self.request.user, account=obj, active=not obj.is_active)
        messages.success(self.request, _("Saved."))


class UserUnlockView(ScopedActionView):
    model = User

    def act(self, obj: User) -> None:
        services.user_unlock(user=self.request.user, account=obj)
        messages.success(self.request, _("Login lockout lifted."))


class UserPasswordResetView(EditableObjectMixin, FormView):
    model = User
    form_class = NewPasswordForm
    template_name = "teams/user_password.html"
    http_method_names = FORM_METHODS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "account": self.object}

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        try:
            services.user_reset_password(
                user=self.request.user, account=self.object, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            show_service_errors(form, error, {"password": "password1"})
            return self.form_invalid(form)
        messages.success(self.request, _("The password has been reset."))
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("teams:user_detail", args=[self.object.pk])
