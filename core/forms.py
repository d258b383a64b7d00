from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


class BootstrapFormRenderer(TemplatesSetting):
    """Every form renders its fields through one Bootstrap field template."""

    form_template_name = "_partials/form.html"
    field_template_name = "_partials/field.html"


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
            if isinstance(widget, forms.SelectMultiple) or len(list(choices)) > (
                searchable_min_choices
            ):
                css += " js-searchable"
        else:
            css = "form-control"
        if css not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass
