"""Django's error handlers (config.urls): API paths answer JSON in the shape of core.api, pages the usual templates."""

from django.views import defaults

from core.api import api_error_response, is_api_request


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
