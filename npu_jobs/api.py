"""The API mirrors the pages: /api/v1/events/<event_slug>/jobs/... One view per operation."""

from django.http import FileResponse, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from hackathon.api import EventApiMixin
from hackathon.permissions import EventRolePermission, Role
from npu_jobs import selectors
from npu_jobs.figures import pair_ratios
from npu_jobs.models import CloudResource, NpuJob, OnnxModel, QuotaLedgerEntry, ResourcePool, TeamQuota, WorkerHost
from npu_jobs.services import files, jobs, onnx_models, pools, quota
from npu_jobs.services.jobs import JobRequest
from npu_jobs.services.quota import MAX_CONCURRENT_JOBS, MAX_DAILY_JOBS
from teams.models import Team


class JobOutputSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name")
    model = serializers.CharField(source="model.name")
    model_id = serializers.IntegerField()
    run_label = serializers.CharField()
    run_kind = serializers.CharField(
        help_text="queued, preparing, not_run, no_worker, simulated, cpu_fallback, cpu or npu: what actually happened"
    )
    target_label = serializers.CharField()

    class Meta:
        model = NpuJob
        fields = [
            "id",
            "team",
            "model",
            "model_id",
            "state",
            "target",
            "target_label",
            "queue",
            "cpu_fallback",
            "run_kind",
            "run_label",
            "simulated",
            "batch_size",
            "iterations",
            "warmup",
            "input_kind",
            "preset",
            "input_shapes",
            "time_limit_seconds",
            "budget_seconds",
            "attempts",
            "max_attempts",
            "failure_kind",
            "failure_reason",
            "backend",
            "device",
            "worker_host",
            "versions",
            "progress_done",
            "progress_total",
            "load_seconds",
            "warmup_seconds",
            "loop_seconds",
            "latency_min_ms",
            "latency_mean_ms",
            "latency_p50_ms",
            "latency_p95_ms",
            "latency_p99_ms",
            "throughput_per_second",
            "inferences",
            "device_seconds",
            "hourly_price",
            "currency",
            "cost",
            "load_cost",
            "cost_per_1k",
            "outputs",
            "created_at",
            "started_at",
            "finished_at",
        ]


class ModelOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OnnxModel
        fields = [
            "id",
            "name",
            "format",
            "size_bytes",
            "sha256",
            "opset",
            "is_quantized",
            "quantized_from",
            "inputs",
            "outputs",
            "created_at",
        ]


class QuotaOutputSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name")
    device_seconds_available = serializers.DecimalField(max_digits=14, decimal_places=3)
    cpu_seconds_available = serializers.DecimalField(max_digits=14, decimal_places=3)

    class Meta:
        model = TeamQuota
        fields = [
            "team",
            "device_seconds_granted",
            "device_seconds_reserved",
            "device_seconds_used",
            "device_seconds_available",
            "cpu_seconds_granted",
            "cpu_seconds_reserved",
            "cpu_seconds_used",
            "cpu_seconds_available",
            "max_concurrent_jobs",
            "daily_job_cap",
            "cloud_credits",
            "cloud_hours",
        ]


class LedgerOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuotaLedgerEntry
        fields = [
            "id",
            "kind",
            "resource",
            "device_seconds",
            "cloud_credits",
            "cloud_hours",
            "available_after",
            "job",
            "reason",
            "created_at",
        ]


def data_with_file_list(request, name: str) -> dict:
    """The request's data with every file sent under `name` as one list (a QueryDict's items() keeps the last)."""
    data = dict(request.data.items()) if hasattr(request.data, "items") else request.data
    if hasattr(request.data, "getlist"):
        data[name] = request.data.getlist(name)
    return data


class TeamApiMixin(EventApiMixin):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT,)

    def team(self):
        return selectors.team_for_participant(user=self.request.user, event=self.event)


