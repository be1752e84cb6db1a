from django.urls import path

from hackathon import api

urlpatterns = [
    path("", api.EventListApi.as_view(), name="api-event-list"),
]
