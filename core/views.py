"""Page views every app builds on. Each one takes its rows from the model's
`visible_to(user)` and checks `editable_by(user)` before a write, so access is
decided by core.access and nowhere else:

- a record the user may not see answers 404;
- a write the user may not make answers 403 (a leader, an officer on bureau data);
- a method a page does not take answers 405.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, GeneratedField, Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from django_filters.filterset import filterset_factory
from django_filters.views import FilterView

from core.db import money_sum
from core.exports import xlsx_response
from core.filters import FilterSet
from core.forms import show_service_errors, style_fields
from core.history import record_history
from core.home import home_panels
from core.pagination import IdsFirstPaginator
from core.services import require_creatable, require_editable
from core.unchanged import kept_while_unchanged


@dataclass(frozen=True)
class Column:
    """One column of a list page and of its Excel export."""

    key: str  # the ordering key, when the column sorts
    label: str | Promise
    value: Callable[[Any], Any]  # best a Read (attr, computed): the export reads it fast
    sortable: bool = True
    link: bool = False  # the cell links to the row's page
    numeric: bool = False

    def display(self, row: Any) -> Any:
        return self.value(row)


@dataclass(frozen=True)
class Read:
    """A column's value read along dotted paths of the row ("unit.name"). Without `show`
    the cell is the one path's value, a choice by its label; with it, `show` makes the
    cell of the paths' values. Knowing its paths, an export reads them with `.values()`
    instead of building model instances for every row (bench/README.md)."""

    paths: tuple[str, ...]
    show: Callable[..., Any] | None = None

    def __call__(self, row: Any) -> Any:
        if self.show is None:
            return _read(row, self.paths[0], labelled=True)
        return self.show(*(_read(row, path) for path in self.paths))

    @property
    def lookups(self) -> tuple[str, ...]:
        return tuple(path.replace(".", "__") for path in self.paths)

    def from_values(self, queryset: QuerySet) -> Callable[[dict[str, Any]], Any] | None:
        """The cell made from a `.values()` row, the choices' labels looked up once; None
        when a path is no database column (a property, a relation's object)."""
        fields = [_database_field(queryset, lookup) for lookup in self.lookups]
        if None in fields:
            return None
        if self.show is not None:
            show, lookups = self.show, self.lookups
            return lambda row: show(*(row[lookup] for lookup in lookups))
        lookup, labels = self.lookups[0], _choice_labels(fields[0])

        def cell(row: dict[str, Any]) -> Any:
            value = row[lookup]
            if value is None:
                return ""
            return labels.get(value, value) if labels else value

        return cell


def attr(path: str) -> Read:
    """A column value read along a dotted path; choices show their label."""
    return Read((path,))


def computed(show: Callable[..., Any], *paths: str) -> Read:
    """A column value made by `show` of the values read along `paths` (None where the
    path stops at an empty relation)."""
    return Read(paths, show)


def _read(row: Any, path: str, labelled: bool = False) -> Any:
    value: Any = row
    for part in path.split("."):
        if value is None:
            break
        display = getattr(value, f"get_{part}_display", None) if labelled else None
        value = display() if display else getattr(value, part)
    return "" if value is None and labelled else value


def _database_field(queryset: QuerySet, lookup: str) -> Any:
    """The field a lookup ("unit__name") reads through many-to-one relations, or an
    annotation's; None when `.values()` cannot read it as the page shows it: a property,
    a relation (the page shows the object)."""
    if lookup in queryset.query.annotations:
        return queryset.query.annotations[lookup].output_field
    field, model = None, queryset.model
    for part in lookup.split("__"):
        if field is not None and not (field.many_to_one or field.one_to_one):
            return None  # past a plain column, or across a to-many relation
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return None if field is None or field.is_relation else field


def _choice_labels(field: Any) -> dict[Any, str]:
    choices = (field.output_field if isinstance(field, GeneratedField) else field).flatchoices
    return {key: str(label) for key, label in choices}


def requested_int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high]; the default when missing or wrong."""
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return default
    return value if low <= value <= high else default


def requested_year(request: HttpRequest, default: int | None = None) -> int:
    """`year=` of the query, from 2000 to 2100; else the default (this year)."""
    return requested_int(request, "year", default or timezone.localdate().year, 2000, 2100)


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "panels": home_panels(self.request)}


class ScopedListView(FilterView):
    """A filtered, sorted, paginated list; `?export=xlsx` gives the filtered rows as a
    workbook with the same columns."""

    model: type[Model]
    columns: Sequence[Column] = ()
    paginate_by = 25
    paginator_class = IdsFirstPaginator  # a page's ids sorted and cut first (core.pagination)
    template_name = "_partials/list_page.html"
    title: str | Promise = ""
    create_url_name: str | None = None
    select_related: Sequence[str] = ()
    # (label, amount field): each summed over every row the filters keep (合计), so a
    # figure that opened the list can be reconciled with its records
    totals: Sequence[tuple[str | Promise, str]] = ()

    def get_filterset_class(self) -> Any:
        """A list that names only `filterset_fields` filters through core's FilterSet too
        (its empty choices read 全部)."""
        if self.filterset_class is None and self.model is not None:
            return filterset_factory(self.model, filterset=FilterSet, fields=self.filterset_fields)
        return super().get_filterset_class()

    def get_queryset(self) -> QuerySet:
        qs = self.model._default_manager.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            return self.export(request)
        return kept_while_unchanged(
            request, lambda: super(ScopedListView, self).get(request, *args, **kwargs), page=True
        )

    def export(self, request: HttpRequest) -> HttpResponse:
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            return super().get(request)
        stamp = timezone.localdate().isoformat()
        return xlsx_response(
            filename=f"{self.title}-{stamp}.xlsx",
            title=str(self.title),
            headers=[str(c.label) for c in self.columns],
            rows=self.export_rows(filterset.qs),
        )

    def export_rows(self, queryset: QuerySet) -> Iterator[list[Any]]:
        """The cells of every row: from `.values()` when each column is a Read of database
        columns (a model instance per row costs more than the rest of the export), else
        from the instances. A cell is the column's value, never what `display` makes of
        it for the page (a badge's markup)."""
        reads = [column.value for column in self.columns]
        readers = [read.from_values(queryset) if isinstance(read, Read) else None for read in reads]
        if None in readers:
            readers, rows = reads, queryset
        else:
            lookups = dict.fromkeys(lookup for read in reads for lookup in read.lookups)
            rows = queryset.values("pk", *lookups)  # pk: a distinct() still counts every row
        for row in rows.iterator(chunk_size=2000):
            yield [read(row) for read in readers]

    def row_class(self, row: Any) -> str:
        """A CSS class for a row that needs attention (shown in red)."""
        return ""

    def paginate_queryset(self, queryset: QuerySet, page_size: int) -> Any:
        """The page of the filtered rows, counted in the query that sums `totals` over them
        (one scan of the rows instead of two, bench/README.md, issue 20)."""
        self.row_sums = self.count_and_sum(queryset)
        return super().paginate_queryset(queryset, page_size)

    def get_paginator(self, queryset: QuerySet, per_page: int, *args: Any, **kwargs: Any) -> Any:
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        paginator.count = self.row_sums["rows"]  # Paginator.count is a cached property
        return paginator

    def count_and_sum(self, queryset: QuerySet) -> dict[str, Any]:
        """The rows and each of `totals` over them, in one query."""
        if not self.totals:
            return {"rows": queryset.count()}
        return queryset.order_by().aggregate(
            rows=Count("*"),  # COUNT(*): COUNT(id) would read the table, not the index
            **{f"total_{i}": money_sum(field) for i, (_label, field) in enumerate(self.totals)},
        )

    def total_amounts(self, queryset: QuerySet) -> list[tuple[str | Promise, Decimal]]:
        """Each of `totals` over the filtered rows (summed with their count)."""
        sums = getattr(self, "row_sums", None) or self.count_and_sum(queryset)
        return [(label, sums[f"total_{i}"]) for i, (label, _field) in enumerate(self.totals)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if context.get("filter") is not None:
            filterset = context["filter"]
            style_fields(filterset.form.fields, options_key=getattr(filterset, "options_key", None))
        rows = context["object_list"]
        context["title"] = self.title
        # Each label translated once, not once per cell; each row's address reversed once.
        columns = [replace(column, label=str(column.label)) for column in self.columns]
        links = any(column.link for column in columns)
        context["columns"] = columns
        context["table"] = [
            (
                row,
                self.row_class(row),
                row.get_absolute_url() if links else "",
                [(column, column.display(row)) for column in columns],
            )
            for row in rows
        ]
        context["may_create"] = bool(
            self.create_url_name
            and self.model._default_manager.all().creatable_by(self.request.user)
        )
        context["create_url_name"] = self.create_url_name
        filtered = context["filter"].qs if context.get("filter") is not None else self.object_list
        context["totals"] = self.total_amounts(filtered)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class ScopedDetailView(DetailView):
    """A record's page, with its audit history."""

    def get_queryset(self) -> QuerySet:
        return self.model._default_manager.visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_edit"] = (
            self.model._default_manager.editable_by(self.request.user)
            .filter(pk=self.object.pk)
            .exists()
        )
        context["history"] = record_history(self.object)
        return context


# Form pages take GET and POST only (Django's form views would also take PUT).
FORM_METHODS = ["get", "post", "head", "options"]


class ScopedCreateView(CreateView):
    """Creating a record: refused (403) to anyone who may not create this kind."""

    http_method_names = FORM_METHODS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_creatable(request.user, self.model)
        return super().dispatch(request, *args, **kwargs)


class EditableObjectMixin:
    """The object of a write: 404 when the user cannot see it, 403 when they may see
    but not change it."""

    model: type[Model]
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_object(self, queryset: QuerySet | None = None) -> Any:
        manager = self.model._default_manager
        obj = get_object_or_404(manager.visible_to(self.request.user), pk=self.kwargs["pk"])
        require_editable(self.request.user, obj)
        return obj


class RecordActionMixin(EditableObjectMixin):
    """A form posted from a tab of a record's page (before its DetailView in the bases):
    `act(form)` calls the service; if the form or the service refuses, the page comes back
    on that tab with everything as typed and the errors beside the fields."""

    http_method_names = ["post"]
    form_class: type
    prefix: str | None = None
    context_name = ""
    tab = "overview"

    def get_form(self) -> Any:
        return self.form_class(self.request.POST, self.request.FILES, prefix=self.prefix)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = self.get_form()
        if form.is_valid():
            try:
                self.act(form)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, self.success_message())
                return HttpResponseRedirect(f"{self.object.get_absolute_url()}?tab={self.tab}")
        self.object = self.get_object()
        context = self.get_context_data(**{self.context_name: form, "active_tab": self.tab})
        return self.render_to_response(context)

    def act(self, form: Any) -> None:
        raise NotImplementedError

    def success_message(self) -> str:
        return str(_("Saved."))


class ScopedUpdateView(EditableObjectMixin, UpdateView):
    http_method_names = FORM_METHODS


class ServiceFormMixin:
    """A form page whose save goes through a service: `save(form)` returns the object."""

    request: HttpRequest
    success_message: str | Promise = _("Saved.")

    def save(self, form: Any) -> Model:
        raise NotImplementedError

    # A service's field → the form's, where they differ (a password typed twice).
    renamed_errors: dict[str, str] = {}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.save(form)
        except ValidationError as error:
            show_service_errors(form, error, self.renamed_errors)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class ScopedActionView(EditableObjectMixin, View):
    """A POST-only action on one record (deactivate, reset a password ...)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        self.act(obj)
        return HttpResponseRedirect(self.get_success_url(obj))

    def act(self, obj: Any) -> None:
        raise NotImplementedError

    def get_success_url(self, obj: Any) -> str:
        return obj.get_absolute_url()
