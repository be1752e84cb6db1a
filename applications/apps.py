from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"

    def ready(self) -> None:
        from applications.sections import event_home_cta, home_application, home_screening
        from applications.selectors import event_ids_applied_to
        from core.sections import page_section_register, person_events_register

        # The landing page's call to action for someone who already applied (hackathon does not import us).
        page_section_register(
            "hackathon:event_home.cta", template="applications/_event_cta.html", context=event_home_cta
        )
        # The person's home: an applicant lands on the event they applied to, and sees where their application is.
        person_events_register("applications", event_ids_applied_to)
        page_section_register(
            "hackathon:my_home", template="applications/_home_panel.html", context=home_application, order=90
        )
        page_section_register(
            "hackathon:my_home_attention", template="applications/_home_attention.html", context=home_screening
        )
