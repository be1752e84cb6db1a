from django.apps import AppConfig


class JudgingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "judging"

    def ready(self) -> None:
        from core.sections import page_section_register
        from judging.sections import event_criteria, home_judge, home_judging_left

        page_section_register("hackathon:event_home", template="judging/_event_criteria.html", context=event_criteria)
        page_section_register("hackathon:my_home", template="judging/_home_panel.html", context=home_judge, order=6)
        page_section_register(
            "hackathon:my_home_attention", template="judging/_home_attention.html", context=home_judging_left, order=70
        )
