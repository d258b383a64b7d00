import copy
import inspect
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.forms.boundfield import BoundField
from django.forms.models import InlineForeignKeyField, ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# input.html and the templates that only include it.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        *("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden"),
        *("number", "password", "search", "tel", "text", "time", "url"),
    )
)
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
CLEARABLE_FILE_TEMPLATE = "django/forms/widgets/clearable_file_input.html"

# A model select box with more choices than this renders only its chosen ones; the others
# load as the user types (core.options): a province's 2000 units took 20 ms and 100 KB of
# every page that filters by unit, its 160 teams 2 ms of every list page (bench/README.md).
MAX_RENDERED_CHOICES = 100

# key → the form as its page builds it for a request: the forms core.options may be asked.
OptionsSource = Callable[[Any], forms.BaseForm]
OPTIONS_SOURCES: dict[str, OptionsSource] = {}


def register_options_source(form_class: type, build: OptionsSource) -> str:
    """Lets the long select boxes of `form_class` load their choices from core.options;
    returns the key their URL names it by."""
    key = f"{form_class.__module__}.{form_class.__qualname__}"
    OPTIONS_SOURCES[key] = build
    return key


def options_url(options_key: str, field_name: str) -> str:
    return reverse("select-options", args=[options_key, field_name])


def chosen_only(choices: ModelChoiceIterator, values: list[str]) -> ModelChoiceIterator:
    """The field's blank option(s) and the given values, looked up in the field's own
    queryset: an id outside it (another unit's record, a stale link) shows nothing."""
    field = choices.field
    model = choices.queryset.model
    key_field = (
        model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    )
    keys = []
    for value in values:
        try:
            keys.append(key_field.to_python(value))
        except ValidationError:
            continue  # "", a filter's "null", or garbage typed into the address bar
    chosen = copy.copy(choices)
    lookup = f"{field.to_field_name or 'pk'}__in"
    chosen.queryset = choices.queryset.filter(**{lookup: keys}) if keys else choices.queryset.none()
    return chosen


class OnDemandChoicesMixin:
    """A select box that renders its blank option and its chosen values only: the others
    come from its data-options-url as the user types (static/js/app.js)."""

    choices: Any

    def optgroups(self, name: str, value: list[str], attrs: Any = None) -> Any:
        every_choice = self.choices
        self.choices = chosen_only(every_choice, value)
        try:
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = every_choice


class OnDemandSelect(OnDemandChoicesMixin, forms.Select):
    pass


class OnDemandSelectMultiple(OnDemandChoicesMixin, forms.SelectMultiple):
    pass


def load_on_demand(form_field: forms.ModelChoiceField, url: str) -> forms.Widget:
    """Gives the field an on-demand widget of its kind; a widget of a form's own choosing
    keeps every option."""
    widget = form_field.widget
    on_demand = {forms.Select: OnDemandSelect, forms.SelectMultiple: OnDemandSelectMultiple}
    widget_class = on_demand.get(type(widget))
    if widget_class is None:
        return widget
    form_field.widget = widget_class(
        attrs={**widget.attrs, "data-options-url": url}, choices=widget.choices
    )
    form_field.widget.is_required = widget.is_required
    return form_field.widget


class BootstrapFormRenderer(TemplatesSetting):
    """Every form renders its fields through one Bootstrap field template."""

    form_template_name = "_partials/form.html"
    field_template_name = "_partials/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        try:
            html = self.written(template_name, context)
        except _Localized:
            html = None
        if html is not None:
            return html
        return super().render(template_name, context, request)

    def written(self, template_name: str, context: dict[str, Any]) -> str | None:
        """The HTML of the templates every form draws with, written in Python (below): the
        widgets' and the field group's (a template each was most of a form's time, and a
        project's page draws 20 fields, bench/README.md). None for any other template."""
        if template_name == self.field_template_name and context.keys() == {"field"}:
            return render_field_group(context["field"])
        writer = WIDGET_WRITERS.get(template_name)
        return None if writer is None else writer(context["widget"])


