from django.apps import AppConfig


class MentoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentoring"

    def ready(self) -> None:
        from core.sections import page_section_register
        from mentoring.sections import home_help_waiting, home_mentor, home_team_mentoring

        page_section_register("hackathon:my_home", template="mentoring/_home_mentor.html", context=home_mentor, order=5)
        page_section_register(
            "hackathon:my_home", template="mentoring/_home_team.html", context=home_team_mentoring, order=40
        )
        page_section_register(
            "hackathon:my_home_attention",
            template="mentoring/_home_attention.html",
            context=home_help_waiting,
            order=60,
        )
