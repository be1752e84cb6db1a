from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core import views as core_views
from hackathon import api as hackathon_api
from hackathon import views as hackathon_views
from utilization import metrics as utilization_metrics

# Every event-scoped page lives under /e/<event_slug>/; each app owns one prefix.
event_patterns = [
    path("", include("hackathon.urls")),
    path("apply/", include("applications.urls")),
    path("teams/", include("teams.urls")),
    path("jobs/", include("npu_jobs.urls")),
    path("utilization/", include("utilization.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("submissions/", include("submissions.urls")),
    path("judging/", include("judging.urls")),
    path("results/", include("judging.results_urls")),
]

# The API mirrors the pages: /api/v1/events/<event_slug>/<app>/...
event_api_patterns = [
    path("", include("hackathon.api_urls")),
    path("applications/", include("applications.api_urls")),
    path("teams/", include("teams.api_urls")),
    path("jobs/", include("npu_jobs.api_urls")),
    path("utilization/", include("utilization.api_urls")),
    path("mentoring/", include("mentoring.api_urls")),
    path("submissions/", include("submissions.api_urls")),
    path("judging/", include("judging.api_urls")),
]

# The admin's log-in is allauth's, with its rate limits (the admin's own form has none): an anonymous visitor of
# /admin/login/ is sent to /accounts/login/, and a signed-in staff member goes on to the admin.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", hackathon_views.home, name="home"),
    path("events/", hackathon_views.event_list, name="event_list"),
    path("events/new/", hackathon_views.event_create, name="event_create"),
    path("e/<slug:event_slug>/", include(event_patterns)),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/me/", hackathon_api.MeApi.as_view(), name="api-me"),
    path("api/v1/events/", include("hackathon.api_event_list_urls")),
    path("api/v1/events/<slug:event_slug>/", include(event_api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("healthz", hackathon_views.healthz, name="healthz"),
    path("metrics", utilization_metrics.metrics_view, name="metrics"),
    path("design/", core_views.design_system, name="design_system"),
    path("admin/", admin.site.urls),
]

# Under /api/ these answer JSON ({"detail", "code", "field"}), never an HTML page.
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
