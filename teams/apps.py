from django.apps import AppConfig


class TeamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "teams"

    def ready(self) -> None:
        from core.sections import page_section_register
        from teams.sections import home_team, home_unassigned

        page_section_register("hackathon:my_home", template="teams/_home_panel.html", context=home_team, order=10)
        page_section_register(
            "hackathon:my_home_attention", template="teams/_home_attention.html", context=home_unassigned, order=20
        )
