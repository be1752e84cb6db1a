"""Who may do what with applications. Reviewers are people with the reviewer or organizer role in the event."""

from hackathon.models import Event, EventRole
from hackathon.permissions import roles_in_event

Role = EventRole.Role
REVIEWER_ROLES = (Role.REVIEWER, Role.ORGANIZER)


def is_reviewer(user, event: Event) -> bool:
    return bool(roles_in_event(user, event) & set(REVIEWER_ROLES))
