"""What every API answers the same way.

Errors:
- A broken business rule (a full team, a closed round) is a DomainError: 400 with {"detail", "code", "field"?}.
- A role check that fails is 403; a page or object the caller may not know about is 404 (see below).

Unknown or foreign ids, in the URL or in the request body, answer 404 Not Found. An id that names nothing, or
names a row of another event, another team or anything the caller may not see, gets the same 404 as a missing
one, so that ids reveal nothing. API views resolve every id they receive with a queryset scoped to the URL's event
(and to the caller) -- `get_object_or_404(...)` -- before they call a service; a service never answers 500 for an
id it cannot find. Once every id is found, what the service refuses is a 400 with the DomainError's field.
(A scanned check-in code is not an id but something a person typed: an unknown one is a 400 the scanner shows.)
"""

from django.core.exceptions import PermissionDenied
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError


def exception_handler(exc, context):
    """DRF handler that turns a DomainError into a 400 with a readable message."""
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
