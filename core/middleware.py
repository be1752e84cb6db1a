from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme

from core.exceptions import DomainError


class DomainErrorMiddleware:
    """A DomainError that escapes an HTML view becomes a message on the page the person came from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if request.headers.get("HX-Request"):
            # htmx swaps this into the page as HTML: a message may quote what someone typed (a team name...).
            return HttpResponseBadRequest(escape(str(exception.message)), content_type="text/html; charset=utf-8")
        messages.error(request, exception.message)
        back = request.headers.get("Referer", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect(request.path if request.method == "POST" else "home")
