"""Supervision order pages: the list, the bureau's issue form, an order's page with its
thread of answers and the forms to answer, close or return it, and the one-click raising
from a stalled project or an overdue blocker."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.forms import entered, show_service_errors
from core.policy import Action, may, require
from core.views import (
    Column,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ServiceFormMixin,
    attr,
    computed,
)
from projects.models import Blocker, Project
from supervision import services
from supervision.choices import AWAITING_UNIT, OrderLevel, OrderStatus, SubjectKind
from supervision.filters import OrderFilter
from supervision.forms import OrderAnswerForm, OrderIssueForm, OrderReturnForm
from supervision.models import SupervisionOrder
from supervision.selectors import order_answers, order_list, red_orders_for

LEVEL_BADGES = {
    OrderLevel.BLUE: "text-bg-primary",
    OrderLevel.YELLOW: "text-bg-warning",
    OrderLevel.RED: "text-bg-danger",
}
LEVEL_ROWS = {OrderLevel.YELLOW: "table-warning", OrderLevel.RED: "table-danger"}
# The red orders the home page lists at most (a link leads to all of them).
HOME_RED_ROWS = 10


def level_badge(level: str) -> SafeString:
    """The level as a coloured badge (blue, yellow, red)."""
    return format_html(
        '<span class="badge {}" data-level="{}">{}</span>',
        LEVEL_BADGES.get(level, "text-bg-secondary"),
        level,
        OrderLevel(level).label,
    )


class LevelColumn(Column):
    """The level column: a badge on the page, the label in the workbook (which reads the
    column's value)."""

    def display(self, row: Any) -> Any:
        return level_badge(row.level)


def subject_text(kind: str, project: str | None, period: Any) -> str:
    """What the order is about, in a few words."""
    label = str(SubjectKind(kind).label)
    if kind in (SubjectKind.PROJECT, SubjectKind.BLOCKER) and project:
        return f"{label}：{project}"
    if kind == SubjectKind.REPORT and period:
        return f"{label}：{period:%Y-%m}"
    return label


def current_deadline(due_on: Any, second_due_on: Any) -> Any:
    return second_due_on or due_on


class OrderListView(ScopedListView):
    model = SupervisionOrder
    filterset_class = OrderFilter
    title = gettext_lazy("Supervision orders")
    create_url_name = "supervision:order_create"
    columns = (
        Column("issued_on", gettext_lazy("Issued on"), attr("issued_on"), link=True),
        Column("unit", gettext_lazy("Unit"), attr("unit.name")),
        Column(
            "subject",
            gettext_lazy("About"),
            computed(subject_text, "subject_kind", "project.name", "report_period"),
            sortable=False,
        ),
        Column("matter", gettext_lazy("What"), attr("matter"), link=True, sortable=False),
        Column(
            "due_on",
            gettext_lazy("Deadline"),
            computed(current_deadline, "due_on", "second_due_on"),
        ),
        LevelColumn("level", gettext_lazy("Level"), attr("level")),
        Column("status", gettext_lazy("Status"), attr("status")),
        Column(
            "answer_count",
            gettext_lazy("Answers"),
            attr("answer_count"),
            sortable=False,
            numeric=True,
        ),
    )

    def get_queryset(self) -> QuerySet:
        return order_list(self.request.user)

    def row_class(self, row: SupervisionOrder) -> str:
        return LEVEL_ROWS.get(row.level, "") if row.status != OrderStatus.CLOSED else ""


class OrderCreateView(ServiceFormMixin, ScopedCreateView):
    """The bureau issues an order; the subject may come prefilled from the address
    (`?unit=&subject_kind=&project=&blocker=`)."""

    model = SupervisionOrder
    form_class = OrderIssueForm
    template_name = "supervision/order_form.html"
    success_message = gettext_lazy("Supervision order issued.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for name in ("unit", "subject_kind", "project", "blocker"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def save(self, form: OrderIssueForm) -> SupervisionOrder:
        return services.order_issue(user=self.request.user, data=entered(form))


class OrderDetailView(ScopedDetailView):
    """An order, its thread of answers and the bureau's decisions, and the forms the user
    may use: the unit's answer while the order awaits it; the bureau's close and return
    once it is answered."""

    model = SupervisionOrder
    template_name = "supervision/order_detail.html"

    def get_queryset(self) -> QuerySet:
        return order_list(self.request.user).select_related("closed_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        today = timezone.localdate()
        may_answer = (
            may(user, Action.ORDER_ANSWER)
            and order.unit_id == user.unit_id
            and order.status in AWAITING_UNIT
        )
        may_decide = may(user, Action.ORDER_CLOSE) and order.status == OrderStatus.ANSWERED
        context.update(
            answers=order_answers(order),
            level_badge=level_badge(order.level),
            overdue=order.is_overdue(today),
            subject=subject_text(
                order.subject_kind,
                order.project.name if order.project else None,
                order.report_period,
            ),
            may_answer=may_answer,
            may_decide=may_decide,
            today=today,
        )
        if may_answer:
            context.setdefault("answer_form", OrderAnswerForm(prefix="answer"))
        if may_decide:
            context.setdefault("return_form", OrderReturnForm(prefix="return"))
        return context


class OrderActionView(OrderDetailView):
    """A form posted from an order's page: 404 for an order the user does not see, 403
    for a role that may not take the action (before the form is read); a refusal of the
    service brings the page back with the errors."""

    http_method_names = ["post"]
    action: str = Action.ORDER_ANSWER
    form_class: type | None = None
    prefix = ""
    context_name = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        require(request.user, self.action)
        form = (
            self.form_class(request.POST, request.FILES, prefix=self.prefix)
            if self.form_class
            else None
        )
        if form is None or form.is_valid():
            try:
                self.act(form)
            except ValidationError as error:
                if form is None:
                    messages.error(request, " ".join(error.messages))
                    return HttpResponseRedirect(self.object.get_absolute_url())
                show_service_errors(form, error)
            else:
                messages.success(request, self.success_message())
                return HttpResponseRedirect(self.object.get_absolute_url())
        context = self.get_context_data(**{self.context_name: form})
        return self.render_to_response(context)

    def act(self, form: Any) -> None:
        raise NotImplementedError

    def success_message(self) -> str:
        return _("Saved.")


class OrderAnswerView(OrderActionView):
    action = Action.ORDER_ANSWER
    form_class = OrderAnswerForm
    prefix = "answer"
    context_name = "answer_form"

    def act(self, form: OrderAnswerForm) -> None:
        services.order_answer(
            user=self.request.user,
            order=self.object,
            text=form.cleaned_data["text"],
            evidence=form.cleaned_data["evidence"],
        )

    def success_message(self) -> str:
        return _("Answer sent to the bureau.")


class OrderCloseView(OrderActionView):
    action = Action.ORDER_CLOSE

    def act(self, form: None) -> None:
        services.order_close(user=self.request.user, order=self.object)

    def success_message(self) -> str:
        return _("Supervision order closed.")


class OrderReturnView(OrderActionView):
    action = Action.ORDER_CLOSE
    form_class = OrderReturnForm
    prefix = "return"
    context_name = "return_form"

    def act(self, form: OrderReturnForm) -> None:
        services.order_return(
            user=self.request.user, order=self.object, reason=form.cleaned_data["reason"]
        )

    def success_message(self) -> str:
        return _("Answer returned to the unit.")


class RaiseView(View):
    """One click of the bureau: an order raised from a record's warning. Refused (403)
    before the lookup to whoever may not issue orders."""

    http_method_names = ["post"]

    def record(self, pk: int) -> Any:
        raise NotImplementedError

    def raise_order(self, record: Any) -> SupervisionOrder:
        raise NotImplementedError

    def back_url(self, record: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require(request.user, Action.ORDER_ISSUE)
        record = self.record(pk)
        try:
            order = self.raise_order(record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.back_url(record))
        messages.success(request, _("Supervision order issued."))
        return HttpResponseRedirect(order.get_absolute_url())


class RaiseForProjectView(RaiseView):
    def record(self, pk: int) -> Project:
        return get_object_or_404(Project.objects.visible_to(self.request.user), pk=pk)

    def raise_order(self, record: Project) -> SupervisionOrder:
        return services.order_raise_for_project(user=self.request.user, project=record)

    def back_url(self, record: Project) -> str:
        return record.get_absolute_url()


class RaiseForBlockerView(RaiseView):
    def record(self, pk: int) -> Blocker:
        return get_object_or_404(Blocker.objects.visible_to(self.request.user), pk=pk)

    def raise_order(self, record: Blocker) -> SupervisionOrder:
        return services.order_raise_for_blocker(user=self.request.user, blocker=record)

    def back_url(self, record: Blocker) -> str:
        return f"{record.project.get_absolute_url()}?tab=blockers"


def red_orders_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's panel of red orders (supervision.selectors.red_orders_for): the
    unit's for its staff, those about their 包保 projects for a leader, all for the
    bureau; nothing when there are none. One query (two when the list is cut)."""
    if not request.user.is_authenticated:
        return None
    red = red_orders_for(request.user).order_by("red_on", "due_on", "id")
    orders = list(red[: HOME_RED_ROWS + 1])
    if not orders:
        return None
    count = len(orders) if len(orders) <= HOME_RED_ROWS else red.count()
    return {
        "template": "supervision/_home_red_orders.html",
        "red_orders": orders[:HOME_RED_ROWS],
        "red_count": count,
    }
