from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NpuJobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "npu_jobs"
    verbose_name = _("NPU jobs")

    def ready(self):
        from npu_jobs import worker  # noqa: F401 - connects the Celery worker signals
