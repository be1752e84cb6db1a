from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core import views as core_views
from hackathon import api as hackathon_api
from hackathon import views as hackathon_views

# Every event-scoped page lives under /e/<event_slug>/; each app owns one prefix.
event_patterns = [
    path("", include("hackathon.urls")),
    path("apply/", include("applications.urls")),
    path("teams/", include("teams.urls")),
    path("jobs/", include("npu_jobs.urls")),
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
    path("mentoring/", include("mentoring.api_urls")),
    path("judging/", include("judging.api_urls")),
]

urlpatterns = [
    path("", hackathon_views.home, name="home"),
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
    path("design/", core_views.design_system, name="design_system"),
    path("admin/", admin.site.urls),
]
