from django.urls import path

from npu_jobs import api, api_quantization

app_name = "npu_jobs_api"

urlpatterns = [
    path("", api.JobListApi.as_view(), name="job_list"),
    path("submit/", api.JobSubmitApi.as_view(), name="job_submit"),
    path("compare/", api.JobCompareApi.as_view(), name="job_compare"),
    path("compare/<int:comparison_id>/", api.JobComparisonDetailApi.as_view(), name="comparison_detail"),
    path("<int:job_id>/", api.JobDetailApi.as_view(), name="job_detail"),
    path("<int:job_id>/cancel/", api.JobCancelApi.as_view(), name="job_cancel"),
    path("<int:job_id>/log/", api.JobLogApi.as_view(), name="job_log"),
    path("models/", api.ModelListApi.as_view(), name="model_list"),
    path("models/upload/", api.ModelUploadApi.as_view(), name="model_upload"),
    path("models/<int:model_id>/download/", api.ModelDownloadApi.as_view(), name="model_download"),
    path("quantizations/", api_quantization.QuantizationListApi.as_view(), name="quantization_list"),
    path("quantizations/request/", api_quantization.QuantizationRequestApi.as_view(), name="quantization_request"),
    path(
        "quantizations/<int:quantization_id>/",
        api_quantization.QuantizationDetailApi.as_view(),
        name="quantization_detail",
    ),
    path(
        "quantizations/<int:quantization_id>/cancel/",
        api_quantization.QuantizationCancelApi.as_view(),
        name="quantization_cancel",
    ),
    path("quota/", api.QuotaApi.as_view(), name="quota"),
    path("quotas/", api.QuotaListApi.as_view(), name="quota_list"),
    path("quotas/split/", api.QuotaSplitApi.as_view(), name="quota_split"),
    path("quotas/<int:team_id>/", api.QuotaChangeApi.as_view(), name="quota_change"),
    path("workers/", api.WorkerListApi.as_view(), name="worker_list"),
    path("pools/", api.ResourcePoolListApi.as_view(), name="pool_list"),
    path("pools/create/", api.ResourcePoolCreateApi.as_view(), name="pool_create"),
    path("pools/<int:pool_id>/", api.ResourcePoolUpdateApi.as_view(), name="pool_update"),
    path("cloud/", api.CloudResourceListApi.as_view(), name="cloud_resource_list"),
    path("cloud/create/", api.CloudResourceCreateApi.as_view(), name="cloud_resource_create"),
    path("cloud/<int:resource_id>/", api.CloudResourceUpdateApi.as_view(), name="cloud_resource_update"),
    path("cloud/<int:resource_id>/delete/", api.CloudResourceDeleteApi.as_view(), name="cloud_resource_delete"),
]