class JobListApi(EventApiMixin, APIView):
    """The caller's team's jobs; every job of the event for organizers."""

    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(responses=JobOutputSerializer(many=True))
    def get(self, request, event_slug):
        job_list = selectors.jobs_visible_to(user=request.user, event=self.event)
        state = request.query_params.get("state")
        if state:
            job_list = job_list.filter(state=state)
        return Response(JobOutputSerializer(job_list[:200], many=True).data)


class InputShapesField(serializers.DictField):
    """{"input name": [1, 3, 480, 640]}: at most 16 inputs of at most 8 dimensions, each dimension 1–65,536."""

    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.ListField(
                child=serializers.IntegerField(min_value=1, max_value=65_536), min_length=1, max_length=8
            ),
            **kwargs,
        )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) > 16:
            raise serializers.ValidationError("At most 16 inputs.")
        return value


class JobInputSerializer(serializers.Serializer):
    model_id = serializers.IntegerField(min_value=1)
    batch_size = serializers.IntegerField(default=1, min_value=1, max_value=1024)
    iterations = serializers.IntegerField(default=100, min_value=1, max_value=100_000)
    warmup = serializers.IntegerField(default=10, min_value=0, max_value=10_000)
    input_kind = serializers.ChoiceField(choices=NpuJob.InputKind.choices, default=NpuJob.InputKind.RANDOM)
    preset = serializers.ChoiceField(choices=NpuJob.Preset.choices, default="", allow_blank=True)
    input_shapes = InputShapesField(default=dict)
    time_limit_seconds = serializers.IntegerField(required=False, min_value=1, max_value=86_400)
    input_files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


def _job_request_values(request) -> tuple[dict, list]:
    serializer_class = request.parser_context["view"].InputSerializer
    serializer = serializer_class(data=data_with_file_list(request, "input_files"))
    serializer.is_valid(raise_exception=True)
    values = dict(serializer.validated_data)
    return values, values.pop("input_files")


