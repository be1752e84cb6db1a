from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

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
