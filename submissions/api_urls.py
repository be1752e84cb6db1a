from django.urls import path

from submissions import api

app_name = "submissions_api"

urlpatterns = [
    path("", api.SubmissionApi.as_view(), name="submission"),
    path("save/", api.SubmissionSaveApi.as_view(), name="save"),
    path("submit/", api.SubmissionSubmitApi.as_view(), name="submit"),
    path("versions/", api.VersionListApi.as_view(), name="version_list"),
    path("files/", api.FileListApi.as_view(), name="file_list"),
    path("files/upload/", api.FileUploadApi.as_view(), name="file_upload"),
    path("files/<int:file_id>/remove/", api.FileRemoveApi.as_view(), name="file_remove"),
    path("pins/", api.PinListApi.as_view(), name="pin_list"),
    path("pins/ratios/", api.PinRatiosApi.as_view(), name="pin_ratios"),
    path("pins/add/", api.PinAddApi.as_view(), name="pin_add"),
    path("pins/<int:pin_id>/remove/", api.PinRemoveApi.as_view(), name="pin_remove"),
]
