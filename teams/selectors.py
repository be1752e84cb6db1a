from teams.models import Team, TeamMembership


def team_of_user(*, user, event) -> Team | None:
    """The person's team in this event, or None."""
    if not user.is_authenticated:
        return None
    membership = TeamMembership.objects.select_related("team").filter(event=event, user=user).first()
    return membership.team if membership else None
