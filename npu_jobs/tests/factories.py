import factory

from accounts.tests.factories import UserFactory
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory
from teams.models import Team, TeamMembership


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    leader = None


def team_member_add(team, user=None, *, track="ai"):
    """A participant of the team's event who is a member of the team."""
    user = user or UserFactory()
    EventRole.objects.get_or_create(
        event=team.event, user=user, role=EventRole.Role.PARTICIPANT, defaults={"track": track}
    )
    TeamMembership.objects.create(team=team, event=team.event, user=user, track=track)
    return user
