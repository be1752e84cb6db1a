from django.urls import path

from mentoring import api

app_name = "mentoring_api"

urlpatterns = [
    path("mentors/", api.MentorProfileListApi.as_view(), name="mentor_list"),
    path("slots/", api.SlotListApi.as_view(), name="slot_list"),
    path("slots/create/", api.SlotCreateApi.as_view(), name="slot_create"),
    path("bookings/", api.BookingListApi.as_view(), name="booking_list"),
    path("bookings/create/", api.BookingCreateApi.as_view(), name="booking_create"),
    path("bookings/<int:booking_id>/cancel/", api.BookingCancelApi.as_view(), name="booking_cancel"),
    path("help-requests/", api.HelpRequestListApi.as_view(), name="help_request_list"),
    path("help-requests/raise/", api.HelpRequestRaiseApi.as_view(), name="help_request_raise"),
    path("help-requests/status/", api.QueueStatusApi.as_view(), name="queue_status"),
    path("help-requests/<int:request_id>/claim/", api.HelpRequestClaimApi.as_view(), name="help_request_claim"),
    path("help-requests/<int:request_id>/close/", api.HelpRequestCloseApi.as_view(), name="help_request_close"),
    path("help-requests/<int:request_id>/release/", api.HelpRequestReleaseApi.as_view(), name="help_request_release"),
    path("help-requests/<int:request_id>/rate/", api.HelpRequestRateApi.as_view(), name="help_request_rate"),
]
