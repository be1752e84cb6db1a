from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("status/", views.status, name="status"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("rsvp/", views.rsvp, name="rsvp"),
    path("screening/", views.screening, name="screening"),
    path("screening/export.csv", views.screening_export, name="screening_export"),
    path("screening/progress/", views.reviewer_progress, name="reviewer_progress"),
    path("screening/<int:application_id>/", views.application_review, name="application_review"),
    path("selection/", views.selection, name="selection"),
    path("selection/propose/", views.selection_propose, name="selection_propose"),
    path("selection/send/", views.selection_send, name="selection_send"),
    path("selection/promote/<str:track>/", views.waitlist_promote, name="waitlist_promote"),
    path("selection/<int:application_id>/decision/", views.selection_adjust, name="selection_adjust"),
    path("checkin/", views.checkin, name="checkin"),
    path("checkin/counts/", views.checkin_counts, name="checkin_counts"),
]
