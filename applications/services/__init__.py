"""Every write about applications, split by subject. Import from here: `from applications import services`."""

from applications.services.applying import application_submit, application_update, application_withdraw
from applications.services.checkin import checkin_record, checkin_token_parse
from applications.services.places import selection_settings_ensure
from applications.services.reviews import review_save
from applications.services.rsvp import application_rsvp, offers_expire, waitlist_promote
from applications.services.selection import (
    selection_adjust,
    selection_decisions_send,
    selection_propose,
    selection_settings_update,
)

__all__ = [
    "application_rsvp",
    "application_submit",
    "application_update",
    "application_withdraw",
    "checkin_record",
    "checkin_token_parse",
    "offers_expire",
    "review_save",
    "selection_adjust",
    "selection_decisions_send",
    "selection_propose",
    "selection_settings_ensure",
    "selection_settings_update",
    "waitlist_promote",
]
