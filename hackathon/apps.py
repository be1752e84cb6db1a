from django.apps import AppConfig


class HackathonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hackathon"

    def ready(self) -> None:
        from core.sections import page_section_register
        from hackathon.sections import profile_roles

        page_section_register("accounts:profile", template="hackathon/_profile_roles.html", context=profile_roles)
