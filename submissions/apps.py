from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "submissions"

    def ready(self) -> None:
        from core.sections import page_section_register
        from submissions.sections import (
            home_missing_submissions,
            home_submission,
            job_next_step,
            judging_result,
            judging_team,
        )

        page_section_register("judging.team", template="submissions/_judging_team.html", context=judging_team)
        page_section_register("npu_jobs:job_detail", template="submissions/_job_next_step.html", context=job_next_step)
        page_section_register("judging.result", template="submissions/_judging_result.html", context=judging_result)
        page_section_register(
            "hackathon:my_home", template="submissions/_home_panel.html", context=home_submission, order=30
        )
        page_section_register(
            "hackathon:my_home_attention",
            template="submissions/_home_attention.html",
            context=home_missing_submissions,
            order=50,
        )
