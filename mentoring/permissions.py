from hackathon.models import EventRole

Role = EventRole.Role

# Who opens the mentoring pages at all; each page narrows it down.
MENTORING_ROLES = (Role.PARTICIPANT, Role.MENTOR, Role.ORGANIZER)
MENTOR_PAGE_ROLES = (Role.MENTOR, Role.ORGANIZER)
