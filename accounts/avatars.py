"""Sending an avatar image: only after the caller has checked that the viewer may see it."""

from django.http import FileResponse, Http404

from accounts.models import User
from accounts.selectors import avatar_file


def avatar_response(user: User) -> FileResponse:
    path = avatar_file(user)
    if path is None:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/webp")  # noqa: SIM115 -- FileResponse closes it
    # Private: the URL carries the file's version, so a browser may keep it, but no shared cache may.
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