class JobSubmitApi(TeamApiMixin, APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(JobInputSerializer):
        target = serializers.ChoiceField(choices=NpuJob.Target.choices)

    @extend_schema(request=InputSerializer, responses={201: JobOutputSerializer})
    def post(self, request, event_slug):
        values, input_files = _job_request_values(request)
        job = jobs.npu_job_submit(
            team=self.team(), submitted_by=request.user, request=JobRequest(**values), input_files=input_files
        )
        return Response(JobOutputSerializer(job).data, status=status.HTTP_201_CREATED)


class ComparisonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cpu_job = JobOutputSerializer()
    npu_job = JobOutputSerializer()
    speedup = serializers.FloatField(allow_null=True, help_text="NPU side throughput ÷ CPU side throughput")
    cost_ratio = serializers.FloatField(
        allow_null=True, help_text="NPU side ÷ CPU side steady-state cost per 1,000 inferences"
    )
    same_hardware = serializers.BooleanField(help_text="Both sides ran on the CPU: not an NPU speed-up")
    created_at = serializers.DateTimeField()

    def to_representation(self, comparison):
        ratios = pair_ratios(comparison.cpu_job, comparison.npu_job)
        return super().to_representation(
            {
                "id": comparison.pk,
                "cpu_job": comparison.cpu_job,
                "npu_job": comparison.npu_job,
                "speedup": ratios.speedup,
                "cost_ratio": ratios.cost_ratio,
                "same_hardware": ratios.same_hardware,
                "created_at": comparison.created_at,
            }
        )


class JobCompareApi(TeamApiMixin, APIView):
    """The same model and input on the CPU and on the NPU, as one request."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]
    InputSerializer = JobInputSerializer

    @extend_schema(request=JobInputSerializer, responses={201: ComparisonOutputSerializer})
    def post(self, request, event_slug):
        values, input_files = _job_request_values(request)
        comparison = jobs.npu_job_compare_submit(
            team=self.team(),
            submitted_by=request.user,
            request=JobRequest(target=NpuJob.Target.NPU, **values),
            input_files=input_files,
        )
        return Response(ComparisonOutputSerializer(comparison).data, status=status.HTTP_201_CREATED)


class JobComparisonDetailApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(responses=ComparisonOutputSerializer)
    def get(self, request, event_slug, comparison_id):
        comparison = selectors.comparison_get(user=request.user, event=self.event, comparison_id=comparison_id)
        return Response(ComparisonOutputSerializer(comparison).data)


class JobDetailApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(responses=JobOutputSerializer)
    def get(self, request, event_slug, job_id):
        return Response(JobOutputSerializer(selectors.job_get(user=request.user, event=self.event, job_id=job_id)).data)


class JobCancelApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(request=None, responses=JobOutputSerializer)
    def post(self, request, event_slug, job_id):
        job = selectors.job_get(user=request.user, event=self.event, job_id=job_id)
        job = jobs.npu_job_cancel(job_id=job.pk, cancelled_by=request.user)
        return Response(JobOutputSerializer(job).data)


class JobLogApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(responses={(200, "text/plain"): str})
    def get(self, request, event_slug, job_id):
        job = selectors.job_get(user=request.user, event=self.event, job_id=job_id)
        return HttpResponse(job.log, content_type="text/plain; charset=utf-8")


class ModelListApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(responses=ModelOutputSerializer(many=True))
    def get(self, request, event_slug):
        return Response(
            ModelOutputSerializer(
                selectors.models_visible_to(user=request.user, event=self.event)[:200], many=True
            ).data
        )


class ModelUploadApi(TeamApiMixin, APIView):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        name = serializers.CharField(required=False, default="")
        enf_input_shapes = serializers.CharField(required=False, default="")

    @extend_schema(request=InputSerializer, responses={201: ModelOutputSerializer})
    def post(self, request, event_slug):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        model = onnx_models.onnx_model_upload(
            team=self.team(),
            uploaded_by=request.user,
            upload=data["file"],
            name=data["name"],
            enf_input_shapes=data["enf_input_shapes"],
        )
        return Response(ModelOutputSerializer(model).data, status=status.HTTP_201_CREATED)


class ModelDownloadApi(EventApiMixin, APIView):
    permission_classes = [EventRolePermission]
    event_roles = (Role.PARTICIPANT, Role.ORGANIZER)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, event_slug, model_id):
        model = selectors.model_get(user=request.user, event=self.event, model_id=model_id)
        return FileResponse(
            open(files.media_path(model.file_path), "rb"),
            as_attachment=True,
            filename=f"model-{model.pk}.{model.format}",
        )


class QuotaApi(TeamApiMixin, APIView):
    class OutputSerializer(serializers.Serializer):
        quota = QuotaOutputSerializer(allow_null=True)
        ledger = LedgerOutputSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request, event_slug):
        team = self.team()
        return Response(
            self.OutputSerializer(
                {"quota": selectors.quota_of_team(team=team), "ledger": selectors.ledger_of_team(team=team)}
            ).data
        )


class OrganizerApiMixin(EventApiMixin):
    permission_classes = [EventRolePermission]
    event_roles = (Role.ORGANIZER,)


class QuotaListApi(OrganizerApiMixin, APIView):
    @extend_schema(responses=QuotaOutputSerializer(many=True))
    def get(self, request, event_slug):
        return Response(QuotaOutputSerializer(selectors.quotas_of_event(event=self.event), many=True).data)


class QuotaChangeApi(OrganizerApiMixin, APIView):
    class InputSerializer(serializers.Serializer):
        device_seconds = serializers.DecimalField(max_digits=14, decimal_places=3, default=0)
        cpu_seconds = serializers.DecimalField(max_digits=14, decimal_places=3, default=0)
        cloud_credits = serializers.DecimalField(max_digits=14, decimal_places=4, default=0)
        cloud_hours = serializers.DecimalField(max_digits=10, decimal_places=2, default=0)
        max_concurrent_jobs = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=MAX_CONCURRENT_JOBS
        )
        daily_job_cap = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=MAX_DAILY_JOBS
        )
        reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=QuotaOutputSerializer)
    def post(self, request, event_slug, team_id):
        team = Team.objects.filter(pk=team_id, event=self.event).first()
        if team is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = quota.quota_change(team=team, changed_by=request.user, **serializer.validated_data)
        return Response(QuotaOutputSerializer(result).data)


class QuotaSplitApi(OrganizerApiMixin, APIView):
    class InputSerializer(serializers.Serializer):
        pool_id = serializers.IntegerField()
        max_concurrent_jobs = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=MAX_CONCURRENT_JOBS
        )
        daily_job_cap = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=MAX_DAILY_JOBS
        )
        reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=QuotaOutputSerializer(many=True))
    def post(self, request, event_slug):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pool = self.event.resource_pools.filter(pk=data.pop("pool_id")).first()
        if pool is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        quotas = quota.quota_split_evenly(pool=pool, changed_by=request.user, **data)
        return Response(QuotaOutputSerializer(quotas, many=True).data)


class WorkerListApi(OrganizerApiMixin, APIView):
    class OutputSerializer(serializers.ModelSerializer):
        is_online = serializers.BooleanField()
        devices = serializers.SerializerMethodField()

        class Meta:
            model = WorkerHost
            fields = [
                "name",
                "hostname",
                "pid",
                "queues",
                "backends",
                "versions",
                "npu_status",
                "concurrency",
                "started_at",
                "last_heartbeat_at",
                "stopped_at",
                "is_online",
                "devices",
            ]

        def get_devices(self, host) -> list[dict]:
            return [
                {"index": d.index, "spec": d.spec, "firmware": d.firmware_version, "driver": d.driver_version}
                for d in host.devices.all()
            ]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, event_slug):
        return Response(self.OutputSerializer(selectors.workers_recent(event=self.event), many=True).data)


class ResourcePoolOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourcePool
        fields = [
            "id",
            "kind",
            "name",
            "hourly_price",
            "currency",
            "device_seconds_total",
            "cloud_credits_total",
            "allow_cpu_fallback",
            "created_at",
        ]


class CloudResourceOutputSerializer(serializers.ModelSerializer):
    """The secret is write-only in the API: organizers read it on the edit page, teams on their jobs page."""

    pool_name = serializers.CharField(source="pool.name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True, default=None)
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = CloudResource
        fields = [
            "id",
            "pool",
            "pool_name",
            "team",
            "team_name",
            "label",
            "host",
            "url",
            "login",
            "has_secret",
            "credits",
            "hours",
            "created_at",
        ]

    def get_has_secret(self, resource) -> bool:
        return bool(resource.secret)


class ResourcePoolListApi(OrganizerApiMixin, APIView):
    @extend_schema(responses=ResourcePoolOutputSerializer(many=True))
    def get(self, request, event_slug):
        pool_list = selectors.resource_pools_visible_to(user=request.user, event=self.event)
        return Response(ResourcePoolOutputSerializer(pool_list, many=True).data)


class ResourcePoolCreateApi(OrganizerApiMixin, APIView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ResourcePool.Kind.choices)
        name = serializers.CharField(max_length=100)
        hourly_price = serializers.DecimalField(max_digits=14, decimal_places=4, default=0)
        currency = serializers.CharField(max_length=8, default="USD")
        device_seconds_total = serializers.DecimalField(max_digits=14, decimal_places=3, default=0)
        cloud_credits_total = serializers.DecimalField(max_digits=14, decimal_places=4, default=0)
        allow_cpu_fallback = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses={201: ResourcePoolOutputSerializer})
    def post(self, request, event_slug):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pool = pools.resource_pool_create(event=self.event, created_by=request.user, **serializer.validated_data)
        return Response(ResourcePoolOutputSerializer(pool).data, status=status.HTTP_201_CREATED)


class ResourcePoolUpdateApi(OrganizerApiMixin, APIView):
    """Change the fields given; the kind is fixed when the pool is created."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100, required=False)
        hourly_price = serializers.DecimalField(max_digits=14, decimal_places=4, required=False)
        currency = serializers.CharField(max_length=8, required=False)
        device_seconds_total = serializers.DecimalField(max_digits=14, decimal_places=3, required=False)
        cloud_credits_total = serializers.DecimalField(max_digits=14, decimal_places=4, required=False)
        allow_cpu_fallback = serializers.BooleanField(required=False)

    @extend_schema(request=InputSerializer, responses=ResourcePoolOutputSerializer)
    def patch(self, request, event_slug, pool_id):
        pool = selectors.resource_pool_get(user=request.user, event=self.event, pool_id=pool_id)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        pool = pools.resource_pool_update(pool_id=pool.pk, updated_by=request.user, **serializer.validated_data)
        return Response(ResourcePoolOutputSerializer(pool).data)


class CloudResourceInputSerializer(serializers.Serializer):
    """Pools and teams are looked up within the URL's event only: any other id is 'does not exist'."""

    pool = serializers.PrimaryKeyRelatedField(queryset=ResourcePool.objects.none())
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none(), allow_null=True, required=False)
    label = serializers.CharField(max_length=100)
    host = serializers.CharField(max_length=200, required=False, allow_blank=True)
    url = serializers.URLField(max_length=200, required=False, allow_blank=True)
    login = serializers.CharField(max_length=200, required=False, allow_blank=True)
    secret = serializers.CharField(max_length=500, required=False, allow_blank=True, write_only=True)
    credits = serializers.DecimalField(max_digits=14, decimal_places=4, required=False)
    hours = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            self.fields["pool"].queryset = ResourcePool.objects.filter(event=event)
            self.fields["team"].queryset = Team.objects.filter(event=event)


