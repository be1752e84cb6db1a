"""Every write to judging goes through these functions.

Lock order, everywhere:
1. the event's JudgingSettings row: FOR UPDATE for the window, criteria, settings, conflicts, assignments and awards;
   FOR SHARE for scoring, so closing judging waits for saves in flight, and a save that starts after the close sees
   it closed;
2. the Assignment row (judge × team): serializes one judge's saves of one team; the unique constraint
   score_one_per_judge_team_criterion is the last defence against a second row;
3. the Score rows.
"""

from judging.services.assignments import assignments_rebuild, judge_drop
from judging.services.awards import award_override, awards_confirm, results_publish
from judging.services.conflicts import conflict_clear, conflict_declare, conflict_record, conflicts_detect
from judging.services.locks import criteria_ensure
from judging.services.scoring import score_save, scores_submit, scores_withdraw
from judging.services.setup import (
    award_category_update,
    criterion_create,
    criterion_delete,
    criterion_update,
    judging_close,
    judging_open,
    judging_settings_update,
)

__all__ = [
    "assignments_rebuild",
    "award_category_update",
    "award_override",
    "awards_confirm",
    "conflict_clear",
    "conflict_declare",
    "conflict_record",
    "conflicts_detect",
    "criteria_ensure",
    "criterion_create",
    "criterion_delete",
    "criterion_update",
    "judge_drop",
    "judging_close",
    "judging_open",
    "judging_settings_update",
    "results_publish",
    "score_save",
    "scores_submit",
    "scores_withdraw",
]
