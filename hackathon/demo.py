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


# The landing page texts of the two demo events, in Korean and English (hackathon.texts: FAQ as "Q:" / "A:").
MODEL_EVENT_TEXTS = {
    "tagline_ko": "FuriosaAI의 첫 NPU 해커톤: 36시간, 팀마다 Warboy NPU 한 장",
    "tagline_en": "FuriosaAI's first NPU hackathon: 36 hours, one Warboy NPU per team",
    "description_ko": (
        "40명의 본선 진출자가 기획·프론트엔드·백엔드·AI 네 분야에서 모여 팀을 꾸리고, 36시간 동안 "
        "**비전 AI 서비스**를 만듭니다.\n\n"
        "팀마다 FuriosaAI **Warboy NPU** 한 장과 **Alice Cloud** 자원을 받습니다. 모델을 양자화하고 NPU에서 "
        "돌려 CPU와 비교하고, 그 결과를 서비스로 보여 주세요."
    ),
    "description_en": (
        "Forty finalists from four tracks (product, frontend, backend and AI) form teams and build a "
        "**vision-AI service** in 36 hours.\n\n"
        "Each team gets one FuriosaAI **Warboy NPU** and **Alice Cloud** resources. Quantize a model, run it on "
        "the NPU, compare it with the CPU, and show the result as a service."
    ),
    "prizes_ko": (
        "심사위원이 다섯 가지 기준(기획력, 창의성, 기술력, 완성도, 경제성)으로 점수를 매겨 "
        "**대상 1팀, 최우수상 3팀, 우수상 2팀**을 뽑습니다. 결과는 발표 시각에 이 페이지에 공개됩니다."
    ),
    "prizes_en": (
        "The judges score five criteria (planning, creativity, technical expertise, completeness and economics) "
        "and choose **one grand prize, three excellence prizes and two merit prizes**. The results appear on "
        "this page when they are published."
    ),
    "rules_ko": (
        "- 팀은 해커톤 당일 팀 빌딩 시간에 만듭니다. 네 분야가 고루 섞이도록 구성합니다.\n"
        "- 모든 코드는 해킹 시간 안에 작성합니다. 공개된 라이브러리와 사전 학습 모델은 쓸 수 있습니다.\n"
        "- NPU 사용량은 팀마다 할당된 범위 안에서 씁니다.\n"
        "- 마감 시각까지 제출한 최종 버전만 심사합니다."
    ),
    "rules_en": (
        "- Teams form on site during the team-building round, with the four tracks mixed.\n"
        "- All code is written during the hacking hours. Open-source libraries and pretrained models are allowed.\n"
        "- Each team uses the NPU within its quota.\n"
        "- Only the final version submitted before the deadline is judged."
    ),
    "faq_ko": (
        "Q: 참가비가 있나요?\nA: 없습니다. 본선 진출자는 무료로 참가합니다.\n\n"
        "Q: NPU를 써 본 적이 없어도 되나요?\nA: 네. 멘토가 현장에서 모델 양자화와 NPU 실행을 도와줍니다.\n\n"
        "Q: 팀을 미리 만들어 와야 하나요?\nA: 아니요. 팀은 당일 팀 빌딩 시간에 만듭니다.\n\n"
        "Q: 무엇을 제출하나요?\nA: 저장소 주소, 발표 자료, NPU 실행 결과가 담긴 최종 버전을 제출합니다."
    ),
    "faq_en": (
        "Q: Is there a fee?\nA: No. Finalists take part for free.\n\n"
        "Q: I have never used an NPU. Can I join?\nA: Yes. Mentors help on site with quantizing a model and "
        "running it on the NPU.\n\n"
        "Q: Do I need a team before I apply?\nA: No. Teams form on the day, in the team-building round.\n\n"
        "Q: What do we submit?\nA: A final version with your repository, your slides and your NPU runs."
    ),
    "sponsors": "FuriosaAI",
}
NEXT_EVENT_TEXTS = {
    "tagline_ko": "다음 NPU 해커톤: 지금 지원하세요",
    "tagline_en": "The next NPU hackathon: applications are open",
    "description_ko": "Warboy NPU로 비전 AI 서비스를 만드는 두 번째 해커톤입니다. 온라인과 판교에서 열립니다.",
    "description_en": "The second hackathon for building vision-AI services on the Warboy NPU, online and in Pangyo.",
    "faq_ko": "Q: 누가 지원할 수 있나요?\nA: 기획, 프론트엔드, 백엔드, AI 분야에서 일하거나 공부하는 누구나.",
    "faq_en": "Q: Who can apply?\nA: Anyone who works or studies in product, frontend, backend or AI.",
    "sponsors": "FuriosaAI",
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
            **MODEL_EVENT_TEXTS,
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
            **NEXT_EVENT_TEXTS,
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
