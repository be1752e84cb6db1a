"""Every write to teams goes through these functions (see the module docstrings for the locking order)."""

from teams.services.matching import MatchOutcome, team_auto_match
from teams.services.membership import (
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_decline,
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
    team_create,
    team_disband,
    team_leader_transfer,
    team_member_leave,
    team_member_move,
    team_pitch_update,
)
from teams.services.rounds import team_round_extend, team_round_lock, team_round_rules_update

__all__ = [
    "MatchOutcome",
    "invitation_accept",
    "invitation_cancel",
    "invitation_create",
    "invitation_decline",
    "join_request_accept",
    "join_request_create",
    "join_request_decline",
    "join_request_withdraw",
    "team_auto_match",
    "team_create",
    "team_disband",
    "team_leader_transfer",
    "team_member_leave",
    "team_member_move",
    "team_pitch_update",
    "team_round_extend",
    "team_round_lock",
    "team_round_rules_update",
]
