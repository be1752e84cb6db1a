from django.urls import path

from hackathon import views

app_name = "hackathon"

urlpatterns = [
    path("", views.event_home, name="event_home"),
    path("me/", views.my_home, name="my_home"),
    path("phase/", views.event_countdown, name="event_countdown"),
    path("manage/", views.event_manage, name="event_manage"),
    path("people/", views.event_people, name="event_people"),
    path("people/<int:role_id>/revoke/", views.event_role_revoke, name="event_role_revoke"),
]
