from django.urls import path

from hackathon import api

app_name = "hackathon_api"

urlpatterns = [
    path("", api.EventDetailApi.as_view(), name="event_detail"),
    path("roles/", api.EventRoleListApi.as_view(), name="event_roles"),
]
