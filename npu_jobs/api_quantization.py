"""API for the quantization step: a team asks for an INT8 copy of one of its models, follows it, cancels it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon.api import EventApiMixin
from hackathon.permissions import EventRolePermission, Role
from npu_jobs import selectors
from npu_jobs.api import InputShapesField, ModelOutputSerializer, TeamApiMixin, data_with_file_list
from npu_jobs.models import ModelQuantization, NpuJob
from npu_jobs.services import quantization
from npu_jobs.services.quantization import QuantizationRequest


class QuantizationOutputSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name")
    source = ModelOutputSerializer()
    result = ModelOutputSerializer(allow_null=True)

    class Meta:
        model = ModelQuantization
        fields = [
            "id",
            "team",
            "source",
            "result",
            "state",
            "method",
            "calibration_kind",
            "preset",
            "sample_count",
            "input_shapes",
            "time_limit_seconds",
            "attempts",
            "max_attempts",
            "failure_kind",
            "failure_reason",
            "worker_host",
            "versions",
            "log",
            "created_at",
            "started_at",
            "finished_at",
        ]


class QuantizationListApi(EventApiMixin, APIView):
    """The caller's team's quantizations; every one of the event for organizers."""

    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(responses=QuantizationOutputSerializer(many=True))
    def get(self, request, event_slug):
        found = selectors.quantizations_visible_to(user=request.user, event=self.event)[:100]
        return Response(QuantizationOutputSerializer(found, many=True).data)


class QuantizationRequestApi(TeamApiMixin, APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        source_model_id = serializers.IntegerField()
        calibration_kind = serializers.ChoiceField(choices=ModelQuantization.CalibrationKind.choices)
        method = serializers.ChoiceField(
            choices=ModelQuantization.Method.choices, default=ModelQuantization.Method.MIN_MAX_ASYM
        )
        preset = serializers.ChoiceField(choices=NpuJob.Preset.choices, default="", allow_blank=True)
        sample_count = serializers.IntegerField(default=0, min_value=0)
        input_shapes = InputShapesField(default=dict)
        calibration_files = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    @extend_schema(request=InputSerializer, responses={201: QuantizationOutputSerializer})
    def post(self, request, event_slug):
        serializer = self.InputSerializer(data=data_with_file_list(request, "calibration_files"))
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        calibration_files = values.pop("calibration_files")
        queued = quantization.model_quantization_request(
            team=self.team(),
            requested_by=request.user,
            request=QuantizationRequest(**values),
            calibration_files=calibration_files,
        )
        return Response(QuantizationOutputSerializer(queued).data, status=status.HTTP_201_CREATED)


class QuantizationDetailApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(responses=QuantizationOutputSerializer)
    def get(self, request, event_slug, quantization_id):
        found = selectors.quantization_get(user=request.user, event=self.event, quantization_id=quantization_id)
        return Response(QuantizationOutputSerializer(found).data)


class QuantizationCancelApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(request=None, responses=QuantizationOutputSerializer)
    def post(self, request, event_slug, quantization_id):
        found = selectors.quantization_get(user=request.user, event=self.event, quantization_id=quantization_id)
        cancelled = quantization.model_quantization_cancel(quantization_id=found.pk, cancelled_by=request.user)
        return Response(QuantizationOutputSerializer(cancelled).data)
