from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("", views.home, name="home"),
    # the team
    path("team/", views.team_page, name="team"),
    path("team/submit/", views.submit, name="submit"),
    path("team/files/", views.file_upload, name="file_upload"),
    path("team/files/<int:file_id>/remove/", views.file_remove, name="file_remove"),
    path("team/pins/", views.pin_add, name="pin_add"),
    path("team/pins/comparison/<int:comparison_id>/", views.pin_comparison, name="pin_comparison"),
    path("team/pins/<int:pin_id>/remove/", views.pin_remove, name="pin_remove"),
    path("team/versions/<int:number>/", views.version_detail, name="version_detail"),
    # reading
    path("teams/<int:team_id>/", views.submission_view, name="view"),
    path("files/<int:file_id>/", views.file_download, name="file_download"),
    path("gallery/", views.gallery, name="gallery"),
    # organizers (judges read the overview)
    path("manage/", views.overview, name="overview"),
    path("manage/extensions/", views.extension_grant, name="extension_grant"),
    path("manage/settings/", views.settings_update, name="settings_update"),
    path("manage/export.csv", views.export_csv, name="export_csv"),
    path("manage/export.zip", views.export_zip, name="export_zip"),
]
