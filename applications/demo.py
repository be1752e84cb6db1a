"""Demo funnel for the model event: 1,000 applications, three blind reviews each, 40 confirmed finalists,
a ranked waitlist of 15 per track and the rest not selected. Bulk inserts only; a second run changes nothing."""

from datetime import timedelta

from applications.models import Application, Review, SelectionSettings, TrackPlaces
from hackathon.demo import DEMO_PASSWORD, DemoContext
from hackathon.models import EventRole, Track

REVIEWS_PER_APPLICATION = 3
WAITLIST_LENGTH = 15
WITHDRAWN_SHARE = 0.01
SKILLS = {
    Track.PM: ["Product discovery", "Roadmaps", "User research", "Figma", "SQL", "Jira", "Pitching"],
    Track.FRONTEND: ["React", "TypeScript", "Next.js", "Vue", "WebGL", "Tailwind", "Accessibility"],
    Track.BACKEND: ["Python", "Django", "FastAPI", "Go", "PostgreSQL", "Kubernetes", "gRPC"],
    Track.AI: ["PyTorch", "ONNX", "YOLO", "Quantization", "TensorRT", "OpenCV", "NPU SDK"],
}


def _finalist_scores(rank: int) -> list[int]:
    """Finalists outrank everyone else (means 5.0 / 4.67 / 4.33; others top out at 4.0)."""
    return [5, 5, 5] if rank < 3 else [5, 5, 4] if rank < 7 else [5, 4, 4]


def seed(ctx: DemoContext) -> None:
    event = ctx.event
    rng = ctx.random
    reviewers = [ctx.organizer, *ctx.judges]
    existing_roles = set(
        EventRole.objects.filter(event=event, role=EventRole.Role.REVIEWER).values_list("user_id", flat=True)
    )
    EventRole.objects.bulk_create(
        [EventRole(event=event, user=u, role=EventRole.Role.REVIEWER) for u in ctx.judges if u.pk not in existing_roles]
    )
    SelectionSettings.objects.get_or_create(
        event=event,
        defaults={
            "rsvp_deadline": event.screening_ends_at + timedelta(days=3),
            "waitlist_length": WAITLIST_LENGTH,
            "decisions_sent_at": event.screening_ends_at,
        },
    )
    TrackPlaces.objects.bulk_create([TrackPlaces(event=event, track=t) for t in Track.values], ignore_conflicts=True)
    ctx.logins.append(("application reviewer", ctx.judges[0].email))
    ctx.notes.append(
        f"Screening and selection: /e/{event.slug}/apply/screening/ (organizer or judges, who are reviewers); "
        f"apply to the open event at /e/{ctx.next_event.slug}/apply/"
    )
    if Application.objects.filter(event=event).exists():
        _applicant_login(ctx, event)
        return

    finalist_rank = {user.pk: rank for users in ctx.finalists.values() for rank, user in enumerate(users)}
    window = event.applications_close_at - event.applications_open_at
    applications = []
    scores: dict[int, list[int]] = {}
    for user, track in ctx.applicants:
        rank = finalist_rank.get(user.pk)
        trained = rng.random() < (0.9 if rank is not None else 0.35)
        application = Application(
            event=event,
            user=user,
            track=track,
            experience=rng.choice(Application.Experience.values),
            skills=", ".join(rng.sample(SKILLS[Track(track)], 3)),
            portfolio_url=f"https://github.com/{user.email.split('@')[0]}",
            motivation="NPU 위에서 실시간 비전 AI 서비스를 만들어 보고 싶습니다. I want to ship a real-time vision service on an NPU.",
            sdk_training_completed=trained,
            sdk_training_completed_on=(event.applications_open_at - timedelta(days=rng.randint(1, 60))).date()
            if trained
            else None,
            privacy_consent_at=event.applications_open_at + window * rng.random(),
        )
        if rank is not None:
            scores[user.pk] = _finalist_scores(rank)
        elif rng.random() < WITHDRAWN_SHARE:
            application.status = Application.Status.WITHDRAWN
        else:
            scores[user.pk] = [
                rng.choices([1, 2, 3, 4], weights=[1, 3, 4, 2])[0] for _ in range(REVIEWS_PER_APPLICATION)
            ]
        applications.append(application)
    Application.objects.bulk_create(applications, batch_size=500)
    applications = list(Application.objects.filter(event=event).order_by("id"))
    for application in applications:
        application.submitted_at = application.privacy_consent_at

    reviews = []
    for application in applications:
        for reviewer, score in zip(
            rng.sample(reviewers, REVIEWS_PER_APPLICATION), scores.get(application.user_id, []), strict=False
        ):
            reviews.append(Review(application=application, reviewer=reviewer, score=score, comment=""))
    Review.objects.bulk_create(reviews, batch_size=1000)

    # The decisions as the proposal made them: finalists accepted (and confirmed), the next 15 per track waitlisted.
    by_track: dict[str, list[Application]] = {}
    for application in applications:
        if application.status != Application.Status.WITHDRAWN:
            by_track.setdefault(application.track, []).append(application)
    for track_applications in by_track.values():
        track_applications.sort(key=lambda a: (-sum(scores[a.user_id]) / len(scores[a.user_id]), a.submitted_at, a.pk))
        waitlist_rank = 0
        for application in track_applications:
            if application.user_id in finalist_rank:
                application.status, application.decision = Application.Status.CONFIRMED, Application.Decision.ACCEPT
                application.offer_expires_at = event.screening_ends_at + timedelta(days=3)
                application.responded_at = event.screening_ends_at + timedelta(hours=rng.randint(1, 60))
                application.checked_in_at = event.team_building_starts_at - timedelta(minutes=rng.randint(5, 90))
                application.checked_in_by = ctx.organizer
            elif waitlist_rank < WAITLIST_LENGTH:
                waitlist_rank += 1
                application.status, application.decision = Application.Status.WAITLISTED, Application.Decision.WAITLIST
                application.waitlist_rank = waitlist_rank
            else:
                application.status, application.decision = Application.Status.REJECTED, Application.Decision.REJECT
    Application.objects.bulk_update(
        applications,
        [
            "submitted_at",
            "status",
            "decision",
            "waitlist_rank",
            "offer_expires_at",
            "responded_at",
            "checked_in_at",
            "checked_in_by",
        ],
        batch_size=500,
    )
    _applicant_login(ctx, event)


def _applicant_login(ctx, event) -> None:
    """One applicant who can log in (the thousand others have no password, to seed fast): first on a waitlist."""
    application = (
        Application.objects.filter(event=event, status=Application.Status.WAITLISTED, waitlist_rank=1)
        .select_related("user")
        .order_by("track")
        .first()
    )
    if application is None:
        return
    user = application.user
    if not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    ctx.logins.append(("applicant (first on a waitlist)", user.email))
