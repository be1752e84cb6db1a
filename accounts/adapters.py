from allauth.account.adapter import DefaultAccountAdapter
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from core.services import email_queue


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails (confirmation, password reset) through the worker, not inside the request."""

    def send_mail(self, template_prefix, email, context):
        context = {**context, "email": email}
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        subject = self.format_email_subject(subject)
        body = render_to_string(f"{template_prefix}_message.txt", context, self.request).strip()
        try:
            html_body = render_to_string(f"{template_prefix}_message.html", context, self.request).strip()
        except TemplateDoesNotExist:
            html_body = ""
        email_queue(to=email, subject=subject, body=body, html_body=html_body, purpose=template_prefix.split("/")[-1])
