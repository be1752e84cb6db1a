from django.apps import AppConfig


class JudgingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "judging"

    def ready(self) -> None:
        from core.sections import page_section_register
        from judging.sections import event_criteria

        page_section_register("hackathon:event_home", template="judging/_event_criteria.html", context=event_criteria)
