"""Team-building API: /api/v1/events/<event_slug>/teams/... One APIView per operation."""

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import ProfileCard
from hackathon.api import EventApiMixin
from hackathon.models import Track
from hackathon.permissions import EventRolePermission
from teams import selectors, services
from teams.matching import explain_unplaced
from teams.models import Invitation, JoinRequest, Team, TeamBuildingRound, TeamMembership
from teams.permissions import BOARD_ROLES, Role
from teams.services.membership import PITCH_FIELDS
from teams.services.rounds import MAX_EXTENSION_MINUTES, MAX_TEAM_SIZE_LIMIT, RULE_FIELDS


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class MemberSerializer(serializers.ModelSerializer):
    user = PersonSerializer()

    class Meta:
        model = TeamMembership
        fields = ["id", "user", "track", "source", "joined_at"]


class TeamCardSerializer(serializers.Serializer):
    """A team with its pitch, members and open slots per role."""

    id = serializers.IntegerField(source="team.pk")
    name = serializers.CharField(source="team.name")
    leader = PersonSerializer(source="team.leader", allow_null=True)
    idea = serializers.CharField(source="team.idea")
    problem = serializers.CharField(source="team.problem")
    needs = serializers.SerializerMethodField()
    members = MemberSerializer(many=True)
    size = serializers.IntegerField()
    max_size = serializers.IntegerField()
    open_slots = serializers.DictField(child=serializers.IntegerField())

    def get_needs(self, card) -> dict[str, str]:
        return {track: card.team.needs_for(track) for track in Track.values}


class ProfileCardSerializer(serializers.Serializer):
    """A member as the caller may see them: blank fields are hidden from the caller or not filled in
    (teams.selectors.member_profile_detail)."""

    user_id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    initials = serializers.CharField()
    detail = serializers.ChoiceField(choices=["name", "profile", "contact"], source="detail_name")
    skills = serializers.ListField(child=serializers.CharField())
    github_username = serializers.CharField()
    contact = serializers.CharField()
    email = serializers.CharField(help_text="Only when the member chose to show it to teammates")
    avatar_url = serializers.SerializerMethodField()

    def get_avatar_url(self, card) -> str | None:
        if not card.has_avatar:
            return None
        path = reverse(
            "teams:member_avatar",
            kwargs={
                "event_slug": self.context["event"].slug,
                "team_id": self.context["team"].pk,
                "user_id": card.user_id,
            },
        )
        return self.context["request"].build_absolute_uri(f"{path}?v={card.avatar_version}")


@dataclass
class TeamDetail(selectors.TeamCard):
    member_profiles: list[ProfileCard] = field(default_factory=list)


class TeamDetailSerializer(TeamCardSerializer):
    member_profiles = ProfileCardSerializer(many=True)


class JoinRequestSerializer(serializers.ModelSerializer):
    user = PersonSerializer()
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.CharField(source="team.name")

    class Meta:
        model = JoinRequest
        fields = ["id", "team", "team_name", "user", "track", "message", "status", "created_at", "decided_at"]


class InvitationSerializer(serializers.ModelSerializer):
    user = PersonSerializer()
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.CharField(source="team.name")

    class Meta:
        model = Invitation
        fields = ["id", "team", "team_name", "user", "track", "message", "status", "created_at", "decided_at"]


class RoundSerializer(serializers.ModelSerializer):
    starts_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = TeamBuildingRound
        fields = [*RULE_FIELDS, "starts_at", "closes_at", "is_open", "locked_at", "matching_attempted_at"]

    def get_is_open(self, round_) -> bool:
        return round_.is_open()


class BoardApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = BOARD_ROLES


class TeamListApi(BoardApi):
    @extend_schema(
        parameters=[
            OpenApiParameter("track", str, enum=Track.values, description="Only teams with an open slot for this role")
        ],
        responses=TeamCardSerializer(many=True),
    )
    def get(self, request, event_slug):
        round_ = selectors.team_round_of(self.event)
        cards = selectors.team_board(event=self.event, round_=round_, track=request.query_params.get("track", ""))
        return Response(TeamCardSerializer(cards, many=True).data)


