"""Event pages: the list, the bureau's event form, and the event's page with its quota
and fulfilment table, its signings (re-signings marked 重复签约, not counted), starts,
invitations and leads, and the forms that record them.

Every logged-in user reads every event and its figures; the records listed are scoped
as the projects and leads they name. The bureau manages events and quotas; unit staff
record their own unit's projects and leads (events.services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.forms import entered
from core.policy import Action, may, require
from core.views import (
    Column,
    RecordActionMixin,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
    attr,
)
from events import selectors, services
from events.choices import EventKind
from events.filters import EventFilter
from events.forms import (
    EventForm,
    EventInvitationForm,
    EventLeadForm,
    EventQuotaForm,
    EventSigningForm,
    EventStartForm,
)
from events.models import Event, EventSigning, EventStart


class EventListView(ScopedListView):
    model = Event
    filterset_class = EventFilter
    title = gettext_lazy("Events")
    create_url_name = "events:event_create"
    columns = (
        Column("start_on", gettext_lazy("Start date"), attr("start_on"), link=True),
        Column("end_on", gettext_lazy("End date"), attr("end_on")),
        Column("name", gettext_lazy("Event name"), attr("name"), link=True),
        Column("kind", gettext_lazy("Kind"), attr("kind")),
        Column("organiser", gettext_lazy("Organiser"), attr("organiser.name")),
        Column(
            "first_signings",
            gettext_lazy("Projects signed (first signings)"),
            attr("first_signing_count"),
            numeric=True,
        ),
        Column(
            "contract_amount",
            gettext_lazy("Contract amount (万元)"),
            attr("contract_amount_wan"),
            numeric=True,
        ),
        Column(
            "re_signings",
            gettext_lazy("Re-signings"),
            attr("re_signing_count"),
            sortable=False,
            numeric=True,
        ),
        Column(
            "quota_total",
            gettext_lazy("Signing quota"),
            attr("quota_total"),
            sortable=False,
            numeric=True,
        ),
    )

    def get_queryset(self) -> QuerySet:
        return selectors.event_list(self.request.user)


class EventFormMixin(ServiceFormMixin):
    model = Event
    form_class = EventForm
    template_name = "events/event_form.html"


class EventCreateView(EventFormMixin, ScopedCreateView):
    success_message = gettext_lazy("Event saved.")

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "organiser": self.request.user.unit_id}

    def save(self, form: EventForm) -> Event:
        return services.event_create(user=self.request.user, data=entered(form))


class EventUpdateView(EventFormMixin, ScopedUpdateView):
    success_message = gettext_lazy("Event saved.")

    def save(self, form: EventForm) -> Event:
        return services.event_update(event=self.object, user=self.request.user, data=entered(form))


class EventDetailView(ScopedDetailView):
    """An event's page: its facts and figures, the units' quota fulfilment, and a tab each
    for signings, starts (ground-breakings), invitations and leads."""

    model = Event
    template_name = "events/event_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("organiser", "created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event, user = self.object, self.request.user
        may_manage = may(user, Action.EVENT_MANAGE)
        may_record = may(user, Action.EVENT_RECORD)
        ground_breaking = event.kind == EventKind.GROUND_BREAKING
        if may_manage:
            context.setdefault("quota_form", EventQuotaForm(prefix="quota"))
        if may_record:
            context.setdefault("signing_form", EventSigningForm(prefix="signing", user=user))
            if ground_breaking:
                context.setdefault("start_form", EventStartForm(prefix="start", user=user))
            context.setdefault("lead_form", EventLeadForm(prefix="lead", user=user))
            context.setdefault(
                "invitation_form", EventInvitationForm(prefix="invitation", user=user)
            )
        signings = list(selectors.event_signings(event, user))
        context.update(
            figures=selectors.event_figures(event),
            signings=signings,
            starts=list(selectors.event_starts(event, user)),
            leads=list(selectors.event_leads(event, user)),
            invitations=list(selectors.event_invitations(event, user)),
            may_manage=may_manage,
            may_record=may_record,
            ground_breaking=ground_breaking,
            removable_signings=set(
                EventSigning.objects.editable_by(user)
                .filter(pk__in=[s.pk for s in signings])
                .values_list("pk", flat=True)
            ),
            active_tab=kwargs.get("active_tab", self.request.GET.get("tab", "overview")),
        )
        context["removable_starts"] = set(
            EventStart.objects.editable_by(user)
            .filter(pk__in=[s.pk for s in context["starts"]])
            .values_list("pk", flat=True)
        )
        return context


class EventQuotaView(RecordActionMixin, EventDetailView):
    """The bureau names a unit taking part, with its signing quota."""

    form_class = EventQuotaForm
    prefix = "quota"
    context_name = "quota_form"
    tab = "overview"

    def act(self, form: EventQuotaForm) -> None:
        services.event_quota_set(
            event=self.object,
            user=self.request.user,
            unit=form.cleaned_data["unit"],
            signing_quota=form.cleaned_data["signing_quota"],
        )

    def success_message(self) -> str:
        return _("Signing quota saved.")


class EventRecordView(RecordActionMixin, EventDetailView):
    """A unit's record posted from the event's page: the event is everyone's, so the
    write needs `event.record` only (the service checks the project or lead is theirs)."""

    form_class = EventSigningForm

    def get_object(self, queryset: QuerySet | None = None) -> Event:
        event = get_object_or_404(
            Event.objects.visible_to(self.request.user).select_related("organiser"),
            pk=self.kwargs["pk"],
        )
        require(self.request.user, Action.EVENT_RECORD)
        return event

    def get_form(self) -> Any:
        return self.form_class(self.request.POST, prefix=self.prefix, user=self.request.user)


class EventSigningView(EventRecordView):
    form_class = EventSigningForm
    prefix = "signing"
    context_name = "signing_form"
    tab = "signings"

    def act(self, form: EventSigningForm) -> None:
        data = form.cleaned_data
        services.event_signing_record(
            event=self.object,
            user=self.request.user,
            project=data["project"],
            signed_on=data["signed_on"],
            note=data["note"],
        )

    def success_message(self) -> str:
        return _("Signing recorded.")


class EventStartView(EventRecordView):
    form_class = EventStartForm
    prefix = "start"
    context_name = "start_form"
    tab = "starts"

    def act(self, form: EventStartForm) -> None:
        services.event_start_record(
            event=self.object, user=self.request.user, project=form.cleaned_data["project"]
        )

    def success_message(self) -> str:
        return _("Start recorded.")


class EventLeadView(EventRecordView):
    form_class = EventLeadForm
    prefix = "lead"
    context_name = "lead_form"
    tab = "leads"

    def act(self, form: EventLeadForm) -> None:
        services.event_lead_add(
            event=self.object, user=self.request.user, lead=form.cleaned_data["lead"]
        )

    def success_message(self) -> str:
        return _("Lead recorded.")


class EventInvitationView(EventRecordView):
    form_class = EventInvitationForm
    prefix = "invitation"
    context_name = "invitation_form"
    tab = "invitations"

    def act(self, form: EventInvitationForm) -> None:
        services.event_invite(event=self.object, user=self.request.user, data=entered(form))

    def success_message(self) -> str:
        return _("Invitation recorded.")


class EventRecordRemoveView(View):
    """Removes a wrongly recorded signing or start: 404 when the user cannot see it, 403
    when they may see but not change it."""

    http_method_names = ["post"]
    model: type[EventSigning] | type[EventStart]
    tab = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = get_object_or_404(
            self.model.objects.visible_to(request.user).select_related("event"),
            pk=kwargs["record_pk"],
            event=kwargs["pk"],
        )
        require(request.user, Action.EVENT_RECORD)
        self.remove(record)
        messages.success(request, _("Record removed."))
        return HttpResponseRedirect(f"{record.event.get_absolute_url()}?tab={self.tab}")

    def remove(self, record: Any) -> None:
        raise NotImplementedError


class EventSigningRemoveView(EventRecordRemoveView):
    model = EventSigning
    tab = "signings"

    def remove(self, record: EventSigning) -> None:
        services.event_signing_remove(signing=record, user=self.request.user)


class EventStartRemoveView(EventRecordRemoveView):
    model = EventStart
    tab = "starts"

    def remove(self, record: EventStart) -> None:
        services.event_start_remove(start=record, user=self.request.user)
