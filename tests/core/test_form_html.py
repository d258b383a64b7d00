"""The widgets and field groups that core.forms writes in Python are their templates' HTML to
the byte: every form and filter of the project, blank, as typed and with its errors, in both
languages (a project's page draws 20 fields, and a template each was most of its forms'
time, bench/README.md)."""

import datetime as dt
import inspect
from collections import Counter

import django_filters
import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.forms import (
    CLEARABLE_FILE_TEMPLATE,
    INPUT_TEMPLATES,
    SELECT_TEMPLATE,
    TEXTAREA_TEMPLATE,
    BootstrapFormRenderer,
    StyledForm,
)
from tests.core.test_labels import bureau_request, project_classes
from tests.factories import ProjectFactory

TYPED = "x<&\"'> 1"


class TemplatesOnly(BootstrapFormRenderer):
    """The renderer with every widget and field group drawn by its template."""

    def written(self, template_name, context):
        return None


class CountingRenderer(BootstrapFormRenderer):
    """The renderer as it is, counting the templates it wrote in Python."""

    def __init__(self):
        super().__init__()
        self.wrote = Counter()

    def written(self, template_name, context):
        html = super().written(template_name, context)
        if html is not None:
            self.wrote[template_name] += 1
        return html


class Edges(StyledForm):
    """What the project's forms seldom have: a label and an attribute marked safe, HTML help,
    a checkbox with an error, a hidden initial value, a localized number, a stored file."""

    note = forms.CharField(
        label=mark_safe("<b>备注</b>"),
        help_text="<i>HTML</i> help",
        widget=forms.Textarea(attrs={"data-x": mark_safe("&amp;"), "rows": 2, "hidden": True}),
    )
    agree = forms.BooleanField(label=_("Confirm the unusual amount"))
    when = forms.DateField(label=_("Month"), show_hidden_initial=True, initial=dt.date(2026, 1, 5))
    count = forms.IntegerField(label=_("Note"), localize=True, initial=1234567)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("a", "<A>"), ("b", mark_safe("<b>B</b>"))])
    file = forms.FileField(label=_("Evidence file"), required=False)


class StoredFile:
    """A file already kept (ClearableFileInput then names it and offers to clear it)."""

    url = "/files/x/1/"

    def __str__(self):
        return "evidence.pdf"


def built(form_class, extra, **data):
    """The form as its page builds it, with the user or project it asks for."""
    accepts = inspect.signature(form_class).parameters
    kwargs = {name: value for name, value in extra.items() if name in accepts}
    try:
        return form_class(**kwargs, **data)
    except (TypeError, KeyError, ValueError, AttributeError):
        return None  # asks for more than a user or a project (a row of a formset, a report)


def needs_a_request(form):
    """A login form: checking it asks Axes, which needs the request."""
    return "request" in inspect.signature(type(form)).parameters or isinstance(
        form, AuthenticationForm
    )


def every_form(user, project):
    extra = {"user": user, "project": project}
    for form_class in project_classes(forms.BaseForm):
        blank = built(form_class, extra)
        if blank is None:
            continue
        yield blank
        for value in (TYPED, "1", ""):
            typed = built(form_class, extra, data={name: value for name in blank.fields})
            if typed is not None and not needs_a_request(typed):
                typed.is_valid()  # the errors beside the fields
                yield typed
    for filterset_class in project_classes(django_filters.FilterSet):
        if filterset_class._meta.model is None:
            continue
        yield filterset_class(request=bureau_request(user)).form
        typed = {"q": TYPED, "unit": "1", "stage": "constructing", "year": "x", "status": "x"}
        yield filterset_class(typed, request=bureau_request(user)).form
    yield Edges()
    edges = Edges({"note": TYPED, "when": "2026-13-40", "count": "x"})
    edges.is_valid()
    yield edges
    yield Edges(initial={"file": StoredFile()})


def drawn(form, renderer):
    form.renderer = renderer
    form._bound_fields_cache.clear()  # a bound field keeps the renderer it was drawn with
    return [str(form), *(field.as_field_group() for field in form), *(str(f) for f in form)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_written_html_is_the_templates(bureau_user, unit_a, language):
    project = ProjectFactory(unit=unit_a)
    counting, templates, checked, different = CountingRenderer(), TemplatesOnly(), 0, []
    with translation.override(language):
        for form in every_form(bureau_user, project):
            checked += 1
            written, from_templates = drawn(form, counting), drawn(form, templates)
            if written != from_templates:
                different.append(type(form).__qualname__)
    assert checked > 150
    assert not different, different
    wrote = counting.wrote
    assert wrote[BootstrapFormRenderer.field_template_name] > 500
    assert {SELECT_TEMPLATE, TEXTAREA_TEMPLATE, CLEARABLE_FILE_TEMPLATE} <= set(wrote)
    assert len(INPUT_TEMPLATES & set(wrote)) >= 6  # text, number, date, hidden, checkbox...


def test_a_stored_file_is_left_to_its_template():
    form = Edges(initial={"file": StoredFile()})
    html = form["file"].as_field_group()
    assert 'href="/files/x/1/"' in html and "evidence.pdf" in html
    assert drawn(Edges(initial={"file": StoredFile()}), TemplatesOnly()) == drawn(
        form, BootstrapFormRenderer()
    )


def test_what_a_person_typed_comes_back_escaped():
    form = Edges({"note": TYPED, "count": "x"})
    html = str(form)
    assert "x&lt;&amp;&quot;&#x27;&gt; 1</textarea>" in html
    assert "<b>备注</b>" in html  # the label marked safe stays HTML
    assert 'data-x="&amp;"' in html  # so does the attribute
