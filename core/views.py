"""Core pages: the design system, and Django's error handlers (config.urls): API paths answer JSON in the shape of
core.api, pages the usual templates."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views import defaults

from core.api import api_error_response, is_api_request
from core.forms import DesignSystemDemoForm


@login_required
def design_system(request):
    """Every part of the design system on one page (docs/design-system.md), for organizers and staff."""
    # The reverse relation keeps core free of an import from hackathon (core sits below every app).
    if not (request.user.is_staff or request.user.event_roles.filter(role="organizer").exists()):
        raise Http404
    form = DesignSystemDemoForm(request.GET or None)
    if request.GET:
        form.is_valid()  # shows the error states
    return render(request, "design_system.html", {"form": form})


def bad_request(request, exception):
    if is_api_request(request):
        return api_error_response(request, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return api_error_response(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_request(request):
        return api_error_response(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return api_error_response(request, 500)
    return defaults.server_error(request)