class TeamDetailApi(BoardApi):
    @extend_schema(responses=TeamDetailSerializer)
    def get(self, request, event_slug, team_id):
        team = selectors.team_get_visible(user=request.user, event=self.event, team_id=team_id)
        if team is None:
            raise Http404
        (card,) = selectors.team_cards(teams=[team], round_=selectors.team_round_of(self.event))
        profiles = selectors.team_member_cards(viewer=request.user, team=team, event=self.event)
        context = {"request": request, "event": self.event, "team": team}
        detail = TeamDetail(**vars(card), member_profiles=profiles)
        return Response(TeamDetailSerializer(detail, context=context).data)


class TeamCreateApi(BoardApi):
    event_roles = (Role.PARTICIPANT,)

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        idea = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
        problem = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
        needs_pm = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        needs_frontend = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        needs_backend = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        needs_ai = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: TeamCardSerializer})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_create(event=self.event, created_by=request.user, **data.validated_data)
        team = selectors.team_get_visible(user=request.user, event=self.event, team_id=team.pk)
        (card,) = selectors.team_cards(teams=[team], round_=selectors.team_round_of(self.event))
        return Response(TeamCardSerializer(card).data, status=status.HTTP_201_CREATED)


class TeamApi(BoardApi):
    """An operation on one team the caller can see (member, organizer, mentor, judge); anyone else gets 404."""

    @cached_property
    def team(self) -> Team:
        team = selectors.team_get_visible(user=self.request.user, event=self.event, team_id=self.kwargs["team_id"])
        if team is None:
            raise Http404
        return team

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.team  # noqa: B018 -- a team the caller cannot see is 404 before the body is read, whatever the body says


class TeamPitchUpdateApi(TeamApi):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100, required=False)
        idea = serializers.CharField(max_length=2000, required=False, allow_blank=True)
        problem = serializers.CharField(max_length=2000, required=False, allow_blank=True)
        needs_pm = serializers.CharField(max_length=300, required=False, allow_blank=True)
        needs_frontend = serializers.CharField(max_length=300, required=False, allow_blank=True)
        needs_backend = serializers.CharField(max_length=300, required=False, allow_blank=True)
        needs_ai = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=TeamCardSerializer)
    def post(self, request, event_slug, team_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k in (*PITCH_FIELDS, "name")}
        services.team_pitch_update(team_id=self.team.pk, updated_by=request.user, **fields)
        team = selectors.team_get_visible(user=request.user, event=self.event, team_id=team_id)
        (card,) = selectors.team_cards(teams=[team], round_=selectors.team_round_of(self.event))
        return Response(TeamCardSerializer(card).data)


