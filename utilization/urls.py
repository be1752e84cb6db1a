from django.urls import path

from utilization import views

app_name = "utilization"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("live/", views.dashboard_live, name="dashboard_live"),
    path("export.csv", views.figures_csv, name="figures_csv"),
    path("team/", views.team_usage, name="team_usage"),
]
