from django.urls import path

from npu_jobs import views

app_name = "npu_jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("new/", views.job_submit, name="job_submit"),
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("<int:job_id>/log/", views.job_log, name="job_log"),
    path("models/<int:model_id>/download/", views.model_download, name="model_download"),
    path("compute/", views.organizer_overview, name="organizer_overview"),
    path("compute/split/", views.quota_split, name="quota_split"),
    path("compute/teams/<int:team_id>/quota/", views.quota_change, name="quota_change"),
]
