from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NpuJobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "npu_jobs"
    verbose_name = _("NPU jobs")

    def ready(self):
        from core.sections import page_section_register
        from npu_jobs import worker  # noqa: F401 - connects the Celery worker signals
        from npu_jobs.sections import home_compute, home_failing_jobs

        page_section_register("hackathon:my_home", template="npu_jobs/_home_panel.html", context=home_compute, order=20)
        page_section_register(
            "hackathon:my_home_attention", template="npu_jobs/_home_attention.html", context=home_failing_jobs, order=40
        )
