"""Every write to mentoring goes through these functions (see each module's docstring for its locking order)."""

from mentoring.services.booking import (
    booking_cancel,
    booking_create,
    booking_mark_no_show,
    booking_notes_save,
    booking_remind,
)
from mentoring.services.profiles import (
    calendar_token_rotate,
    mentor_invite,
    mentor_profile_update,
    mentor_shift_set,
    mentoring_settings_update,
    team_calendar_create,
)
from mentoring.services.queue import (
    help_request_cancel,
    help_request_claim,
    help_request_claim_time_out,
    help_request_close,
    help_request_expire,
    help_request_raise,
    help_request_rate,
    help_request_release,
)
from mentoring.services.slots import shift_starts, slot_create, slot_delete, slots_create_shift

__all__ = [
    "booking_cancel",
    "booking_create",
    "booking_mark_no_show",
    "booking_notes_save",
    "booking_remind",
    "calendar_token_rotate",
    "help_request_cancel",
    "help_request_claim",
    "help_request_claim_time_out",
    "help_request_close",
    "help_request_expire",
    "help_request_raise",
    "help_request_rate",
    "help_request_release",
    "mentor_invite",
    "mentor_profile_update",
    "mentor_shift_set",
    "mentoring_settings_update",
    "shift_starts",
    "slot_create",
    "slot_delete",
    "slots_create_shift",
    "team_calendar_create",
]
