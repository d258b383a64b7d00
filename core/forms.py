from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class BootstrapFormRenderer(TemplatesSetting):
    """Every form renders its fields through one Bootstrap field template."""

    form_template_name = "_partials/form.html"
    field_template_name = "_partials/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


def html_attrs(attrs: dict[str, Any]) -> str:
    """Django's attrs.html: in order, True as a bare name, False left out, values escaped."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
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


class StyledFormMixin:
    """Gives each widget its Bootstrap class; select boxes with many options get Tom Select."""

    fields: dict[str, forms.Field]
    searchable_min_choices = 12

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.apply_styles()

    def apply_styles(self) -> None:
        style_fields(self.fields, self.searchable_min_choices)


def style_fields(fields: dict[str, forms.Field], searchable_min_choices: int = 12) -> None:
    """Bootstrap classes on every widget; Tom Select on long select boxes."""
    for form_field in fields.values():
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
            if isinstance(widget, forms.SelectMultiple) or count > searchable_min_choices:
                css += " js-searchable"
        else:
            css = "form-control"
        if css not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass
