"""Running a service from a POST on an HTML page, the same way everywhere."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.exceptions import DomainError


def post_action(
    request: HttpRequest, call: Callable[[], Any], success: str, target: str, **url_kwargs: Any
) -> HttpResponse:
    """Call the service: a DomainError becomes an error message, a refused permission a 404 (outsiders learn
    nothing), success a success message; then go back to `target` (a URL name with its kwargs)."""
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    except PermissionDenied as error:
        raise Http404 from error
    else:
        messages.success(request, success)
    return redirect(target, **url_kwargs)
