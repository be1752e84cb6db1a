from django.urls import path

from applications import api

app_name = "applications_api"

urlpatterns = [
    path("mine/", api.MyApplicationDetailApi.as_view(), name="mine"),
    path("mine/submit/", api.ApplicationSubmitApi.as_view(), name="submit"),
    path("mine/update/", api.ApplicationUpdateApi.as_view(), name="update"),
    path("mine/withdraw/", api.ApplicationWithdrawApi.as_view(), name="withdraw"),
    path("mine/rsvp/", api.ApplicationRsvpApi.as_view(), name="rsvp"),
    path("screening/", api.ScreeningListApi.as_view(), name="screening"),
    path("screening/<int:application_id>/", api.ApplicationReviewDetailApi.as_view(), name="review_detail"),
    path("screening/<int:application_id>/review/", api.ReviewSaveApi.as_view(), name="review_save"),
    path("selection/", api.SelectionBoardApi.as_view(), name="selection"),
    path("selection/settings/", api.SelectionSettingsUpdateApi.as_view(), name="selection_settings"),
    path("selection/propose/", api.SelectionProposeApi.as_view(), name="selection_propose"),
    path("selection/send/", api.SelectionSendApi.as_view(), name="selection_send"),
    path("selection/<int:application_id>/decision/", api.SelectionAdjustApi.as_view(), name="selection_adjust"),
    path("checkin/", api.CheckinApi.as_view(), name="checkin"),
]
