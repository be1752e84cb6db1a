from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.forms import ProfileForm
from core.sections import page_sections


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial={"name": request.user.name})
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/profile.html",
        # What other apps show here (hackathon: your roles in every event), see core.sections.
        {"form": form, "token": token, "sections": page_sections("accounts:profile", request=request)},
    )


@login_required
@require_POST
def api_token_rotate(request):
    services.api_token_rotate(user=request.user)
    messages.success(request, _("A new API token was created. The old one no longer works."))
    return redirect("accounts:profile")
