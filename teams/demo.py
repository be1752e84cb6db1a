"""Demo: the nine teams of the model event, formed in its 20-minute round (now over and locked).

Nine PMs each lead a team; the tenth PM joins one as a second PM. Every team gets one engineer of each kind,
and the four leftover engineers and PM go to four different teams: four teams of five, five teams of four.
The team led by the best-ranked PM (ctx.finalists["pm"][0]) builds real-time face blurring for live streams,
the winning project.
"""

from django.utils import timezone

from hackathon.models import Track
from teams.models import Invitation, JoinRequest, Team, TeamBuildingRound, TeamMembership

# (name, idea, problem, needs from pm / frontend / backend / ai)
PITCHES = [
    (
        "BlurCast",
        "라이브 방송 속 행인의 얼굴을 실시간으로 흐리게 처리합니다. Real-time face blurring for live streams: a face "
        "detector runs on the Warboy NPU and blurs every face except the streamer's, at 1080p30 with under 50 ms added latency.",
        "스트리머가 길거리 방송을 할 때 동의하지 않은 행인의 얼굴이 그대로 송출됩니다. Street streamers broadcast "
        "bystanders' faces without consent; manual editing is impossible when the stream is live.",
        "",
        "OBS-style preview with a toggle per face, and a latency meter for the streamer.",
        "RTMP ingest → frame queue → NPU inference → re-encode pipeline that keeps up with 30 fps.",
        "Quantize a face detector (RetinaFace / YOLOv8n-face) to INT8 with furiosa-sdk and track faces between frames.",
    ),
    (
        "ShelfSight",
        "매장 CCTV로 진열대 결품을 찾아 직원에게 알려 줍니다. Shelf cameras spot empty facings and misplaced products.",
        "Convenience stores lose sales when shelves run empty between manual checks.",
        "",
        "A store map dashboard that shows empty shelves as they appear.",
        "Ingest 16 camera streams and batch frames for the NPU.",
        "Product detection fine-tuned on Korean convenience-store SKUs.",
    ),
    (
        "SafeSite",
        "공사 현장에서 안전모·안전조끼 미착용자를 감지합니다. Detect missing helmets and vests on construction sites.",
        "Most site accidents involve missing protective gear; supervisors cannot watch every camera.",
        "",
        "Mobile alert view for site supervisors.",
        "Alert service with per-zone rules and an audit log.",
        "PPE detection that works at distance and at night.",
    ),
    (
        "CrossGuard",
        "어린이 보호구역 횡단보도의 보행자를 인식해 차량에 경고합니다. Warn drivers of children at school-zone crossings.",
        "Children are hard to see behind parked cars at school-zone crossings.",
        "",
        "Roadside display simulator.",
        "Edge-to-cloud event pipeline with low latency.",
        "Pedestrian detection and trajectory prediction.",
    ),
    (
        "FarmEye",
        "드론 영상으로 작물 병해를 조기에 찾아냅니다. Find crop disease early from drone footage.",
        "Farmers find disease too late, after it has spread across the field.",
        "",
        "Field map with disease hot spots.",
        "Tile large drone images and queue them for inference.",
        "Leaf disease segmentation.",
    ),
    (
        "ParkFinder",
        "CCTV로 주차 가능 면을 실시간 안내합니다. Show free parking spaces from existing CCTV.",
        "Drivers circle for minutes looking for a space in busy lots.",
        "",
        "Live lot map for drivers.",
        "Occupancy API with history.",
        "Occupancy classification robust to shadows and rain.",
    ),
    (
        "SignBridge",
        "수어 영상을 한국어 문장으로 번역합니다. Translate Korean Sign Language video into text.",
        "Deaf people often have no interpreter at counters and clinics.",
        "",
        "Conversation UI for a tablet at a service counter.",
        "Streaming session service.",
        "Pose estimation plus a sequence model for KSL.",
    ),
    (
        "FallAlert",
        "요양 시설에서 낙상을 감지해 즉시 알립니다. Detect falls in care homes and alert staff at once.",
        "Falls at night go unnoticed for hours in care homes.",
        "",
        "Staff alert console.",
        "Reliable alert delivery with acknowledgements.",
        "Privacy-preserving fall detection from pose keypoints.",
    ),
    (
        "WasteSort",
        "카메라로 재활용품을 분류해 선별 로봇을 돕습니다. Classify recyclables on a conveyor to guide a sorting arm.",
        "Recycling plants sort by hand and misclassify a third of plastics.",
        "",
        "Operator dashboard with throughput.",
        "Conveyor control bridge.",
        "Material classification (PET, PP, glass, can).",
    ),
]


