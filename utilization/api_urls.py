from django.urls import path

from utilization import api

app_name = "utilization_api"

urlpatterns = [
    path("", api.UtilizationFiguresApi.as_view(), name="figures"),
    path("team/", api.TeamUsageApi.as_view(), name="team_usage"),
]
