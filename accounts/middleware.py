from django.contrib.auth import get_user_model
from django.utils import translation


class RememberLanguageMiddleware:
    """Store the language a signed-in person uses the site in (after LocaleMiddleware chose it), so emails sent
        later, from a beat task or by someone else's action, are written in it. Writes only when it changes, and only on
    a page that was shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        language = translation.get_language_from_request(request) if user is not None else None
        # Only on a page that was shown: a refused or mutating request changes nothing it was not asked to.
        shown = request.method == "GET" and response.status_code < 400
        if shown and user is not None and user.is_authenticated and language and user.language != language:
            get_user_model().objects.filter(pk=user.pk).update(language=language)
            user.language = language
        return response
