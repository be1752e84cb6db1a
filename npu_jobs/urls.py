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
    path("models/<int:model_id>/delete/", views.model_delete, name="model_delete"),
    path("compare/<int:comparison_id>/", views.comparison_detail, name="comparison_detail"),
    path("quantize/", views.quantization_request, name="quantization_request"),
    path("quantize/<int:quantization_id>/", views.quantization_detail, name="quantization_detail"),
    path("quantize/<int:quantization_id>/cancel/", views.quantization_cancel, name="quantization_cancel"),
    path("compute/", views.organizer_overview, name="organizer_overview"),
    path("compute/split/", views.quota_split, name="quota_split"),
    path("compute/teams/<int:team_id>/quota/", views.quota_change, name="quota_change"),
    path("compute/resources/", views.resources, name="resources"),
    path("compute/resources/pools/new/", views.pool_create, name="pool_create"),
    path("compute/resources/pools/<int:pool_id>/", views.pool_edit, name="pool_edit"),
    path("compute/resources/cloud/new/", views.cloud_resource_create, name="cloud_resource_create"),
    path("compute/resources/cloud/<int:resource_id>/", views.cloud_resource_edit, name="cloud_resource_edit"),
    path(
        "compute/resources/cloud/<int:resource_id>/assign/", views.cloud_resource_assign, name="cloud_resource_assign"
    ),
    path(
        "compute/resources/cloud/<int:resource_id>/delete/", views.cloud_resource_delete, name="cloud_resource_delete"
    ),
]
