"""The public results page lives at /e/<event>/results/, outside judging's own prefix."""

from django.urls import path

from judging import views

app_name = "judging_results"

urlpatterns = [path("", views.results, name="results")]
