"""The project's URLs plus one API view that fails, to show a server error under /api/ answers JSON."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/v1/test-failure/", failing_view), *urlpatterns]
