"""Mentoring API: /api/v1/events/<event_slug>/mentoring/... One APIView per operation."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon.api import EventApiMixin
from hackathon.permissions import EventRolePermission, is_organizer
from mentoring import selectors, services
from mentoring.models import (
    SLOT_MAX_MINUTES,
    SLOT_MIN_MINUTES,
    Booking,
    Expertise,
    HelpRequest,
    MentorProfile,
    MentorSlot,
)
from mentoring.permissions import MENTOR_PAGE_ROLES, MENTORING_ROLES, Role
from npu_jobs.models import ModelQuantization, NpuJob
from teams.api import PersonSerializer
from teams.selectors import team_of_user


class ProfileOutputSerializer(serializers.ModelSerializer):
    user = PersonSerializer()
    tags = serializers.ListField(child=serializers.ChoiceField(choices=Expertise.choices))
    initials = serializers.CharField()

    class Meta:
        model = MentorProfile
        fields = ["id", "user", "tags", "bio", "initials"]


class SlotOutputSerializer(serializers.ModelSerializer):
    mentor = ProfileOutputSerializer()
    ends_at = serializers.DateTimeField()
    is_booked = serializers.SerializerMethodField()

    class Meta:
        model = MentorSlot
        fields = ["id", "mentor", "starts_at", "ends_at", "length_minutes", "place", "video_url", "topic", "is_booked"]

    def get_is_booked(self, slot) -> bool:
        return bool(getattr(slot, "active_bookings", None))


class BookingOutputSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.CharField(source="team.name")
    slot = serializers.PrimaryKeyRelatedField(read_only=True)
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    mentor = PersonSerializer(source="slot.mentor.user")

    class Meta:
        model = Booking
        fields = [
            "id",
            "slot",
            "starts_at",
            "mentor",
            "team",
            "team_name",
            "note",
            "state",
            "mentor_notes",
            "created_at",
        ]


class HelpRequestOutputSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.CharField(source="team.name")
    claimed_by = PersonSerializer(allow_null=True)
    job = serializers.PrimaryKeyRelatedField(read_only=True)
    quantization = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "team",
            "team_name",
            "topic",
            "text",
            "job",
            "quantization",
            "state",
            "created_at",
            "claimed_by",
            "claimed_at",
            "closed_at",
            "rating",
            "rating_comment",
        ]


class MentoringApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = MENTORING_ROLES


class MentorProfileListApi(MentoringApi):
    @extend_schema(responses=ProfileOutputSerializer(many=True))
    def get(self, request, event_slug):
        return Response(ProfileOutputSerializer(selectors.mentor_profiles_of_event(event=self.event), many=True).data)


class SlotListApi(MentoringApi):
    @extend_schema(responses=SlotOutputSerializer(many=True))
    def get(self, request, event_slug):
        return Response(SlotOutputSerializer(selectors.slots_of_event(event=self.event), many=True).data)


class SlotCreateApi(MentoringApi):
    """A mentor publishes a slot for themself; an organizer for any mentor (`mentor`, a profile id)."""

    event_roles = MENTOR_PAGE_ROLES

    class InputSerializer(serializers.Serializer):
        mentor = serializers.IntegerField(required=False, help_text="Mentor profile id (organizers only)")
        starts_at = serializers.DateTimeField()
        length_minutes = serializers.IntegerField(min_value=SLOT_MIN_MINUTES, max_value=SLOT_MAX_MINUTES)
        place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        video_url = serializers.URLField(required=False, allow_blank=True, default="")
        topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: SlotOutputSerializer})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        mentor_id = values.pop("mentor", None)
        if mentor_id is not None and is_organizer(request.user, self.event):
            profile = get_object_or_404(MentorProfile, pk=mentor_id, event=self.event)
        else:
            profile = selectors.mentor_profile_of(user=request.user, event=self.event)
            if profile is None:
                raise Http404
        slot = services.slot_create(profile_id=profile.pk, created_by=request.user, **values)
        return Response(SlotOutputSerializer(slot).data, status=status.HTTP_201_CREATED)


class BookingListApi(MentoringApi):
    """Organizers: every booking. A mentor: their sessions. A team member: the team's bookings."""

    @extend_schema(responses=BookingOutputSerializer(many=True))
    def get(self, request, event_slug):
        bookings = selectors.bookings_visible_to(user=request.user, event=self.event)
        return Response(BookingOutputSerializer(bookings, many=True).data)


