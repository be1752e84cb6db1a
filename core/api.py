"""What every API answers the same way.

Errors: every 4xx has one JSON shape, documented for every operation in the schema (core.schema):
    {"detail": "a readable message", "code": "machine_code", "field": "the input it is about, or null"}
A request that fails validation also lists every field's messages under the field's name:
    {"detail": "...", "code": "invalid", "field": "max_ai", "max_ai": ["Ensure this value is ..."]}
- A broken business rule (a full team, a closed round) is a DomainError: 400.
- Credentials that are wrong (a bad or revoked token) are 401 with `WWW-Authenticate: Token`. A request with no
  credentials at all is 403, as it always was here (session authentication comes first and has no challenge).
- A role check that fails is 403; a page or object the caller may not know about is 404 (see below).
- API paths never answer an HTML page: unmatched /api/ URLs and server errors are JSON too (config.urls handlers).

Unknown or foreign ids, in the URL or in the request body, answer 404 Not Found. An id that names nothing, or
names a row of another event, another team or anything the caller may not see, gets the same 404 as a missing
one, so that ids reveal nothing. API views resolve every id they receive with a queryset scoped to the URL's event
(and to the caller) -- `get_object_or_404(...)` -- before they call a service; a service never answers 500 for an
id it cannot find. Once every id is found, what the service refuses is a 400 with the DomainError's field.
(A scanned check-in code is not an id but something a person typed: an unknown one is a 400 the scanner shows.)
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.bounds import INTEGER_MAX
from core.exceptions import DomainError


def error_body(detail: Any, code: str, field: str | None = None) -> dict[str, Any]:
    return {"detail": str(detail), "code": str(code), "field": field}


def _first_error(data: Any, codes: Any, path: str | None = None) -> tuple[str | None, str, str]:
    """(field, message, code) of the first message in a DRF validation error's nested data."""
    if isinstance(data, dict):
        for key, value in data.items():
            field = key if path is None else f"{path}.{key}"
            if key in ("non_field_errors", "__all__") and path is None:
                field = None
            sub_codes = codes.get(key) if isinstance(codes, dict) else codes
            return _first_error(value, sub_codes, field)
    if isinstance(data, list) and data:
        sub_codes = codes[0] if isinstance(codes, list) and codes else codes
        return _first_error(data[0], sub_codes, path)
    return path, str(data), str(codes or "invalid")


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    field, message, code = _first_error(exc.detail, exc.get_codes())
    detail = f"{field}: {message}" if field else message
    body = error_body(detail, code, field)
    if isinstance(exc.detail, dict):
        for key, value in exc.detail.items():
            body.setdefault(str(key), value)
    return body


def exception_handler(exc, context):
    """DRF handler: every error as {"detail", "code", "field"} (plus each field's messages for a validation error)."""
    if isinstance(exc, DomainError):
        return Response(error_body(exc.message, exc.code, exc.field), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: config.urls.handler500 answers it (as JSON under /api/)
    if isinstance(exc, exceptions.AuthenticationFailed):
        # Credentials were sent and are wrong: say so with 401 and how to authenticate, whatever the first
        # authenticator is (DRF answers 403 when it is session authentication).
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = TokenAuthentication().authenticate_header(context["request"])
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, exceptions.APIException):
        detail = response.data.get("detail", exc.detail) if isinstance(response.data, dict) else exc.detail
        codes = exc.get_codes()
        response.data = error_body(detail, codes if isinstance(codes, str) else exc.default_code)
    return response


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_error_response(request: HttpRequest, status_code: int) -> JsonResponse:
    """Django's error pages, for API paths: the same JSON shape as every other API error."""
    bodies = {
        400: error_body(_("Bad request."), "bad_request"),
        403: error_body(_("You do not have permission to perform this action."), "permission_denied"),
        404: error_body(_("Not found."), "not_found"),
        500: error_body(_("Server error. It has been logged; please try again later."), "server_error"),
    }
    return JsonResponse(bodies[status_code], status=status_code)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=&offset=` paging with bounds: a page holds at most 200 rows, and no offset reaches past the column
    range (a huge offset is an empty page, not a database error)."""

    max_limit = 200

    def get_offset(self, request):
        return min(super().get_offset(request), INTEGER_MAX)
