from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event, Track


class Team(models.Model):
    """A team in one event. Quotas, jobs, mentoring, submissions and scores all hang off this row."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="teams", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="team_name_unique_per_event")]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team"))
    # Copied from the team so the database itself can say "one team per person per event".
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships", verbose_name=_("person")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="teammembership_one_team_per_event")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"
