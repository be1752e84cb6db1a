"""Demo data for the model event: 1,000 applicants, 40 finalists (10 per track), mentors, judges, an organizer.

Every app may have a demo.py with seed(ctx); seed_demo calls them in INSTALLED_APPS order, so later apps
build on what earlier ones made. Each seed must be idempotent: running seed_demo twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils import timezone
from faker import Faker

from accounts.models import User
from hackathon import services
from hackathon.models import Event, EventRole, Track

DEMO_PASSWORD = "hacknpu-demo"
DEMO_DOMAIN = "demo.hacknpu.dev"
EVENT_SLUG = "furiosa-npu-hackathon"
NEXT_EVENT_SLUG = "warboy-vision-challenge"
APPLICANT_COUNT = 1000
FINALISTS_PER_TRACK = 10
# More people apply for AI and backend than for PM, as at the model event.
APPLICANT_TRACK_WEIGHTS = {Track.PM: 0.18, Track.FRONTEND: 0.24, Track.BACKEND: 0.28, Track.AI: 0.30}


@dataclass
class DemoContext:
    event: Event
    next_event: Event
    organizer: User
    mentors: list[User]
    judges: list[User]
    finalists: dict[str, list[User]]  # track -> ten finalists, best first
    applicants: list[tuple[User, str]]  # every applicant (finalists included) with their track
    random: random.Random
    logins: list[tuple[str, str]] = field(default_factory=list)  # (who, email) printed at the end
    notes: list[str] = field(default_factory=list)


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _model_event_timeline(now):
    """The model event, in the middle of its 36 hours of hacking."""
    hacking_starts_at = (now - timedelta(hours=10)).replace(minute=0, second=0, microsecond=0)
    team_building_starts_at = hacking_starts_at - timedelta(minutes=40)
    hacking_ends_at = hacking_starts_at + timedelta(hours=36)
    return {
        "applications_open_at": hacking_starts_at - timedelta(days=42),
        "applications_close_at": hacking_starts_at - timedelta(days=14),
        "screening_ends_at": hacking_starts_at - timedelta(days=7),
        "team_building_starts_at": team_building_starts_at,
        "team_building_minutes": 20,
        "hacking_starts_at": hacking_starts_at,
        "hacking_ends_at": hacking_ends_at,
        "judging_ends_at": hacking_ends_at + timedelta(hours=3),
        "results_at": hacking_ends_at + timedelta(hours=4),
    }


def _users(specs: list[tuple[str, str]], password_hash: str) -> list[User]:
    """Create (email, name) users that do not exist yet, in one query; return all of them in order."""
    emails = [email for email, _ in specs]
    existing = {user.email: user for user in User.objects.filter(email__in=emails)}
    missing = [User(email=email, name=name, password=password_hash) for email, name in specs if email not in existing]
    if missing:
        User.objects.bulk_create(missing, batch_size=500)
        existing = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [existing[email] for email in emails]


def build_context(*, stdout=None) -> DemoContext:
    rng = random.Random(2026)
    fake = Faker("ko_KR")
    fake.seed_instance(2026)
    password_hash = make_password(DEMO_PASSWORD)
    unusable = make_password(None)

    organizer = _users([(demo_email("organizer"), "김운영")], password_hash)[0]
    organizer.user_permissions.add(Permission.objects.get(codename="add_event", content_type__app_label="hackathon"))

    now = timezone.now()
    event = Event.objects.filter(slug=EVENT_SLUG).first()
    if event is None:
        event = services.event_create(
            created_by=organizer,
            name="FuriosaAI NPU Hackathon",
            slug=EVENT_SLUG,
            time_zone="Asia/Seoul",
            venue="Seoul, Gangnam · FuriosaAI HQ",
            description=(
                "Forty finalists, nine teams, one Warboy NPU each and 36 hours to build a vision-AI service.\n"
                "40명의 본선 진출자, 9개 팀, 팀마다 Warboy NPU 한 장, 36시간 동안 비전 AI 서비스를 만듭니다."
            ),
            is_published=True,
            **_model_event_timeline(now),
        )
    next_event = Event.objects.filter(slug=NEXT_EVENT_SLUG).first()
    if next_event is None:
        next_event = services.event_create(
            created_by=organizer,
            name="Warboy Vision Challenge",
            slug=NEXT_EVENT_SLUG,
            time_zone="Asia/Seoul",
            venue="Online + Pangyo",
            description="The next NPU hackathon: applications are open.\n다음 NPU 해커톤: 지금 지원하세요.",
            is_published=True,
            **services.default_timeline(applications_open_at=now - timedelta(days=3)),
        )

    mentors = _users([(demo_email(f"mentor{i}"), fake.name()) for i in range(1, 6)], password_hash)
    judges = _users([(demo_email(f"judge{i}"), fake.name()) for i in range(1, 6)], password_hash)

    finalists: dict[str, list[User]] = {}
    applicants: list[tuple[User, str]] = []
    for track in Track.values:
        specs = [(demo_email(f"{track}{i:02d}"), fake.name()) for i in range(1, FINALISTS_PER_TRACK + 1)]
        finalists[track] = _users(specs, password_hash)
        applicants += [(user, track) for user in finalists[track]]
    others = APPLICANT_COUNT - len(applicants)
    tracks = rng.choices(list(APPLICANT_TRACK_WEIGHTS), weights=list(APPLICANT_TRACK_WEIGHTS.values()), k=others)
    specs = [(demo_email(f"applicant{i:04d}"), fake.name()) for i in range(1, others + 1)]
    applicants += [(user, str(track)) for user, track in zip(_users(specs, unusable), tracks, strict=True)]

    return DemoContext(
        event=event,
        next_event=next_event,
        organizer=organizer,
        mentors=mentors,
        judges=judges,
        finalists=finalists,
        applicants=applicants,
        random=rng,
    )


def seed(ctx: DemoContext) -> None:
    event = ctx.event
    existing = set(EventRole.objects.filter(event=event).values_list("user_id", "role"))
    wanted = [EventRole(event=event, user=u, role=EventRole.Role.MENTOR) for u in ctx.mentors]
    wanted += [EventRole(event=event, user=u, role=EventRole.Role.JUDGE) for u in ctx.judges]
    for track, users in ctx.finalists.items():
        wanted += [EventRole(event=event, user=u, role=EventRole.Role.PARTICIPANT, track=track) for u in users]
    EventRole.objects.bulk_create([r for r in wanted if (r.user_id, r.role) not in existing])

    ctx.logins += [
        ("organizer", ctx.organizer.email),
        ("judge", ctx.judges[0].email),
        ("mentor", ctx.mentors[0].email),
        ("PM finalist (winning team's leader)", ctx.finalists[Track.PM][0].email),
        ("AI engineer finalist", ctx.finalists[Track.AI][0].email),
        ("backend finalist", ctx.finalists[Track.BACKEND][0].email),
        ("frontend finalist", ctx.finalists[Track.FRONTEND][0].email),
    ]
