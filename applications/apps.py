from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"

    def ready(self) -> None:
        from applications.sections import event_home_cta
        from core.sections import page_section_register

        # The landing page's call to action for someone who already applied (hackathon does not import us).
        page_section_register(
            "hackathon:event_home.cta", template="applications/_event_cta.html", context=event_home_cta
        )
