"""The design system's template parts (core/templatetags/ui.py, templates/partials/)."""

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string

from core.templatetags.ui import tone


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def test_tone_colours_each_state_the_same_everywhere():
    assert tone("succeeded") == tone("confirmed") == "ok"
    assert tone("failed") == tone("timed_out") == "bad"
    assert tone("waitlisted") == "warn"
    assert tone("queued") == tone("cancelled") == "neutral"
    assert tone("running") == "info"
    assert (tone("npu"), tone("cpu"), tone("simulated")) == ("npu", "cpu", "simulated")
    assert tone("something new") == "neutral"


def test_wrap_renders_the_partial_around_its_content():
    html = render(
        '{% wrap "partials/table_wrap.html" label=label %}<table><tr><td>1</td></tr></table>{% endwrap %}', label="Jobs"
    )
    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="Jobs">' in html
    assert "<table><tr><td>1</td></tr></table>" in html


def test_wrap_escapes_its_arguments_but_not_its_content():
    html = render('{% wrap "partials/table_wrap.html" label=label %}<b>ok</b>{% endwrap %}', label='"><script>')
    assert "<script>" not in html.replace("<b>ok</b>", "")
    assert "<b>ok</b>" in html


def test_stat_card_keeps_value_and_unit_apart_from_the_label_and_names_its_source():
    html = render_to_string(
        "partials/stat.html", {"value": "129.5 / 80", "unit": "ms", "label": "p99", "source": "cpu"}
    )
    assert '<span class="stat-card__value">129.5 / 80 <span class="stat-card__unit">ms</span></span>' in html
    assert 'class="badge badge--cpu" data-state="cpu">CPU run<' in html


def test_confirm_button_asks_before_posting():
    html = render_to_string(
        "partials/confirm_button.html",
        {"action": "/x/", "label": "Remove", "message": "Remove it?", "confirm_label": "Remove the role"},
    )
    assert 'data-confirm="Remove it?"' in html
    assert 'data-confirm-button="Remove the role"' in html
    assert 'method="post" action="/x/"' in html


class DemoForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Shown on the board.")
    agree = forms.BooleanField(label="I agree", help_text="Required.")
    size = forms.ChoiceField(label="Size", choices=[("s", "S"), ("m", "M")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "name, widget_marker",
    [("name", '<input type="text" name="name"'), ("agree", '<input type="checkbox" name="agree"')],
)
def test_an_invalid_field_is_marked_and_linked_to_its_message(name, widget_marker):
    form = DemoForm(data={})
    html = render_to_string("partials/field.html", {"field": form[name]})
    widget = next(line for line in html.splitlines() if widget_marker in line)
    assert 'aria-invalid="true"' in widget
    assert f'aria-describedby="id_{name}_helptext id_{name}_error"' in widget
    assert f'<small class="errorlist" id="id_{name}_error">' in html
    assert f'<small class="field-help" id="id_{name}_helptext">' in html


def test_an_invalid_radio_group_is_a_fieldset_described_by_its_message():
    form = DemoForm(data={})
    html = render_to_string("partials/field.html", {"field": form["size"]})
    assert '<fieldset aria-describedby="id_size_helptext id_size_error">' not in html  # no help text on this one
    assert '<fieldset aria-describedby="id_size_error">' in html
    assert "<legend>Size" in html
    assert html.count('aria-invalid="true"') == 2  # each radio
    assert '<small class="errorlist" id="id_size_error">' in html


def test_a_valid_field_is_not_marked_invalid():
    form = DemoForm(data={"name": "BlurCast", "agree": "on", "size": "s"})
    assert form.is_valid()
    for name in ("name", "agree", "size"):
        assert "aria-invalid" not in render_to_string("partials/field.html", {"field": form[name]})
