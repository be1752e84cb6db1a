from functools import wraps

from django.contrib.auth.views import redirect_to_login

from hackathon.permissions import check_event_role
from hackathon.selectors import event_get_visible


def event_page(*roles: str, login_required: bool = True):
    """Load the URL's event for an HTML view, check the caller's role in it, and pass it on.

    The view is called as view(request, event, **kwargs). Missing or forbidden events are 404.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, event_slug, *args, **kwargs):
            if (login_required or roles) and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            event = event_get_visible(user=request.user, slug=event_slug)
            if roles:
                check_event_role(request.user, event, *roles)
            request.event = event
            return view(request, event, *args, **kwargs)

        return wrapper

    return decorator
