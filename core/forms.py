from django import forms

from core.exceptions import DomainError


def form_add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's DomainError on the form: next to its field when the form has that field, else on top."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