class _Localized(Exception):
    """A value that a template would localize (a number, a date): left to the template."""


def _text(value: Any) -> str:
    """`{{ value }}` of a text: escaped unless marked safe."""
    if isinstance(value, str | Promise):
        return conditional_escape(value)
    raise _Localized


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: escaped unless marked safe."""
    shown = "%s" % (str(value) if isinstance(value, tuple) else value)
    return shown if isinstance(value, SafeData) else escape(shown)


def html_attrs(attrs: dict[str, Any]) -> str:
    """Django's attrs.html: in order, True as a bare name, False left out, values escaped."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict[str, Any]) -> str | None:
    """Django's select.html and select_option.html, written in Python, the same HTML to the
    byte: a unit filter of a province has 2000 options, and a template per option took most
    of a list page's time (bench/README.md). None when an option has a template of its own."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{html_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{escape(option["value"])}"{html_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)


# Django's input.html, textarea.html and clearable_file_input.html, and _partials/field.html,
# written in Python, the same HTML to the byte (tests/core/test_form_html.py), as the
# renderer's strip leaves it; the templates stay the reference.


def render_input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value == None else f' value="{_formatted(value)}"'  # noqa: E711 (the template's)
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{html_attrs(widget['attrs'])}>"
    )


def render_textarea(widget: dict[str, Any]) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<textarea name="{_text(widget["name"])}"{html_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def render_file_input(widget: dict[str, Any]) -> str | None:
    """A file input with no file yet (one that has a file names it and offers to clear it:
    left to the template)."""
    if widget["is_initial"]:
        return None
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{html_attrs(widget['attrs'])}>"
    )


WIDGET_WRITERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    SELECT_TEMPLATE: render_select,
    TEXTAREA_TEMPLATE: render_textarea,
    CLEARABLE_FILE_TEMPLATE: render_file_input,
    **dict.fromkeys(INPUT_TEMPLATES, render_input),
}


def render_field_group(field: BoundField) -> str:
    """The label, the widget, the help text and the errors of one field."""
    label = _text(field.label)
    errors = "".join(
        f'<div class="invalid-feedback d-block">{label}：{_text(error)}</div>'
        for error in field.errors
    )
    auto_id = _text(field.auto_id)
    if field.widget_type == "checkbox":
        html = (
            f'<div class="form-check mt-md-4">\n  {field}\n'
            f'  <label class="form-check-label" for="{auto_id}">{label}</label>\n'
            f"  {errors}\n</div>"
        )
    else:
        required = " required" if field.field.required else ""
        help_text = f'<div class="form-text">{field.help_text}</div>' if field.help_text else ""
        html = (
            f'<label class="form-label{required}" for="{auto_id}">{label}</label>\n'
            f"{field}\n{help_text}\n{errors}"
        )
    return mark_safe(html.strip())  # noqa: S308 (the help text is HTML, as the template has it)


# The empty choice of a select box, in words (issue 19): a filter's reads 全部, a form's 请选择,
# never Django's and django-filter's "---------".
BLANK_DASHES = "---------"
EMPTY_FILTER_LABEL = _("Any")
EMPTY_FORM_LABEL = _("Choose…")


def label_empty_choices(fields: dict[str, forms.Field], label: Any) -> None:
    """Gives each select box whose empty choice reads "---------" the label `label`; an
    empty choice a form words itself ("All units", "(not imported)") stays as it is."""
    for form_field in fields.values():
        if getattr(form_field, "empty_label", None) == BLANK_DASHES:
            form_field.empty_label = label  # model choices, and django-filter's choices
            # the widget's choices are a shallow copy naming the field the form copied
            form_field.widget.choices = form_field.choices
        if not isinstance(form_field, forms.ChoiceField) or isinstance(
            form_field, forms.ModelChoiceField
        ):
            continue
        if getattr(form_field, "empty_label", None) is not None:
            continue  # django-filter's choices: their empty one is worded above
        choices = list(form_field.choices)  # a model field's blank choice comes first
        if any(value == "" and str(text) == BLANK_DASHES for value, text in choices):
            form_field.choices = [
                (value, label if value == "" and str(text) == BLANK_DASHES else text)
                for value, text in choices
            ]


class StyledFormMixin:
    """Gives each widget its Bootstrap class; select boxes with many options get Tom Select."""

    fields: dict[str, forms.Field]
    searchable_min_choices = 12
    options_key: ClassVar[str | None] = None  # set for the forms core.options may build

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.apply_styles()

    def apply_styles(self) -> None:
        style_fields(self.fields, self.searchable_min_choices, self.options_key)
        label_empty_choices(self.fields, EMPTY_FORM_LABEL)


def style_fields(
    fields: dict[str, forms.Field],
    searchable_min_choices: int = 12,
    options_key: str | None = None,
) -> None:
    """Bootstrap classes on every widget; Tom Select on long select boxes; the longest
    model select boxes load their choices on demand when the form is an options source."""
    for name, form_field in fields.items():
        widget = form_field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            # A yes/no filter: "any" rather than Django's "unknown".
            widget.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"  # the browser's date picker, ISO values
            widget.format = "%Y-%m-%d"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
            choices = getattr(form_field, "choices", ())
            # len() of a model field's choices is a COUNT, not a fetch of every row
            count = len(choices) if hasattr(choices, "__len__") else len(list(choices))
            if (
                options_key
                and count > MAX_RENDERED_CHOICES
                and isinstance(form_field, forms.ModelChoiceField)
            ):
                widget = load_on_demand(form_field, options_url(options_key, name))
            if (
                isinstance(widget, forms.SelectMultiple | OnDemandChoicesMixin)
                or count > searchable_min_choices
            ):
                css += " js-searchable"
        else:
            css = "form-control"
        if css not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    """Every model form is an options source, for the users who may write its kind."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.options_key = register_options_source(cls, cls.blank_for)

    @classmethod
    def blank_for(cls, request: Any) -> forms.BaseForm:
        """The form as a new record's page builds it for the user (with `user=` when its
        choices depend on the user). Refused to whoever may not write this kind, as its
        pages refuse them (core.views.ScopedCreateView)."""
        if cls._meta.model is None:
            raise Http404
        rows = cls._meta.model._default_manager.all()
        if not (hasattr(rows, "creatable_by") and rows.creatable_by(request.user)):
            raise PermissionDenied
        if "user" in inspect.signature(cls).parameters:
            return cls(user=request.user)
        return cls()


def show_service_errors(
    form: forms.BaseForm, error: ValidationError, renamed: dict[str, str] | None = None
) -> None:
    """A service's refusal on the form: each message beside its field where the form has
    it (`renamed` maps a service's field to the form's), else above the form, naming the
    field it is about."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    renamed = renamed or {}
    model = getattr(getattr(form, "_meta", None), "model", None)
    for field, messages in error.message_dict.items():
        name = renamed.get(field, field)
        if name in form.fields:
            form.add_error(name, messages)
        elif field == "__all__" or model is None:
            form.add_error(None, messages)
        else:
            label = _field_label(model, field)
            form.add_error(None, [f"{label}：{message}" for message in messages])


def _field_label(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def entered(form: forms.BaseModelForm) -> dict[str, Any]:
    """What a model form parsed for the model fields it declares: the data a service
    takes (a formset's own `id`, parent key and DELETE are not typed facts)."""
    model = form._meta.model
    names = {field.name for field in model._meta.get_fields()} - {model._meta.pk.name}
    declared = form._meta.fields
    if declared and declared != forms.ALL_FIELDS:
        names &= set(declared)
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name in names and not isinstance(form.fields.get(name), InlineForeignKeyField)
    }
