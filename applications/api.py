"""API: the applicant's own application, and organizer/reviewer screening, review and selection.

One APIView per operation, each with nested input/output serializers.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from applications import selectors, services
from applications.models import Application, Review
from applications.permissions import REVIEWER_ROLES
from applications.services.selection import (
    MAX_PROMOTED_RSVP_HOURS,
    MAX_TRACK_PLACES,
    MAX_WAITLIST_LENGTH,
    MAX_WAITLIST_RANK,
)
from core.api import LimitOffsetPagination
from core.bounds import validate_datetime_in_range
from core.schema import LIMIT_OFFSET_PARAMETERS, paged
from hackathon.api import EventApiMixin
from hackathon.models import Track
from hackathon.permissions import EventRolePermission, Role, roles_in_event


class MyApplicationOutputSerializer(serializers.Serializer):
    # Declared fields, not a ModelSerializer: building ModelSerializer fields from the model costs milliseconds on
    # every response, and this one answers the busiest endpoint of the event (bench/registration.py).
    id = serializers.IntegerField()
    track = serializers.ChoiceField(choices=Track.choices)
    experience = serializers.ChoiceField(choices=Application.Experience.choices)
    skills = serializers.CharField()
    portfolio_url = serializers.URLField()
    motivation = serializers.CharField()
    sdk_training_completed = serializers.BooleanField()
    sdk_training_completed_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=Application.Status.choices)
    waitlist_position = serializers.SerializerMethodField()
    offer_expires_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_waitlist_position(self, application) -> int | None:
        return selectors.waitlist_position(application)


class ApplicationAnswersInputSerializer(serializers.Serializer):
    track = serializers.ChoiceField(choices=Track.choices)
    experience = serializers.ChoiceField(choices=Application.Experience.choices)
    skills = serializers.CharField(max_length=300)
    portfolio_url = serializers.URLField(max_length=300)
    motivation = serializers.CharField(max_length=2000)
    sdk_training_completed = serializers.BooleanField()
    sdk_training_completed_on = serializers.DateField(required=False, allow_null=True)


def _mine_or_404(request, event) -> Application:
    application = selectors.application_of_user(user=request.user, event=event)
    if application is None:
        raise Http404
    return application


class MyApplicationDetailApi(EventApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MyApplicationOutputSerializer)
    def get(self, request, event_slug):
        return Response(MyApplicationOutputSerializer(_mine_or_404(request, self.event)).data)


class ApplicationSubmitApi(EventApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(ApplicationAnswersInputSerializer):
        privacy_consent = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={201: MyApplicationOutputSerializer})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_submit(event=self.event, user=request.user, **data.validated_data)
        return Response(MyApplicationOutputSerializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationUpdateApi(EventApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(ApplicationAnswersInputSerializer):
        pass

    @extend_schema(request=InputSerializer, responses=MyApplicationOutputSerializer)
    def patch(self, request, event_slug):
        application = _mine_or_404(request, self.event)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        application = services.application_update(
            application_id=application.pk, user=request.user, **data.validated_data
        )
        return Response(MyApplicationOutputSerializer(application).data)


class ApplicationWithdrawApi(EventApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=MyApplicationOutputSerializer)
    def post(self, request, event_slug):
        application = _mine_or_404(request, self.event)
        application = services.application_withdraw(application_id=application.pk, user=request.user)
        return Response(MyApplicationOutputSerializer(application).data)


class ApplicationRsvpApi(EventApiMixin, APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        attending = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=MyApplicationOutputSerializer)
    def post(self, request, event_slug):
        application = _mine_or_404(request, self.event)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_rsvp(
            application_id=application.pk, user=request.user, attending=data.validated_data["attending"]
        )
        return Response(MyApplicationOutputSerializer(application).data)


# --- Reviewers and organizers -------------------------------------------------------------------


class ScreeningListApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = REVIEWER_ROLES

    class FilterSerializer(serializers.Serializer):
        track = serializers.ChoiceField(choices=Track.choices, required=False)
        status = serializers.ChoiceField(choices=Application.Status.choices, required=False)
        training = serializers.ChoiceField(choices=["yes", "no"], required=False)
        reviewed = serializers.ChoiceField(choices=["mine", "not_mine"], required=False)
        min_score = serializers.FloatField(required=False, min_value=1, max_value=5)
        q = serializers.CharField(required=False)
        sort = serializers.ChoiceField(choices=list(selectors.SORTS), required=False)

    class OutputSerializer(serializers.ModelSerializer):
        name = serializers.CharField(source="user.name")
        email = serializers.EmailField(source="user.email")
        review_count = serializers.IntegerField()
        my_score = serializers.IntegerField(allow_null=True)
        mean_score = serializers.SerializerMethodField()

        class Meta:
            model = Application
            fields = [
                "id",
                "name",
                "email",
                "track",
                "experience",
                "sdk_training_completed",
                "status",
                "decision",
                "review_count",
                "my_score",
                "mean_score",
                "submitted_at",
            ]

        def get_mean_score(self, application) -> float | None:
            # Blind review: a reviewer sees the mean only of what they have scored; organizers see all.
            if self.context["organizer"] or application.my_score is not None:
                return round(application.mean_score, 2) if application.mean_score is not None else None
            return None

    @extend_schema(
        operation_id="v1_events_applications_screening_list",
        parameters=[FilterSerializer, *LIMIT_OFFSET_PARAMETERS],
        responses=paged(OutputSerializer, "ScreeningListApiPage"),
    )
    def get(self, request, event_slug):
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = selectors.ScreeningFilters(**params.validated_data)
        applications = selectors.screening_applications_visible_to(event=self.event, user=request.user, filters=filters)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(applications, request, view=self)
        context = {"organizer": Role.ORGANIZER in roles_in_event(request.user, self.event)}
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True, context=context).data)


class ReviewOutputSerializer(serializers.ModelSerializer):
    reviewer = serializers.EmailField(source="reviewer.email")

    class Meta:
        model = Review
        fields = ["id", "reviewer", "score", "comment", "updated_at"]


class ApplicationReviewDetailApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = REVIEWER_ROLES

    class OutputSerializer(serializers.Serializer):
        application = MyApplicationOutputSerializer()
        my_review = ReviewOutputSerializer(allow_null=True)
        other_reviews = ReviewOutputSerializer(many=True, allow_null=True)
        others_visible = serializers.BooleanField()
        hidden_review_count = serializers.IntegerField()
        mean_score = serializers.FloatField(allow_null=True)
        review_count = serializers.IntegerField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request, event_slug, application_id):
        detail = selectors.application_review_get_visible(
            event=self.event, user=request.user, application_id=application_id
        )
        return Response(self.OutputSerializer(detail).data)


class ReviewSaveApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = REVIEWER_ROLES

    class InputSerializer(serializers.Serializer):
        score = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    @extend_schema(request=InputSerializer, responses=ReviewOutputSerializer)
    def post(self, request, event_slug, application_id):
        selectors.application_review_get_visible(event=self.event, user=request.user, application_id=application_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_save(
            event=self.event, application_id=application_id, reviewer=request.user, **data.validated_data
        )
        return Response(ReviewOutputSerializer(review).data)


class SelectionBoardApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)

    class EntrySerializer(serializers.Serializer):
        id = serializers.IntegerField(source="pk")
        email = serializers.EmailField(source="user.email")
        status = serializers.CharField()
        decision = serializers.CharField()
        waitlist_rank = serializers.IntegerField(allow_null=True)
        mean_score = serializers.FloatField(allow_null=True)
        review_count = serializers.IntegerField()

    class TrackSerializer(serializers.Serializer):
        track = serializers.CharField()
        quota = serializers.IntegerField(source="places", help_text="How many finalists the track takes (its places)")
        held = serializers.SerializerMethodField()
        proposed = serializers.SerializerMethodField()
        waitlist = serializers.SerializerMethodField()

        def get_held(self, row) -> list[dict]:
            return SelectionBoardApi.EntrySerializer(row["held"], many=True).data

        def get_proposed(self, row) -> list[dict]:
            return SelectionBoardApi.EntrySerializer(row["proposed"], many=True).data

        def get_waitlist(self, row) -> list[dict]:
            return SelectionBoardApi.EntrySerializer(row["waitlist"], many=True).data

    class OutputSerializer(serializers.Serializer):
        rsvp_deadline = serializers.DateTimeField(source="selection.rsvp_deadline", allow_null=True)
        decisions_sent_at = serializers.DateTimeField(source="selection.decisions_sent_at", allow_null=True)
        tracks = serializers.SerializerMethodField()

        def get_tracks(self, board) -> list[dict]:
            return SelectionBoardApi.TrackSerializer(board["tracks"], many=True).data

    @extend_schema(responses=OutputSerializer)
    def get(self, request, event_slug):
        board = selectors.selection_board_visible_to(event=self.event, user=request.user)
        return Response(self.OutputSerializer(board).data)


class SelectionSettingsUpdateApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)

    class InputSerializer(serializers.Serializer):
        quotas = serializers.DictField(
            child=serializers.IntegerField(min_value=0, max_value=MAX_TRACK_PLACES),
            help_text="Places per track: how many finalists each takes",
        )
        rsvp_deadline = serializers.DateTimeField(allow_null=True, validators=[validate_datetime_in_range])
        promoted_rsvp_hours = serializers.IntegerField(min_value=1, max_value=MAX_PROMOTED_RSVP_HOURS, default=48)
        waitlist_length = serializers.IntegerField(
            min_value=0, max_value=MAX_WAITLIST_LENGTH, allow_null=True, required=False
        )

    @extend_schema(request=InputSerializer, responses={204: None})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.selection_settings_update(
            event=self.event, updated_by=request.user, places=values.pop("quotas"), **values
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SelectionProposeApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)

    class TrackCountSerializer(serializers.Serializer):
        accept = serializers.IntegerField()
        waitlist = serializers.IntegerField()
        reject = serializers.IntegerField()

    class OutputSerializer(serializers.Serializer):
        pm = serializers.SerializerMethodField()
        frontend = serializers.SerializerMethodField()
        backend = serializers.SerializerMethodField()
        ai = serializers.SerializerMethodField()

        def _track(self, summary, track) -> dict:
            return SelectionProposeApi.TrackCountSerializer(summary[track]).data

        def get_pm(self, summary) -> dict:
            return self._track(summary, "pm")

        def get_frontend(self, summary) -> dict:
            return self._track(summary, "frontend")

        def get_backend(self, summary) -> dict:
            return self._track(summary, "backend")

        def get_ai(self, summary) -> dict:
            return self._track(summary, "ai")

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request, event_slug):
        summary = services.selection_propose(event=self.event, proposed_by=request.user)
        return Response(self.OutputSerializer(summary).data)


class SelectionAdjustApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)

    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=Application.Decision.choices)
        waitlist_rank = serializers.IntegerField(
            min_value=1, max_value=MAX_WAITLIST_RANK, required=False, allow_null=True
        )

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Application
            fields = ["id", "track", "status", "decision", "waitlist_rank"]

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request, event_slug, application_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            application = services.selection_adjust(
                event=self.event, application_id=application_id, adjusted_by=request.user, **data.validated_data
            )
        except PermissionDenied:
            raise Http404 from None  # an application of another event: do not reveal it exists
        return Response(self.OutputSerializer(application).data)


class SelectionSendApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)

    class OutputSerializer(serializers.Serializer):
        accepted = serializers.IntegerField()
        waitlisted = serializers.IntegerField()
        rejected = serializers.IntegerField()

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request, event_slug):
        counts = services.selection_decisions_send(event=self.event, sent_by=request.user)
        return Response(self.OutputSerializer({str(status): n for status, n in counts.items()}).data)


class CheckinApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)

    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=500)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="application.pk")
        email = serializers.EmailField(source="application.user.email")
        track = serializers.CharField(source="application.track")
        checked_in_at = serializers.DateTimeField(source="application.checked_in_at")
        newly = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application, newly = services.checkin_record(
            event=self.event, checked_in_by=request.user, token=data.validated_data["code"]
        )
        return Response(self.OutputSerializer({"application": application, "newly": newly}).data)
