"""Judging API: /api/v1/events/<event_slug>/judging/... One APIView per operation.

Judges see and write only their own scores; rankings are for organizers; results are public once published.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon.api import EventApiMixin
from hackathon.models import EventRole
from hackathon.permissions import EventRolePermission, is_organizer
from judging import selectors, services
from judging.models import Assignment, Award, Conflict, Criterion, JudgingSettings, Score
from teams.api import PersonSerializer
from teams.models import Team

Role = EventRole.Role


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CriterionOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        model = Criterion
        fields = ["id", "key", "name", "name_en", "name_ko", "description", "weight", "scale_min", "scale_max", "order"]


class SettingsOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = JudgingSettings
        fields = [
            "state",
            "opened_at",
            "closed_at",
            "judges_per_team",
            "min_scores_for_normalization",
            "method",
            "results_published_at",
        ]


class ConflictOutputSerializer(serializers.ModelSerializer):
    judge = PersonSerializer()
    team = TeamRefSerializer()
    is_active = serializers.BooleanField()

    class Meta:
        model = Conflict
        fields = ["id", "judge", "team", "source", "reason", "is_active", "cleared_reason", "cleared_at", "created_at"]


class AssignmentOutputSerializer(serializers.ModelSerializer):
    judge = PersonSerializer()
    team = TeamRefSerializer()

    class Meta:
        model = Assignment
        fields = ["id", "judge", "team"]


class ScoreOutputSerializer(serializers.ModelSerializer):
    judge = PersonSerializer()
    team = TeamRefSerializer()
    criterion = serializers.CharField(source="criterion.key")

    class Meta:
        model = Score
        fields = ["id", "judge", "team", "criterion", "value", "comment", "state", "updated_at", "submitted_at"]


class MethodScoresSerializer(serializers.Serializer):
    raw = serializers.FloatField(allow_null=True)
    zscore = serializers.FloatField(allow_null=True)
    bias = serializers.FloatField(allow_null=True)


class MethodRanksSerializer(serializers.Serializer):
    raw = serializers.IntegerField()
    zscore = serializers.IntegerField()
    bias = serializers.IntegerField()


class RankingRowSerializer(serializers.Serializer):
    team = TeamRefSerializer()
    judges = serializers.IntegerField()
    scores = MethodScoresSerializer(help_text="Points out of 100 per method (judging/AGGREGATION.md).")
    ranks = MethodRanksSerializer()
    spread = serializers.FloatField(allow_null=True)
    agreement = serializers.FloatField(allow_null=True)
    method_sensitive = serializers.BooleanField()


class RankingOutputSerializer(serializers.Serializer):
    method = serializers.CharField()
    results = RankingRowSerializer(many=True)


class AwardOutputSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.key")
    category_name = serializers.CharField(source="category.name")
    team = TeamRefSerializer()

    class Meta:
        model = Award
        fields = ["id", "category", "category_name", "place", "team", "overridden", "reason"]


class ResultFiguresSerializer(serializers.Serializer):
    throughput_per_second = serializers.FloatField(allow_null=True)
    latency_p99_ms = serializers.FloatField(allow_null=True)
    cost_per_1k = serializers.DecimalField(max_digits=14, decimal_places=6, allow_null=True)
    currency = serializers.CharField(allow_blank=True)
    run_label = serializers.CharField(allow_blank=True, help_text="Where the throughput came from: NPU or CPU run.")
    speedup = serializers.FloatField(allow_null=True)


class ResultOutputSerializer(serializers.Serializer):
    award = AwardOutputSerializer()
    figures = ResultFiguresSerializer()


def _result_row(row) -> dict:
    evidence = row["evidence"]
    best, cost, p99 = evidence.best_throughput, evidence.best_cost_per_1k, evidence.best_p99
    return {
        "award": row["award"],
        "figures": {
            "throughput_per_second": best.value if best else None,
            "latency_p99_ms": p99.value if p99 else None,
            "cost_per_1k": cost.value if cost else None,
            "currency": cost.figures.currency if cost else "",
            "run_label": best.figures.run_label if best else "",
            "speedup": evidence.comparison.speedup if evidence.comparison else None,
        },
    }


class JudgingApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles: tuple[str, ...] = (Role.JUDGE, Role.ORGANIZER)


class OrganizerApi(JudgingApi):
    event_roles = (Role.ORGANIZER,)


class JudgeApi(JudgingApi):
    event_roles = (Role.JUDGE,)


class OkSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- criteria and the window ---------------------------------------------------------------------


class CriterionListApi(JudgingApi):
    event_roles = (Role.JUDGE, Role.ORGANIZER, Role.PARTICIPANT, Role.MENTOR)

    @extend_schema(responses=CriterionOutputSerializer(many=True))
    def get(self, request, event_slug):
        return Response(CriterionOutputSerializer(selectors.criteria_of(self.event), many=True).data)


class CriterionUpdateApi(OrganizerApi):
    class InputSerializer(serializers.Serializer):
        name_en = serializers.CharField(max_length=100, required=False)
        name_ko = serializers.CharField(max_length=100, required=False, allow_blank=True)
        description_en = serializers.CharField(max_length=1000, required=False, allow_blank=True)
        description_ko = serializers.CharField(max_length=1000, required=False, allow_blank=True)
        weight = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
        scale_min = serializers.IntegerField(min_value=0, max_value=100, required=False)
        scale_max = serializers.IntegerField(min_value=1, max_value=100, required=False)
        order = serializers.IntegerField(min_value=0, max_value=1000, required=False)

    @extend_schema(request=InputSerializer, responses=CriterionOutputSerializer)
    def post(self, request, event_slug, criterion_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.criteria_ensure(self.event)
        criterion = get_object_or_404(Criterion, pk=criterion_id, event=self.event)
        criterion = services.criterion_update(
            event=self.event, criterion_id=criterion.pk, updated_by=request.user, **data.validated_data
        )
        return Response(CriterionOutputSerializer(criterion).data)


class WindowApi(JudgingApi):
    @extend_schema(responses=SettingsOutputSerializer)
    def get(self, request, event_slug):
        return Response(SettingsOutputSerializer(selectors.judging_settings_of(self.event)).data)


class WindowOpenApi(OrganizerApi):
    @extend_schema(request=None, responses=SettingsOutputSerializer)
    def post(self, request, event_slug):
        return Response(SettingsOutputSerializer(services.judging_open(event=self.event, opened_by=request.user)).data)


class WindowCloseApi(OrganizerApi):
    @extend_schema(request=None, responses=SettingsOutputSerializer)
    def post(self, request, event_slug):
        return Response(SettingsOutputSerializer(services.judging_close(event=self.event, closed_by=request.user)).data)


class SettingsUpdateApi(OrganizerApi):
    class InputSerializer(serializers.Serializer):
        judges_per_team = serializers.IntegerField(min_value=0, max_value=100, required=False)
        min_scores_for_normalization = serializers.IntegerField(min_value=2, max_value=100, required=False)
        method = serializers.ChoiceField(choices=JudgingSettings.Method.choices, required=False)

    @extend_schema(request=InputSerializer, responses=SettingsOutputSerializer)
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        settings = services.judging_settings_update(event=self.event, updated_by=request.user, **data.validated_data)
        return Response(SettingsOutputSerializer(settings).data)


# --- conflicts and assignments --------------------------------------------------------------------


class ConflictListApi(JudgingApi):
    """Organizers: every conflict. A judge: their own."""

    @extend_schema(responses=ConflictOutputSerializer(many=True))
    def get(self, request, event_slug):
        if is_organizer(request.user, self.event):
            conflicts = selectors.conflicts_of_event(event=self.event)
        else:
            conflicts = selectors.conflicts_of_judge(event=self.event, judge=request.user)
        return Response(ConflictOutputSerializer(conflicts, many=True).data)


class ConflictDeclareApi(JudgeApi):
    class InputSerializer(serializers.Serializer):
        team = serializers.IntegerField()
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=InputSerializer, responses={201: ConflictOutputSerializer})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = get_object_or_404(Team, pk=data.validated_data["team"], event=self.event)
        conflict = services.conflict_declare(
            event=self.event, judge=request.user, team_id=team.pk, reason=data.validated_data["reason"]
        )
        return Response(ConflictOutputSerializer(conflict).data, status=status.HTTP_201_CREATED)


class ConflictRecordApi(OrganizerApi):
    class InputSerializer(serializers.Serializer):
        judge = serializers.IntegerField()
        team = serializers.IntegerField()
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=InputSerializer, responses={201: ConflictOutputSerializer})
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = get_object_or_404(Team, pk=data.validated_data["team"], event=self.event)
        judge = get_object_or_404(selectors.judges_of(self.event), pk=data.validated_data["judge"])
        conflict = services.conflict_record(
            event=self.event, judge_id=judge.pk, team_id=team.pk, reason=data.validated_data["reason"],
            recorded_by=request.user,
        )  # fmt: skip
        return Response(ConflictOutputSerializer(conflict).data, status=status.HTTP_201_CREATED)


class ConflictClearApi(OrganizerApi):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=InputSerializer, responses=ConflictOutputSerializer)
    def post(self, request, event_slug, conflict_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conflict = get_object_or_404(Conflict, pk=conflict_id, event=self.event)
        conflict = services.conflict_clear(
            event=self.event, conflict_id=conflict.pk, reason=data.validated_data["reason"], cleared_by=request.user
        )
        return Response(ConflictOutputSerializer(conflict).data)


class AssignmentListApi(JudgingApi):
    """Organizers: every assignment. A judge: their own."""

    @extend_schema(responses=AssignmentOutputSerializer(many=True))
    def get(self, request, event_slug):
        assignments = Assignment.objects.filter(event=self.event).select_related("judge", "team")
        if not is_organizer(request.user, self.event):
            assignments = assignments.filter(judge=request.user)
        return Response(AssignmentOutputSerializer(assignments, many=True).data)


class AssignmentRebuildApi(OrganizerApi):
    class OutputSerializer(serializers.Serializer):
        added = serializers.IntegerField()
        removed = serializers.IntegerField()
        total = serializers.IntegerField()

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request, event_slug):
        return Response(
            self.OutputSerializer(services.assignments_rebuild(event=self.event, rebuilt_by=request.user)).data
        )


# --- scores ---------------------------------------------------------------------------------------


class ScoreListApi(JudgingApi):
    """A judge: their own scores (everyone's after judging closes). Organizers: every score."""

    @extend_schema(responses=ScoreOutputSerializer(many=True))
    def get(self, request, event_slug):
        return Response(
            ScoreOutputSerializer(selectors.scores_visible_to(user=request.user, event=self.event), many=True).data
        )


class ScoreDetailApi(JudgingApi):
    @extend_schema(responses=ScoreOutputSerializer)
    def get(self, request, event_slug, score_id):
        score = selectors.score_get_visible(user=request.user, event=self.event, score_id=score_id)
        if score is None:
            raise Http404
        return Response(ScoreOutputSerializer(score).data)


class ScoreSaveApi(JudgeApi):
    class InputSerializer(serializers.Serializer):
        team = serializers.IntegerField()
        criterion = serializers.IntegerField()
        value = serializers.IntegerField(min_value=0, max_value=100)
        comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=ScoreOutputSerializer)
    def post(self, request, event_slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if selectors.assignment_of_judge(event=self.event, judge=request.user, team_id=values["team"]) is None:
            raise Http404
        criterion = get_object_or_404(Criterion, pk=values["criterion"], event=self.event)
        score = services.score_save(
            event=self.event, judge=request.user, team_id=values["team"], criterion_id=criterion.pk,
            value=values["value"], comment=values["comment"],
        )  # fmt: skip
        return Response(ScoreOutputSerializer(score).data)


class TeamScoresInputSerializer(serializers.Serializer):
    team = serializers.IntegerField()


class ScoresSubmitApi(JudgeApi):
    @extend_schema(request=TeamScoresInputSerializer, responses=ScoreOutputSerializer(many=True))
    def post(self, request, event_slug):
        data = TeamScoresInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team_id = data.validated_data["team"]
        if selectors.assignment_of_judge(event=self.event, judge=request.user, team_id=team_id) is None:
            raise Http404
        scores = services.scores_submit(event=self.event, judge=request.user, team_id=team_id)
        return Response(ScoreOutputSerializer(scores, many=True).data)


class ScoresWithdrawApi(JudgeApi):
    @extend_schema(request=TeamScoresInputSerializer, responses=OkSerializer)
    def post(self, request, event_slug):
        data = TeamScoresInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team_id = data.validated_data["team"]
        if selectors.assignment_of_judge(event=self.event, judge=request.user, team_id=team_id) is None:
            raise Http404
        count = services.scores_withdraw(event=self.event, judge=request.user, team_id=team_id)
        return Response({"detail": f"{count} withdrawn"})


# --- rankings, awards, results --------------------------------------------------------------------


class RankingApi(OrganizerApi):
    @extend_schema(
        parameters=[OpenApiParameter("method", str, enum=JudgingSettings.Method.values, required=False)],
        responses=RankingOutputSerializer,
    )
    def get(self, request, event_slug):
        method = request.query_params.get("method")
        if method is not None and method not in JudgingSettings.Method.values:
            method = None
        return Response(RankingOutputSerializer(selectors.ranking_of_event(event=self.event, method=method)).data)


class AwardsConfirmApi(OrganizerApi):
    @extend_schema(request=None, responses=AwardOutputSerializer(many=True))
    def post(self, request, event_slug):
        services.awards_confirm(event=self.event, confirmed_by=request.user)
        return Response(AwardOutputSerializer(selectors.awards_of_event(event=self.event), many=True).data)


class AwardOverrideApi(OrganizerApi):
    class InputSerializer(serializers.Serializer):
        team = serializers.IntegerField()
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=InputSerializer, responses=AwardOutputSerializer)
    def post(self, request, event_slug, award_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        award = get_object_or_404(Award, pk=award_id, event=self.event)
        team = get_object_or_404(Team, pk=data.validated_data["team"], event=self.event)
        award = services.award_override(
            event=self.event, award_id=award.pk, team_id=team.pk, reason=data.validated_data["reason"],
            overridden_by=request.user,
        )  # fmt: skip
        return Response(AwardOutputSerializer(award).data)


class ResultsPublishApi(OrganizerApi):
    @extend_schema(request=None, responses=SettingsOutputSerializer)
    def post(self, request, event_slug):
        settings = services.results_publish(event=self.event, published_by=request.user)
        return Response(SettingsOutputSerializer(settings).data)


class ResultsApi(EventApiMixin, APIView):
    """Public once published; before that, organizers only (everyone else: 404)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ResultOutputSerializer(many=True))
    def get(self, request, event_slug):
        if not selectors.results_published(self.event) and not is_organizer(request.user, self.event):
            raise Http404
        rows = [_result_row(row) for row in selectors.results_of_event(event=self.event)]
        return Response(ResultOutputSerializer(rows, many=True).data)
