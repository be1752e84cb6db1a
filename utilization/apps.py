from django.apps import AppConfig


class UtilizationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "utilization"

    def ready(self) -> None:
        # Connects the sampler to Celery's worker_ready / worker_shutdown signals (a no-op in web processes).
        from core.sections import page_section_register
        from utilization import worker  # noqa: F401
        from utilization.sections import home_stale_workers, team_usage_section

        # The team's own usage, queue waits and failures on its NPU jobs page (npu_jobs does not import us).
        page_section_register("npu_jobs:job_list", template="utilization/_team_usage.html", context=team_usage_section)
        page_section_register(
            "hackathon:my_home_attention",
            template="utilization/_home_attention.html",
            context=home_stale_workers,
            order=30,
        )