def plan_teams(ctx) -> list[list[tuple]]:
    """[(user, track), ...] per team, leader first. Draws the same numbers from ctx.random on every run."""
    rng = ctx.random
    pms = list(ctx.finalists[Track.PM])
    engineers = {track: list(ctx.finalists[track]) for track in (Track.FRONTEND, Track.BACKEND, Track.AI)}
    for people in engineers.values():
        rng.shuffle(people)
    team_count = len(PITCHES)
    leaders, spare_pms = pms[:team_count], pms[team_count:]
    teams = [[(leaders[i], Track.PM)] + [(engineers[t][i], t) for t in engineers] for i in range(team_count)]
    extras = [(user, Track.PM) for user in spare_pms]
    for track, people in engineers.items():
        extras += [(user, track) for user in people[team_count:]]
    # Each extra person goes to a different team, so no team has more than five or two of a role.
    for (user, track), index in zip(extras, rng.sample(range(team_count), len(extras)), strict=True):
        teams[index].append((user, track))
    return teams


def seed(ctx) -> None:
    event = ctx.event
    plan = plan_teams(ctx)
    ctx.notes.append(f"Teams: {len(plan)} teams; the winning team {PITCHES[0][0]} is led by {plan[0][0][0].email}")
    if Team.objects.filter(event=event).exists():
        return
    formed_at = event.team_building_starts_at
    teams = Team.objects.bulk_create(
        [
            Team(
                event=event,
                name=name,
                leader=members[0][0],
                idea=idea,
                problem=problem,
                needs_pm=pm,
                needs_frontend=fe,
                needs_backend=be,
                needs_ai=ai,
            )
            for (name, idea, problem, pm, fe, be, ai), members in zip(PITCHES, plan, strict=True)
        ]
    )
    memberships, requests, invitations = [], [], []
    for team, members in zip(teams, plan, strict=True):
        for position, (user, track) in enumerate(members):
            if position == 0:
                source = TeamMembership.Source.FOUNDED
            elif position % 2:
                source = TeamMembership.Source.JOIN_REQUEST
                requests.append(
                    JoinRequest(
                        team=team,
                        event=event,
                        user=user,
                        track=track,
                        status=JoinRequest.Status.ACCEPTED,
                        message="I'd love to build this with you. 같이 만들고 싶어요!",
                        decided_at=formed_at,
                        decided_by=members[0][0],
                    )
                )
            else:
                source = TeamMembership.Source.INVITATION
                invitations.append(
                    Invitation(
                        team=team,
                        event=event,
                        user=user,
                        track=track,
                        status=Invitation.Status.ACCEPTED,
                        invited_by=members[0][0],
                        decided_at=formed_at,
                        decided_by=user,
                    )
                )
            memberships.append(TeamMembership(team=team, event=event, user=user, track=track, source=source))
    TeamMembership.objects.bulk_create(memberships)
    JoinRequest.objects.bulk_create(requests)
    Invitation.objects.bulk_create(invitations)
    closes_at = event.team_building_ends_at
    TeamBuildingRound.objects.update_or_create(
        event=event,
        defaults={
            "locked_at": closes_at,
            "matching_attempted_at": closes_at,
            "matching_report": {"ok": True, "at": closes_at.isoformat(), "placed": 0, "teams_below_min": []},
        },
    )
    if timezone.now() < closes_at:  # a demo clock before the round's end: leave the round open instead
        TeamBuildingRound.objects.filter(event=event).update(locked_at=None, matching_attempted_at=None)
