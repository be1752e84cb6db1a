from django import forms

from core.exceptions import DomainError
from core.forms import form_add_domain_error


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_domain_error_naming_a_field_of_the_form_goes_next_to_that_field():
    form = NameForm(data={"name": "Blur"})
    assert form.is_valid()
    form_add_domain_error(form, DomainError("Taken.", field="name"))
    assert form.errors == {"name": ["Taken."]}


def test_a_domain_error_without_a_field_of_the_form_goes_on_top():
    for field in (None, "track"):
        form = NameForm(data={"name": "Blur"})
        assert form.is_valid()
        form_add_domain_error(form, DomainError("Closed.", field=field))
        assert form.non_field_errors() == ["Closed."]