class CloudResourceListApi(OrganizerApiMixin, APIView):
    @extend_schema(responses=CloudResourceOutputSerializer(many=True))
    def get(self, request, event_slug):
        resources = selectors.cloud_resources_visible_to(user=request.user, event=self.event)
        return Response(CloudResourceOutputSerializer(resources, many=True).data)


class CloudResourceCreateApi(OrganizerApiMixin, APIView):
    class InputSerializer(CloudResourceInputSerializer):
        pass

    @extend_schema(request=InputSerializer, responses={201: CloudResourceOutputSerializer})
    def post(self, request, event_slug):
        serializer = self.InputSerializer(data=request.data, event=self.event)
        serializer.is_valid(raise_exception=True)
        resource = pools.cloud_resource_create(created_by=request.user, **serializer.validated_data)
        return Response(CloudResourceOutputSerializer(resource).data, status=status.HTTP_201_CREATED)


class CloudResourceUpdateApi(OrganizerApiMixin, APIView):
    """Change the fields given. "team": null takes the resource back from its team; a team id hands it over."""

    class InputSerializer(CloudResourceInputSerializer):
        pass

    @extend_schema(request=InputSerializer, responses=CloudResourceOutputSerializer)
    def patch(self, request, event_slug, resource_id):
        resource = selectors.cloud_resource_get(user=request.user, event=self.event, resource_id=resource_id)
        serializer = self.InputSerializer(data=request.data, event=self.event, partial=True)
        serializer.is_valid(raise_exception=True)
        resource = pools.cloud_resource_update(
            resource_id=resource.pk, updated_by=request.user, **serializer.validated_data
        )
        return Response(CloudResourceOutputSerializer(resource).data)


class CloudResourceDeleteApi(OrganizerApiMixin, APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, event_slug, resource_id):
        resource = selectors.cloud_resource_get(user=request.user, event=self.event, resource_id=resource_id)
        pools.cloud_resource_delete(resource_id=resource.pk, deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, event_slug, resource_id):
        return self.post(request, event_slug, resource_id)