class TeamMemberLeaveApi(TeamApi):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, event_slug, team_id):
        services.team_member_leave(team_id=self.team.pk, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamLeaderTransferApi(TeamApi):
    """A new leader who is not a member of the team (or no one at all): 404."""

    class InputSerializer(serializers.Serializer):
        new_leader = serializers.IntegerField(help_text="User id of a member of the team")

    @extend_schema(request=InputSerializer, responses=TeamCardSerializer)
    def post(self, request, event_slug, team_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = get_object_or_404(self.team.memberships.all(), user_id=data.validated_data["new_leader"])
        services.team_leader_transfer(team_id=self.team.pk, new_leader_id=member.user_id, transferred_by=request.user)
        team = selectors.team_get_visible(user=request.user, event=self.event, team_id=team_id)
        (card,) = selectors.team_cards(teams=[team], round_=selectors.team_round_of(self.event))
        return Response(TeamCardSerializer(card).data)


class TeamDisbandApi(TeamApi):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, event_slug, team_id):
        services.team_disband(team_id=self.team.pk, disbanded_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamMembershipListApi(BoardApi):
    """Who is in which team (what the board shows), optionally for one team."""

    class OutputSerializer(MemberSerializer):
        team = serializers.PrimaryKeyRelatedField(read_only=True)

        class Meta(MemberSerializer.Meta):
            fields = [*MemberSerializer.Meta.fields, "team"]

    @extend_schema(
        parameters=[OpenApiParameter("team", int, description="Only this team's members")],
        responses=OutputSerializer(many=True),
    )
    def get(self, request, event_slug):
        members = (
            TeamMembership.objects.filter(event=self.event).select_related("user").order_by("team_id", "joined_at")
        )
        if request.query_params.get("team", "").isdigit():
            members = members.filter(team_id=int(request.query_params["team"]))
        return Response(self.OutputSerializer(members, many=True).data)


class TeamMemberMoveApi(BoardApi):
    """Unknown ids, a person who is not a finalist of this event or a team of another event: 404."""

    event_roles = (Role.ORGANIZER,)

    class InputSerializer(serializers.Serializer):
        user = serializers.IntegerField()
        team = serializers.IntegerField(
            allow_null=True, help_text="Team id, or null to take the person out of any team"
        )

    @extend_schema(request=InputSerializer, responses={200: MemberSerializer, 204: None})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = get_object_or_404(selectors.finalists_of_event(event=self.event), user_id=data.validated_data["user"])
        team_id = data.validated_data["team"]
        if team_id is not None:
            team_id = get_object_or_404(Team, pk=team_id, event=self.event).pk
        moved = services.team_member_move(
            event=self.event, user_id=person.user_id, to_team_id=team_id, moved_by=request.user
        )
        if moved is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(MemberSerializer(moved).data)


# --- join requests and invitations --------------------------------------------------------------


class JoinRequestListApi(BoardApi):
    """Your own requests and those to the team you lead (organizers: all)."""

    @extend_schema(responses=JoinRequestSerializer(many=True))
    def get(self, request, event_slug):
        requests = selectors.join_requests_visible_to(user=request.user, event=self.event).order_by(
            "-created_at", "-id"
        )
        return Response(JoinRequestSerializer(requests, many=True).data)


class JoinRequestCreateApi(BoardApi):
    event_roles = (Role.PARTICIPANT,)

    class InputSerializer(serializers.Serializer):
        message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: JoinRequestSerializer})
    def post(self, request, event_slug, team_id):
        team = get_object_or_404(Team, pk=team_id, event=self.event)  # any team on the board
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        join = services.join_request_create(team_id=team.pk, user=request.user, message=data.validated_data["message"])
        return Response(JoinRequestSerializer(join).data, status=status.HTTP_201_CREATED)


class _JoinRequestAnswerApi(BoardApi):
    service = None
    actor = ""

    @extend_schema(request=None, responses=JoinRequestSerializer)
    def post(self, request, event_slug, request_id):
        join = get_object_or_404(selectors.join_requests_visible_to(user=request.user, event=self.event), pk=request_id)
        type(self).service(request_id=join.pk, **{self.actor: request.user})
        join.refresh_from_db()
        return Response(JoinRequestSerializer(join).data)


class JoinRequestAcceptApi(_JoinRequestAnswerApi):
    service, actor = services.join_request_accept, "accepted_by"


class JoinRequestDeclineApi(_JoinRequestAnswerApi):
    service, actor = services.join_request_decline, "declined_by"


class JoinRequestWithdrawApi(_JoinRequestAnswerApi):
    service, actor = services.join_request_withdraw, "withdrawn_by"


class InvitationListApi(BoardApi):
    """Invitations to you and from the team you lead (organizers: all)."""

    @extend_schema(responses=InvitationSerializer(many=True))
    def get(self, request, event_slug):
        invitations = selectors.invitations_visible_to(user=request.user, event=self.event).order_by(
            "-created_at", "-id"
        )
        return Response(InvitationSerializer(invitations, many=True).data)


