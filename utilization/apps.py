from django.apps import AppConfig


class UtilizationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "utilization"

    def ready(self) -> None:
        # Connects the sampler to Celery's worker_ready / worker_shutdown signals (a no-op in web processes).
        from utilization import worker  # noqa: F401
