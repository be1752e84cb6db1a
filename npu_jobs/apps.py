from django.apps import AppConfig


class NpuJobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "npu_jobs"
