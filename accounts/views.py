from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.avatars import avatar_response
from accounts.forms import ProfileForm
from accounts.selectors import ProfileDetail, profile_card
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from core.sections import page_sections


def _profile_initial(user) -> dict:
    return {
        "name": user.name,
        "skills": ", ".join(user.skills or []),
        "github_username": user.github_username,
        "contact": user.contact,
        "show_email_to_team": user.show_email_to_team,
    }


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, initial=_profile_initial(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The image first: if it is refused, nothing of the form is saved and the person fixes one thing.
            if data["avatar"]:
                services.user_avatar_set(user=user, upload=data["avatar"])
            elif data["remove_avatar"]:
                services.user_avatar_remove(user=user)
            services.user_profile_update(
                user=user,
                name=data["name"],
                skills=data["skills"],
                github_username=data["github_username"],
                contact=data["contact"],
                show_email_to_team=data["show_email_to_team"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    token = Token.objects.filter(user=user).first()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "token": token,
            "card": profile_card(user, detail=ProfileDetail.CONTACT),
            # What other apps show here (hackathon: your roles in every event), see core.sections.
            "sections": page_sections("accounts:profile", request=request),
        },
    )


@login_required
@require_GET
def own_avatar(request):
    """The signed-in person's own avatar (the profile page's preview). Others' avatars are served by the pages
    that decide who sees them (teams: a team's members)."""
    return avatar_response(request.user)


@login_required
@require_POST
def api_token_rotate(request):
    services.api_token_rotate(user=request.user)
    messages.success(request, _("A new API token was created. The old one no longer works."))
    return redirect("accounts:profile")
