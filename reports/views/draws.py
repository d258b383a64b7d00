"""Pages of the draw of 两随机一公开 (issue 7): the public list of draws and findings, the
bureau's draw form, a draw's page with its seed, candidates and the draw repeated, and
the inspection page where the bureau records the check and adds photos."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import sees_everything
from core.forms import StyledForm
from core.periods import quarter_of
from core.policy import Action, may, require
from core.views import EditableObjectMixin, ScopedDetailView
from reports.choices import DrawKind
from reports.models import Draw, Inspection
from reports.selectors.draws import (
    draw_method_code,
    draw_pick,
    draw_queryset,
    draw_repeat,
    drawn_candidates,
    draws_by_quarter,
    inspection_queryset,
)
from reports.services.draws import draw_make, inspection_photo_add, inspection_record

QUARTERS = [(q, q) for q in range(1, 5)]


class DrawForm(StyledForm):
    kind = forms.ChoiceField(label=gettext_lazy("What to draw"), choices=DrawKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=gettext_lazy("Quarter"), choices=QUARTERS, coerce=int)
    size = forms.IntegerField(label=gettext_lazy("How many to draw"), min_value=1)
    seed = forms.CharField(
        label=gettext_lazy("Seed"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("Leave blank for a fresh random seed. It is published."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InspectionRecordForm(StyledForm):
    inspected_on = forms.DateField(label=gettext_lazy("Inspected on"))
    inspector = forms.CharField(label=gettext_lazy("Inspectors"), max_length=200)
    findings = forms.CharField(
        label=gettext_lazy("Findings"), widget=forms.Textarea(attrs={"rows": 4})
    )


class InspectionPhotoForm(StyledForm):
    image = forms.FileField(
        label=gettext_lazy("Photo"),
        help_text=gettext_lazy("PNG or JPEG, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    caption = forms.CharField(label=gettext_lazy("Caption"), required=False, max_length=200)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors beside the form's fields where the form has them."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error)


# --- The public list and the bureau's draw -------------------------------------------------


def _list_page(request: HttpRequest, form: DrawForm | None) -> HttpResponse:
    bureau = may(request.user, Action.DRAW_MAKE)
    if bureau and form is None:
        today = timezone.localdate()
        form = DrawForm(
            initial={"kind": DrawKind.PROJECTS, "year": today.year, "quarter": quarter_of(today)}
        )
    context = {"quarters": draws_by_quarter(request.user), "form": form if bureau else None}
    return render(request, "reports/draw_list.html", context)


class DrawListView(View):
    """Every draw, newest quarter first, with what was drawn and what inspections found:
    public to every user. The bureau also sees the draw form."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return _list_page(request, None)


class DrawMakeView(View):
    """The bureau makes a quarter's draw; it is final."""

    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.DRAW_MAKE)
        form = DrawForm(request.POST)
        if form.is_valid():
            try:
                draw = draw_make(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The draw is made and published."))
                return HttpResponseRedirect(reverse("reports:draw_detail", args=[draw.pk]))
        return _list_page(request, form)


# --- A draw ----------------------------------------------------------------------------------


class DrawDetailView(ScopedDetailView):
    """A draw: its seed, the candidates in their stored order, the drawn ones, the method
    in words and the draw repeated now from the published seed."""

    model = Draw
    template_name = "reports/draw_detail.html"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return draw_queryset(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        draw = self.object
        order = {pk: position for position, pk in enumerate(draw.drawn, start=1)}
        context["candidates"] = [
            {**candidate, "picked": order.get(candidate["id"])} for candidate in draw.candidates
        ]
        context["drawn_rows"] = drawn_candidates(draw)
        context["repeated_same"] = draw_repeat(draw)
        try:
            context["repeated"] = draw_pick(draw.candidates, draw.size, draw.seed)
        except (ValueError, KeyError, TypeError):
            context["repeated"] = []
        context["method_code"] = draw_method_code(draw)
        context["is_project_draw"] = draw.kind == DrawKind.PROJECTS
        context["inspections"] = list(draw.inspections.all())
        context["active_tab"] = self.request.GET.get("tab", "overview")
        return context


# --- An inspection ---------------------------------------------------------------------------


class InspectionDetailView(ScopedDetailView):
    """A drawn project's on-site check: what was found, its photos; for the bureau the
    record form and the photo upload."""

    model = Inspection
    template_name = "reports/inspection_detail.html"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return inspection_queryset(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        inspection = self.object
        user = self.request.user
        context.setdefault(
            "record_form",
            InspectionRecordForm(
                prefix="record",
                initial={
                    "inspected_on": inspection.inspected_on or timezone.localdate(),
                    "inspector": inspection.inspector,
                    "findings": inspection.findings,
                },
            ),
        )
        context.setdefault("photo_form", InspectionPhotoForm(prefix="photo"))
        context["photos"] = list(inspection.photos.all())
        context["project_link"] = sees_everything(user) or (
            inspection.project.unit_id == getattr(user, "unit_id", None)
        )
        context["active_tab"] = kwargs.get("active_tab", self.request.GET.get("tab", "overview"))
        return context


class InspectionActionView(EditableObjectMixin, InspectionDetailView):
    """A form posted from the inspection page (the bureau only: 403 for others who may see
    it). If it fails, the page comes back with the errors beside the fields."""

    http_method_names = ["post", "options"]
    prefix = ""
    context_name = ""
    form_class: type[forms.Form] = InspectionRecordForm

    def get_queryset(self) -> QuerySet:
        return inspection_queryset(self.request.user)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = self.form_class(request.POST, request.FILES, prefix=self.prefix)
        if form.is_valid():
            try:
                self.act(form)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, self.success_message())
                return HttpResponseRedirect(
                    reverse("reports:inspection_detail", args=[self.object.pk])
                )
        self.object = get_object_or_404(self.get_queryset(), pk=self.object.pk)
        return self.render_to_response(self.get_context_data(**{self.context_name: form}))

    def act(self, form: Any) -> None:
        raise NotImplementedError

    def success_message(self) -> str:
        return _("Saved.")


class InspectionRecordView(InspectionActionView):
    prefix = "record"
    context_name = "record_form"
    form_class = InspectionRecordForm

    def act(self, form: InspectionRecordForm) -> None:
        inspection_record(inspection=self.object, user=self.request.user, **form.cleaned_data)

    def success_message(self) -> str:
        return _("The inspection is recorded.")


class InspectionPhotoAddView(InspectionActionView):
    prefix = "photo"
    context_name = "photo_form"
    form_class = InspectionPhotoForm

    def act(self, form: InspectionPhotoForm) -> None:
        inspection_photo_add(
            inspection=self.object,
            user=self.request.user,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )

    def success_message(self) -> str:
        return _("The photo is added.")
