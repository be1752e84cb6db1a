"""Awards: the proposal from the ranking, confirmed or overridden by an organizer with a reason, then published.
Settings row locked first, then the award rows. Every decision is audited with the old and the new team."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import check_organizer
from hackathon.services import audit_record
from judging import selectors
from judging.models import Award, AwardCategory, JudgingSettings
from judging.services.locks import criteria_ensure


def _check_closed_unpublished(settings: JudgingSettings) -> None:
    if not settings.is_closed:
        raise DomainError(_("Close judging first: awards are decided on the final scores."), code="not_closed")
    if settings.results_published_at is not None:
        raise DomainError(_("The results are published: awards can no longer change."), code="published")


@transaction.atomic
def awards_confirm(*, event: Event, confirmed_by: User | None) -> list[Award]:
    """Store the proposal (the ranking by the chosen method) as the awards, replacing any earlier decision."""
    check_organizer(confirmed_by, event, allow_system=True)
    settings = criteria_ensure(event)
    _check_closed_unpublished(settings)
    ranking = selectors.ranking_of_event(event=event, method=settings.method, cached=False)
    proposal = selectors.award_proposal(event=event, ranking=ranking)
    if not proposal:
        raise DomainError(_("No team has submitted scores yet: there is nothing to award."), code="empty")
    Award.objects.filter(event=event).delete()
    awards = Award.objects.bulk_create(
        [
            Award(
                event=event,
                category=row["category"],
                place=row["place"],
                team_id=row["team_id"],
                proposed_team_id=row["team_id"],
                decided_by=confirmed_by,
            )
            for row in proposal
        ]
    )
    audit_record(
        event=event,
        actor=confirmed_by,
        action="judging.awards_confirm",
        target=settings,
        method=settings.method,
        awards=[[row["category"].key, row["place"], row["team_name"]] for row in proposal],
    )
    return awards


@transaction.atomic
def award_override(*, event: Event, award_id: int, team_id: int, reason: str, overridden_by: User) -> Award:
    """Give a place to another team than the proposal, with a reason. A team holds one award: to move a winner,
    override its place first."""
    check_organizer(overridden_by, event)
    settings = criteria_ensure(event)
    _check_closed_unpublished(settings)
    award = (
        Award.objects.select_for_update().select_related("team", "category").filter(event=event, pk=award_id).first()
    )
    if award is None:
        raise DomainError(_("This award no longer exists."))
    if not reason.strip():
        raise DomainError(_("Say why you override the ranking."), field="reason")
    team = selectors.candidate_teams(event).filter(pk=team_id).first()
    if team is None:
        raise DomainError(_("This team is not judged in this event."), field="team")
    if team.pk == award.team_id:
        raise DomainError(_("This team already holds this place."), field="team")
    holder = Award.objects.filter(event=event, team=team).select_related("category").first()
    if holder is not None:
        raise DomainError(
            _("%(team)s already wins %(award)s. Give that place to another team first.")
            % {"team": team.name, "award": holder.category.name},
            field="team",
            code="already_awarded",
        )
    old_team = award.team
    award.team, award.overridden, award.reason, award.decided_by = team, True, reason.strip(), overridden_by
    award.save(update_fields=["team", "overridden", "reason", "decided_by", "decided_at"])
    audit_record(
        event=event,
        actor=overridden_by,
        action="judging.award_override",
        target=award,
        category=award.category.key,
        place=award.place,
        old_team=old_team.name,
        new_team=team.name,
        reason=award.reason,
    )
    return award


@transaction.atomic
def results_publish(*, event: Event, published_by: User | None) -> JudgingSettings:
    check_organizer(published_by, event, allow_system=True)
    settings = criteria_ensure(event)
    _check_closed_unpublished(settings)
    if not Award.objects.filter(event=event).exists():
        raise DomainError(_("Confirm the awards before you publish."), code="no_awards")
    expected = sum(AwardCategory.objects.filter(event=event).values_list("count", flat=True))
    given = Award.objects.filter(event=event).count()
    settings.results_published_at = timezone.now()
    settings.save(update_fields=["results_published_at", "updated_at"])
    audit_record(
        event=event,
        actor=published_by,
        action="judging.results_publish",
        target=settings,
        awards=given,
        places=expected,
    )
    return settings
