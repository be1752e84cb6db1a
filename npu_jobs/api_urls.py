from django.urls import path  # noqa: F401

app_name = "npu_jobs_api"

urlpatterns: list = []