class InvitationCreateApi(TeamApi):
    """Someone who is not a finalist of this event (or no one at all): 404. A finalist already in a team: 400."""

    class InputSerializer(serializers.Serializer):
        user = serializers.IntegerField(help_text="User id of a finalist without a team")
        message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: InvitationSerializer})
    def post(self, request, event_slug, team_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitee = get_object_or_404(selectors.finalists_of_event(event=self.event), user_id=data.validated_data["user"])
        invitation = services.invitation_create(
            team_id=self.team.pk,
            user_id=invitee.user_id,
            invited_by=request.user,
            message=data.validated_data["message"],
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class _InvitationAnswerApi(BoardApi):
    service = None
    actor = ""

    @extend_schema(request=None, responses=InvitationSerializer)
    def post(self, request, event_slug, invitation_id):
        invitation = get_object_or_404(
            selectors.invitations_visible_to(user=request.user, event=self.event), pk=invitation_id
        )
        type(self).service(invitation_id=invitation.pk, **{self.actor: request.user})
        invitation.refresh_from_db()
        return Response(InvitationSerializer(invitation).data)


class InvitationAcceptApi(_InvitationAnswerApi):
    service, actor = services.invitation_accept, "accepted_by"


class InvitationDeclineApi(_InvitationAnswerApi):
    service, actor = services.invitation_decline, "declined_by"


class InvitationCancelApi(_InvitationAnswerApi):
    service, actor = services.invitation_cancel, "cancelled_by"


# --- the round -----------------------------------------------------------------------------------


class RoundDetailApi(BoardApi):
    @extend_schema(responses=RoundSerializer)
    def get(self, request, event_slug):
        return Response(RoundSerializer(selectors.team_round_of(self.event)).data)


class RoundRulesUpdateApi(BoardApi):
    event_roles = (Role.ORGANIZER,)

    class InputSerializer(serializers.Serializer):
        min_team_size = serializers.IntegerField(min_value=1, max_value=MAX_TEAM_SIZE_LIMIT, required=False)
        max_team_size = serializers.IntegerField(min_value=1, max_value=MAX_TEAM_SIZE_LIMIT, required=False)
        max_pm = serializers.IntegerField(min_value=1, max_value=MAX_TEAM_SIZE_LIMIT, required=False)
        max_frontend = serializers.IntegerField(min_value=1, max_value=MAX_TEAM_SIZE_LIMIT, required=False)
        max_backend = serializers.IntegerField(min_value=1, max_value=MAX_TEAM_SIZE_LIMIT, required=False)
        max_ai = serializers.IntegerField(min_value=1, max_value=MAX_TEAM_SIZE_LIMIT, required=False)

    @extend_schema(request=InputSerializer, responses=RoundSerializer)
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = services.team_round_rules_update(event=self.event, updated_by=request.user, **data.validated_data)
        return Response(RoundSerializer(round_).data)


class RoundExtendApi(BoardApi):
    event_roles = (Role.ORGANIZER,)

    class InputSerializer(serializers.Serializer):
        minutes = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_MINUTES)

    @extend_schema(request=InputSerializer, responses=RoundSerializer)
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = services.team_round_extend(
            event=self.event, minutes=data.validated_data["minutes"], extended_by=request.user
        )
        return Response(RoundSerializer(round_).data)


class RoundMatchApi(BoardApi):
    """Run auto-matching now. 200 with locked=true, or 409 with who could not be placed and why."""

    event_roles = (Role.ORGANIZER,)

    class OutputSerializer(serializers.Serializer):
        ran = serializers.BooleanField()
        locked = serializers.BooleanField()
        placed = serializers.ListField(child=serializers.DictField())
        unplaced = serializers.ListField(child=serializers.DictField())
        teams_below_min = serializers.ListField(child=serializers.DictField())

    @extend_schema(request=None, responses={200: OutputSerializer, 409: OutputSerializer})
    def post(self, request, event_slug):
        outcome = services.team_auto_match(event_id=self.event.pk, run_by=request.user)
        body = {
            "ran": outcome.ran,
            "locked": outcome.locked,
            "placed": [
                {"user": p.user_id, "team": p.team_id, "track": p.track, "why": p.explanation()} for p in outcome.placed
            ],
            "unplaced": [
                {
                    "user": u["user_id"],
                    "name": u["name"],
                    "track": u["track"],
                    "reason": u["reason"],
                    "why": explain_unplaced(u["reason"], u["facts"], track=u["track"]),
                }
                for u in outcome.unplaced
            ],
            "teams_below_min": outcome.teams_below_min,
        }
        code = status.HTTP_409_CONFLICT if outcome.ran and not outcome.locked else status.HTTP_200_OK
        return Response(self.OutputSerializer(body).data, status=code)
