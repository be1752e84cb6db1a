"""Submissions API: /api/v1/events/<event_slug>/submissions/... The caller's team's submission; one APIView per
operation. Unknown or foreign ids answer 404 (core/api.py)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon.api import EventApiMixin
from hackathon.models import EventRole
from hackathon.permissions import EventRolePermission
from npu_jobs.models import NpuJob
from submissions import selectors, services
from submissions.models import Category, EvidencePin, SubmissionFile, SubmissionVersion
from teams.models import Team
from teams.selectors import team_of_user


class VersionOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", default="")

    class Meta:
        model = SubmissionVersion
        fields = ["number", "author", "created_at", *SubmissionVersion.TEXT_FIELDS, "submitted_at", "frozen_at"]


class FileOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubmissionFile
        fields = ["id", "kind", "name", "sha256", "size_bytes", "content_type", "uploaded_at"]


class FiguresOutputSerializer(serializers.Serializer):
    run_kind = serializers.CharField()
    run_label = serializers.CharField()
    backend = serializers.CharField()
    device = serializers.CharField()
    throughput_per_second = serializers.FloatField(allow_null=True)
    latency_p50_ms = serializers.FloatField(allow_null=True)
    latency_p99_ms = serializers.FloatField(allow_null=True)
    cost_per_1k = serializers.DecimalField(max_digits=14, decimal_places=6, allow_null=True)
    currency = serializers.CharField()


class PinOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    job = serializers.IntegerField(source="job_id")
    role = serializers.ChoiceField(choices=EvidencePin.Role.choices)
    note = serializers.CharField()


class SubmissionApiBase(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (EventRole.Role.PARTICIPANT,)

    def team(self) -> Team:
        team = team_of_user(user=self.request.user, event=self.event)
        if team is None:
            raise Http404
        return team

    def call(self, function):
        try:
            return function()
        except PermissionDenied as error:
            raise Http404 from error


class SubmissionApi(SubmissionApiBase):
    class OutputSerializer(serializers.Serializer):
        state = serializers.ChoiceField(choices=["nothing", "draft", "submitted", "locked"])
        deadline = serializers.DateTimeField()
        time_zone = serializers.CharField()
        extension_reason = serializers.CharField(allow_blank=True)
        current_version = VersionOutputSerializer(allow_null=True)
        submitted_version = VersionOutputSerializer(allow_null=True)
        checks = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request, event_slug):
        team = self.team()
        status_ = selectors.status_of_team(team)
        submission = status_.submission
        data = {
            "state": status_.state,
            "deadline": status_.deadline,
            "time_zone": self.event.time_zone,
            "extension_reason": status_.extension.reason if status_.extension else "",
            "current_version": submission.current_version if submission else None,
            "submitted_version": status_.submitted_version,
            "checks": selectors.checks_of_submission(submission),
        }
        return Response(self.OutputSerializer(data).data)


class SubmissionSaveApi(SubmissionApiBase):
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=120, required=False, allow_blank=True)
        summary = serializers.CharField(max_length=200, required=False, allow_blank=True)
        description = serializers.CharField(max_length=20000, required=False, allow_blank=True)
        repository_url = serializers.URLField(required=False, allow_blank=True)
        demo_video_url = serializers.URLField(required=False, allow_blank=True)
        category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
        claim = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: VersionOutputSerializer})
    def post(self, request, event_slug):
        team = self.team()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = self.call(
            lambda: services.submission_version_save(team=team, author=request.user, data=serializer.validated_data)
        )
        return Response(VersionOutputSerializer(version).data, status=status.HTTP_201_CREATED)


class SubmissionSubmitApi(SubmissionApiBase):
    @extend_schema(request=None, responses=VersionOutputSerializer)
    def post(self, request, event_slug):
        team = self.team()
        version = self.call(lambda: services.submission_submit(team=team, submitted_by=request.user))
        return Response(VersionOutputSerializer(version).data)


class VersionListApi(SubmissionApiBase):
    @extend_schema(responses=VersionOutputSerializer(many=True))
    def get(self, request, event_slug):
        submission = selectors.submission_of_team(self.team())
        versions = selectors.versions_of_submission(submission) if submission else []
        return Response(VersionOutputSerializer(versions, many=True).data)


class FileListApi(SubmissionApiBase):
    @extend_schema(responses=FileOutputSerializer(many=True))
    def get(self, request, event_slug):
        submission = selectors.submission_of_team(self.team())
        files = selectors.live_files_of_submission(submission) if submission else []
        return Response(FileOutputSerializer(files, many=True).data)


class FileUploadApi(SubmissionApiBase):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=SubmissionFile.Kind.choices)
        file = serializers.FileField()

    @extend_schema(request=InputSerializer, responses={201: FileOutputSerializer})
    def post(self, request, event_slug):
        team = self.team()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        stored = self.call(
            lambda: services.submission_file_upload(
                team=team, uploaded_by=request.user, kind=data["kind"], upload=data["file"]
            )
        )
        return Response(FileOutputSerializer(stored).data, status=status.HTTP_201_CREATED)


class FileRemoveApi(SubmissionApiBase):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, event_slug, file_id):
        team = self.team()
        get_object_or_404(SubmissionFile, pk=file_id, submission__team=team, removed_at__isnull=True)
        self.call(lambda: services.submission_file_remove(team=team, file_id=file_id, removed_by=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PinListApi(SubmissionApiBase):
    class OutputSerializer(serializers.Serializer):
        job = serializers.IntegerField(source="job.pk")
        role = serializers.ChoiceField(choices=EvidencePin.Role.choices)
        note = serializers.CharField()
        figures = FiguresOutputSerializer()

    class PairOutputSerializer(serializers.Serializer):
        npu_job = serializers.IntegerField(source="npu.job.pk")
        cpu_job = serializers.IntegerField(source="cpu.job.pk")
        speedup = serializers.FloatField(source="ratios.speedup", allow_null=True)
        cost_ratio = serializers.FloatField(source="ratios.cost_ratio", allow_null=True)

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, event_slug):
        submission = selectors.submission_of_team(self.team())
        rows = selectors.evidence_of_submission(submission).rows if submission else []
        return Response(self.OutputSerializer(rows, many=True).data)


class PinRatiosApi(SubmissionApiBase):
    @extend_schema(responses=PinListApi.PairOutputSerializer(many=True))
    def get(self, request, event_slug):
        submission = selectors.submission_of_team(self.team())
        pairs = selectors.evidence_of_submission(submission).pairs if submission else []
        return Response(PinListApi.PairOutputSerializer(pairs, many=True).data)


class PinAddApi(SubmissionApiBase):
    class InputSerializer(serializers.Serializer):
        job = serializers.IntegerField()
        role = serializers.ChoiceField(choices=EvidencePin.Role.choices, required=False, allow_blank=True)
        note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: PinOutputSerializer})
    def post(self, request, event_slug):
        team = self.team()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = get_object_or_404(NpuJob, pk=data["job"], team=team)
        pin = self.call(
            lambda: services.evidence_pin_add(
                team=team, job_id=job.pk, role=data.get("role", ""), note=data.get("note", ""), pinned_by=request.user
            )
        )
        return Response(PinOutputSerializer(pin).data, status=status.HTTP_201_CREATED)


class PinRemoveApi(SubmissionApiBase):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, event_slug, pin_id):
        team = self.team()
        get_object_or_404(EvidencePin, pk=pin_id, submission__team=team)
        self.call(lambda: services.evidence_pin_remove(team=team, pin_id=pin_id, removed_by=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
