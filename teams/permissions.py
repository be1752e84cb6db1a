from hackathon.models import EventRole

Role = EventRole.Role

# Who sees the board: everyone with a part in the event's hacking.
BOARD_ROLES = (Role.PARTICIPANT, Role.ORGANIZER, Role.MENTOR, Role.JUDGE)


def is_team_member(user, team) -> bool:
    return user.is_authenticated and any(m.user_id == user.pk for m in team.memberships.all())


def is_team_leader(user, team) -> bool:
    return user.is_authenticated and team.leader_id == user.pk
