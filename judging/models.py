from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    """The five judging criteria of the model event. Scores (next on the roadmap) are per team, judge and criterion;
    economics reads each team's measured NPU jobs (npu_jobs: cost, throughput, cost per 1,000 inferences)."""

    PLANNING = "planning", _("Planning: clarity of tasks, a tight schedule")
    CREATIVITY = "creativity", _("Creativity")
    TECHNICAL = "technical", _("Technical expertise")
    COMPLETENESS = "completeness", _("Completeness: technical and aesthetic")
    ECONOMICS = "economics", _("Economics: output value and cost saving")
