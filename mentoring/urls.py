from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    # teams
    path("team/", views.team_home, name="team_home"),
    path("team/live/", views.team_live, name="team_live"),
    path("team/calendar/", views.team_calendar_create, name="team_calendar_create"),
    path("slots/<int:slot_id>/book/", views.booking_create, name="booking_create"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("help/new/", views.help_request_raise, name="help_request_raise"),
    path("help/<int:request_id>/cancel/", views.help_request_cancel, name="help_request_cancel"),
    path("help/<int:request_id>/rate/", views.help_request_rate, name="help_request_rate"),
    # mentors
    path("mentor/", views.mentor_day, name="mentor_day"),
    path("mentor/profile/", views.mentor_profile_edit, name="mentor_profile"),
    path("mentor/shift/", views.mentor_shift, name="mentor_shift"),
    path("slots/", views.slots_manage, name="slots"),
    path("slots/<int:slot_id>/delete/", views.slot_delete, name="slot_delete"),
    path("bookings/<int:booking_id>/notes/", views.booking_notes, name="booking_notes"),
    path("bookings/<int:booking_id>/no-show/", views.booking_no_show, name="booking_no_show"),
    path("queue/", views.queue, name="queue"),
    path("queue/live/", views.queue_live, name="queue_live"),
    path("help/<int:request_id>/claim/", views.help_request_claim, name="help_request_claim"),
    path("help/<int:request_id>/close/", views.help_request_close, name="help_request_close"),
    path("help/<int:request_id>/release/", views.help_request_release, name="help_request_release"),
    # organizers
    path("manage/", views.overview, name="overview"),
    path("manage/mentors/", views.mentor_invite, name="mentor_invite"),
    path("manage/settings/", views.settings_update, name="settings_update"),
    # private calendar feeds (the token is the key)
    path("calendar/mentor/<str:token>.ics", views.calendar_mentor, name="calendar_mentor"),
    path("calendar/team/<str:token>.ics", views.calendar_team, name="calendar_team"),
]