class BookingCreateApi(MentoringApi):
    event_roles = (Role.PARTICIPANT,)

    class InputSerializer(serializers.Serializer):
        slot = serializers.IntegerField()
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: BookingOutputSerializer})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = team_of_user(user=request.user, event=self.event)
        slot = get_object_or_404(MentorSlot, pk=data.validated_data["slot"], event=self.event)
        if team is None:
            raise Http404
        booking = services.booking_create(
            slot_id=slot.pk, team_id=team.pk, booked_by=request.user, note=data.validated_data["note"]
        )
        return Response(BookingOutputSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingCancelApi(MentoringApi):
    @extend_schema(request=None, responses=BookingOutputSerializer)
    def post(self, request, event_slug, booking_id):
        booking = selectors.booking_get_visible(user=request.user, event=self.event, booking_id=booking_id)
        if booking is None:
            raise Http404
        return Response(
            BookingOutputSerializer(services.booking_cancel(booking_id=booking.pk, cancelled_by=request.user)).data
        )


class HelpRequestListApi(MentoringApi):
    """Mentors and organizers: every request of the event. A team member: the team's."""

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=HelpRequest.State.values)],
        responses=HelpRequestOutputSerializer(many=True),
    )
    def get(self, request, event_slug):
        requests = selectors.help_requests_visible_to(user=request.user, event=self.event)
        if request.query_params.get("state") in HelpRequest.State.values:
            requests = requests.filter(state=request.query_params["state"])
        return Response(HelpRequestOutputSerializer(requests, many=True).data)


class HelpRequestRaiseApi(MentoringApi):
    event_roles = (Role.PARTICIPANT,)

    class InputSerializer(serializers.Serializer):
        topic = serializers.ChoiceField(choices=Expertise.choices)
        text = serializers.CharField(max_length=500)
        job = serializers.IntegerField(required=False, help_text="One of the team's jobs")
        quantization = serializers.IntegerField(required=False, help_text="One of the team's quantizations")

    @extend_schema(request=InputSerializer, responses={201: HelpRequestOutputSerializer})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = team_of_user(user=request.user, event=self.event)
        if team is None:
            raise Http404
        values = data.validated_data
        attachment = {}
        if "job" in values:
            attachment["job"] = get_object_or_404(NpuJob, pk=values["job"], team=team)
        if "quantization" in values:
            attachment["quantization"] = get_object_or_404(ModelQuantization, pk=values["quantization"], team=team)
        help_request = services.help_request_raise(
            team=team, raised_by=request.user, topic=values["topic"], text=values["text"], **attachment
        )
        return Response(HelpRequestOutputSerializer(help_request).data, status=status.HTTP_201_CREATED)


class HelpRequestActionApi(MentoringApi):
    """A move on one request of the event; ids of other events are 404."""

    def help_request(self, request_id: int) -> HelpRequest:
        return get_object_or_404(
            selectors.help_requests_visible_to(user=self.request.user, event=self.event), pk=request_id
        )


class HelpRequestClaimApi(HelpRequestActionApi):
    event_roles = (Role.MENTOR,)

    @extend_schema(request=None, responses=HelpRequestOutputSerializer)
    def post(self, request, event_slug, request_id):
        claimed = services.help_request_claim(request_id=self.help_request(request_id).pk, mentor=request.user)
        return Response(HelpRequestOutputSerializer(claimed).data)


class HelpRequestCloseApi(HelpRequestActionApi):
    event_roles = MENTOR_PAGE_ROLES

    @extend_schema(request=None, responses=HelpRequestOutputSerializer)
    def post(self, request, event_slug, request_id):
        closed = services.help_request_close(request_id=self.help_request(request_id).pk, closed_by=request.user)
        return Response(HelpRequestOutputSerializer(closed).data)


class HelpRequestReleaseApi(HelpRequestActionApi):
    event_roles = MENTOR_PAGE_ROLES

    @extend_schema(request=None, responses=HelpRequestOutputSerializer)
    def post(self, request, event_slug, request_id):
        released = services.help_request_release(request_id=self.help_request(request_id).pk, released_by=request.user)
        return Response(HelpRequestOutputSerializer(released).data)


class HelpRequestRateApi(HelpRequestActionApi):
    event_roles = (Role.PARTICIPANT,)

    class InputSerializer(serializers.Serializer):
        rating = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=HelpRequestOutputSerializer)
    def post(self, request, event_slug, request_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rated = services.help_request_rate(
            request_id=self.help_request(request_id).pk, rated_by=request.user, **data.validated_data
        )
        return Response(HelpRequestOutputSerializer(rated).data)


class QueueStatusApi(MentoringApi):
    """The caller's team in the live queue: its request, position, expected wait and mentors on shift."""

    event_roles = (Role.PARTICIPANT,)

    class OutputSerializer(serializers.Serializer):
        request = HelpRequestOutputSerializer(allow_null=True)
        position = serializers.IntegerField(allow_null=True)
        expected_wait_minutes = serializers.IntegerField(allow_null=True)
        mentors_on_shift = serializers.IntegerField()
        open_count = serializers.IntegerField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request, event_slug):
        team = team_of_user(user=request.user, event=self.event)
        if team is None:
            raise Http404
        return Response(self.OutputSerializer(selectors.queue_status_of_team(team=team)).data)
