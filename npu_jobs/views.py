import json

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.forms import form_add_domain_error
from core.sections import page_sections
from hackathon.decorators import event_page
from hackathon.permissions import Role
from npu_jobs import selectors
from npu_jobs.figures import pair_ratios
from npu_jobs.forms import (
    CloudResourceAssignForm,
    CloudResourceEditForm,
    CloudResourceForm,
    JobForm,
    QuantizationForm,
    QuotaChangeForm,
    ResourcePoolEditForm,
    ResourcePoolForm,
    SplitForm,
)
from npu_jobs.models import NpuJob, OnnxModel, ResourcePool
from npu_jobs.services import files, jobs, onnx_models, pools, quantization, quota
from npu_jobs.services.jobs import JobRequest
from teams.models import Team


# Shows the team's cloud passwords: never kept in a browser or proxy cache.
@never_cache
@event_page(Role.PARTICIPANT)
def job_list(request, event):
    team = selectors.team_for_participant(user=request.user, event=event)
    return render(
        request,
        "npu_jobs/job_list.html",
        {
            "team": team,
            "jobs": selectors.jobs_visible_to(user=request.user, event=event).filter(team=team)[:100],
            "quota": selectors.quota_of_team(team=team),
            "ledger": selectors.ledger_of_team(team=team, limit=30),
            "storage_used": selectors.team_storage_used(team=team),
            # What upper apps add to this page (utilization: the team's own usage and queue waits).
            "sections": page_sections("npu_jobs:job_list", request=request, event=event, team=team),
            "storage_allowance": settings.NPU_JOBS_TEAM_STORAGE_BYTES,
            "cloud_resources": selectors.cloud_resources_of_team(team=team),
            "models": OnnxModel.objects.filter(team=team).annotate(
                job_count=Count("jobs", distinct=True), quantization_count=Count("quantizations", distinct=True)
            )[:50],
            "quantizations": selectors.quantizations_visible_to(user=request.user, event=event).filter(team=team)[:20],
        },
    )


@event_page(Role.PARTICIPANT)
def job_submit(request, event):
    team = selectors.team_for_participant(user=request.user, event=event)
    # ?model=<id>&target=npu preselects, e.g. from a finished quantization's "Run it on the NPU".
    initial = {name: request.GET[name] for name in ("model", "target") if name in request.GET}
    model_inputs = selectors.model_inputs_of_team(team=team)
    # Prefill the shapes from the chosen (or newest) model's last run, so the first job does not fail on them.
    chosen = next((row for row in model_inputs if str(row["id"]) == str(initial.get("model", ""))), None)
    chosen = chosen or (model_inputs[0] if model_inputs else None)
    if chosen:
        initial.setdefault("model", chosen["id"])
        if chosen["last_shapes"]:
            initial["input_shapes"] = json.dumps(chosen["last_shapes"])
        elif chosen["suggested_shapes"]:
            initial["input_shapes"] = json.dumps(chosen["suggested_shapes"])
    form = JobForm(
        request.POST or None, request.FILES or None, initial=initial, models=OnnxModel.objects.filter(team=team)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploaded = None
        try:
            model = data["model"]
            if model is None:
                model = uploaded = onnx_models.onnx_model_upload(
                    team=team,
                    uploaded_by=request.user,
                    upload=data["model_file"],
                    enf_input_shapes=request.POST.get("input_shapes", ""),
                )
            job_request = JobRequest(
                model_id=model.pk,
                target=data["target"],
                batch_size=data["batch_size"],
                iterations=data["iterations"],
                warmup=data["warmup"],
                input_kind=data["input_kind"],
                preset=data["preset"] or "",
                input_shapes=data["input_shapes"],
                time_limit_seconds=data["time_limit_seconds"],
            )
            if data.get("compare"):
                comparison = jobs.npu_job_compare_submit(
                    team=team, submitted_by=request.user, input_files=data["input_files"], request=job_request
                )
            else:
                job = jobs.npu_job_submit(
                    team=team, submitted_by=request.user, input_files=data["input_files"], request=job_request
                )
        except DomainError as error:
            if uploaded is not None:  # a refused job keeps nothing of its request, the new model included
                onnx_models.onnx_model_delete(model_id=uploaded.pk, deleted_by=request.user)
            form_add_domain_error(form, error)
        else:
            if data.get("compare"):
                messages.success(request, _("The CPU and NPU runs are queued side by side."))
                return redirect("npu_jobs:comparison_detail", event_slug=event.slug, comparison_id=comparison.pk)
            messages.success(request, _("Job #%(id)s is queued.") % {"id": job.pk})
            return redirect("npu_jobs:job_detail", event_slug=event.slug, job_id=job.pk)
    return render(
        request,
        "npu_jobs/job_form.html",
        {
            "form": form,
            "team": team,
            "quota": selectors.quota_of_team(team=team),
            "model_inputs": model_inputs,
            "npu_online": selectors.npu_worker_online(queue="npu"),
        },
    )


@event_page(Role.PARTICIPANT)
def quantization_request(request, event):
    team = selectors.team_for_participant(user=request.user, event=event)
    initial = {"source": request.GET["model"]} if "model" in request.GET else {}
    form = QuantizationForm(
        request.POST or None, request.FILES or None, initial=initial, models=selectors.models_to_quantize(team=team)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            queued = quantization.model_quantization_request(
                team=team,
                requested_by=request.user,
                calibration_files=data["calibration_files"],
                request=quantization.QuantizationRequest(
                    source_model_id=data["source"].pk,
                    calibration_kind=data["calibration_kind"],
                    method=data["method"],
                    preset=data["preset"] or "",
                    sample_count=data["sample_count"] or 0,
                    input_shapes=data["input_shapes"],
                ),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Quantization #%(id)s is queued.") % {"id": queued.pk})
            return redirect("npu_jobs:quantization_detail", event_slug=event.slug, quantization_id=queued.pk)
    return render(
        request,
        "npu_jobs/quantization_form.html",
        {
            "form": form,
            "team": team,
            "quantizer_online": selectors.npu_worker_online(queue="quantize"),
        },
    )


@event_page(Role.PARTICIPANT, Role.ORGANIZER)
def quantization_detail(request, event, quantization_id):
    found = selectors.quantization_get(user=request.user, event=event, quantization_id=quantization_id)
    template = "npu_jobs/_quantization_live.html" if request.htmx else "npu_jobs/quantization_detail.html"
    online = found.state != found.State.QUEUED or selectors.npu_worker_online(queue="quantize")
    return render(request, template, {"quantization": found, "quantizer_online": online})


@require_POST
@event_page(Role.PARTICIPANT, Role.ORGANIZER)
def quantization_cancel(request, event, quantization_id):
    found = selectors.quantization_get(user=request.user, event=event, quantization_id=quantization_id)
    quantization.model_quantization_cancel(quantization_id=found.pk, cancelled_by=request.user)
    messages.success(request, _("Cancel requested."))
    return redirect("npu_jobs:quantization_detail", event_slug=event.slug, quantization_id=found.pk)


@event_page(Role.PARTICIPANT, Role.ORGANIZER)
def job_detail(request, event, job_id):
    job = selectors.job_get(user=request.user, event=event, job_id=job_id)
    template = "npu_jobs/_job_live.html" if request.htmx else "npu_jobs/job_detail.html"
    context = {
        "job": job,
        "npu_online": job.state != NpuJob.State.QUEUED or selectors.npu_worker_online(queue=job.queue),
        "no_worker_minutes": round(settings.NPU_JOBS_NO_WORKER_AFTER_SECONDS / 60),
        # What upper apps add once the job has run (submissions: pin it as evidence), see core.sections.
        "sections": page_sections("npu_jobs:job_detail", request=request, event=event, job=job),
    }
    return render(request, template, context)


@event_page(Role.PARTICIPANT, Role.ORGANIZER)
def comparison_detail(request, event, comparison_id):
    comparison = selectors.comparison_get(user=request.user, event=event, comparison_id=comparison_id)
    ratios = pair_ratios(comparison.cpu_job, comparison.npu_job)
    context = {"comparison": comparison, "ratios": ratios, "sides": [ratios.baseline, ratios.candidate]}
    template = "npu_jobs/_comparison_live.html" if request.htmx else "npu_jobs/comparison_detail.html"
    return render(request, template, context)


@require_POST
@event_page(Role.PARTICIPANT)
def model_delete(request, event, model_id):
    model = selectors.model_get(user=request.user, event=event, model_id=model_id)
    try:
        onnx_models.onnx_model_delete(model_id=model.pk, deleted_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Model “%(name)s” deleted.") % {"name": model.name})
    return redirect("npu_jobs:job_list", event_slug=event.slug)


@require_POST
@event_page(Role.PARTICIPANT, Role.ORGANIZER)
def job_cancel(request, event, job_id):
    job = selectors.job_get(user=request.user, event=event, job_id=job_id)
    jobs.npu_job_cancel(job_id=job.pk, cancelled_by=request.user)
    messages.success(request, _("Cancel requested."))
    return redirect("npu_jobs:job_detail", event_slug=event.slug, job_id=job.pk)


@event_page(Role.PARTICIPANT, Role.ORGANIZER)
def job_log(request, event, job_id):
    job = selectors.job_get(user=request.user, event=event, job_id=job_id)
    response = HttpResponse(job.log, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="job-{job.pk}.log"'
    return response


@event_page(Role.PARTICIPANT, Role.ORGANIZER)
def model_download(request, event, model_id):
    model = selectors.model_get(user=request.user, event=event, model_id=model_id)
    extension = "enf" if model.format == OnnxModel.Format.ENF else "onnx"
    return FileResponse(
        open(files.media_path(model.file_path), "rb"), as_attachment=True, filename=f"model-{model.pk}.{extension}"
    )


@event_page(Role.ORGANIZER)
def organizer_overview(request, event):
    state = request.GET.get("state", "")
    all_jobs = selectors.jobs_visible_to(user=request.user, event=event)
    if state in NpuJob.State.values:
        all_jobs = all_jobs.filter(state=state)
    return render(
        request,
        "npu_jobs/organizer.html",
        {
            "jobs": all_jobs[:200],
            "states": NpuJob.State.choices,
            "state_filter": state,
            "workers": selectors.workers_recent(event=event),
            "quotas": selectors.quotas_of_event(event=event),
            "split_form": SplitForm(event=event),
            "change_form": QuotaChangeForm(),
            "teams": Team.objects.filter(event=event),
        },
    )


@require_POST
@event_page(Role.ORGANIZER)
def quota_split(request, event):
    form = SplitForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        quota.quota_split_evenly(
            pool=data["pool"],
            changed_by=request.user,
            reason=data["reason"],
            max_concurrent_jobs=data["max_concurrent_jobs"],
            daily_job_cap=data["daily_job_cap"],
        )
        messages.success(request, _("The pool was split evenly across the teams."))
    else:
        messages.error(request, _("Check the split form: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("npu_jobs:organizer_overview", event_slug=event.slug)


@event_page(Role.ORGANIZER)
def quota_change(request, event, team_id):
    team = get_object_or_404(Team, pk=team_id, event=event)
    form = QuotaChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quota.quota_change(team=team, changed_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Quota of %(team)s changed.") % {"team": team.name})
            return redirect("npu_jobs:organizer_overview", event_slug=event.slug)
    return render(
        request,
        "npu_jobs/quota_change.html",
        {
            "form": form,
            "team": team,
            "quota": selectors.quota_of_team(team=team),
            "ledger": selectors.ledger_of_team(team=team),
        },
    )


def _resources_page(request, event, *, pool_form=None, cloud_form=None):
    pool_list = list(selectors.resource_pools_visible_to(user=request.user, event=event))
    cloud_pool_ids = [pool.pk for pool in pool_list if pool.kind == ResourcePool.Kind.CLOUD]
    return render(
        request,
        "npu_jobs/resources.html",
        {
            "pools": pool_list,
            "has_cloud_pools": bool(cloud_pool_ids),
            "cloud_resources": selectors.cloud_resources_visible_to(user=request.user, event=event),
            "teams": list(Team.objects.filter(event=event).order_by("name")),
            "pool_form": pool_form or ResourcePoolForm(prefix="pool"),
            "cloud_form": cloud_form
            or CloudResourceForm(
                prefix="cloud", event=event, initial={"pool": cloud_pool_ids[0] if cloud_pool_ids else None}
            ),
        },
    )


@never_cache  # shows cloud access details
@event_page(Role.ORGANIZER)
def resources(request, event):
    return _resources_page(request, event)


@never_cache
@require_POST
@event_page(Role.ORGANIZER)
def pool_create(request, event):
    form = ResourcePoolForm(request.POST, prefix="pool")
    if form.is_valid():
        try:
            pool = pools.resource_pool_create(event=event, created_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The pool “%(name)s” was created.") % {"name": pool.name})
            return redirect("npu_jobs:resources", event_slug=event.slug)
    return _resources_page(request, event, pool_form=form)


@event_page(Role.ORGANIZER)
def pool_edit(request, event, pool_id):
    pool = selectors.resource_pool_get(user=request.user, event=event, pool_id=pool_id)
    form = ResourcePoolEditForm(
        request.POST or None, initial={name: getattr(pool, name) for name in ResourcePoolEditForm.base_fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            pool = pools.resource_pool_update(pool_id=pool.pk, updated_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The pool “%(name)s” was saved.") % {"name": pool.name})
            return redirect("npu_jobs:resources", event_slug=event.slug)
    return render(request, "npu_jobs/pool_form.html", {"form": form, "pool": pool})


@never_cache
@require_POST
@event_page(Role.ORGANIZER)
def cloud_resource_create(request, event):
    form = CloudResourceForm(request.POST, prefix="cloud", event=event)
    if form.is_valid():
        try:
            resource = pools.cloud_resource_create(created_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The cloud resource “%(label)s” was added.") % {"label": resource.label})
            return redirect("npu_jobs:resources", event_slug=event.slug)
    return _resources_page(request, event, cloud_form=form)


@never_cache  # shows cloud access details
@event_page(Role.ORGANIZER)
def cloud_resource_edit(request, event, resource_id):
    resource = selectors.cloud_resource_get(user=request.user, event=event, resource_id=resource_id)
    initial = {name: getattr(resource, name) for name in ("label", "host", "url", "login", "credits", "hours")}
    form = CloudResourceEditForm(
        request.POST or None, event=event, initial={**initial, "pool": resource.pool_id, "team": resource.team_id}
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("secret", "clear_secret")}
        try:
            resource = pools.cloud_resource_update(
                resource_id=resource.pk, updated_by=request.user, **fields, **form.secret_change()
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The cloud resource “%(label)s” was saved.") % {"label": resource.label})
            return redirect("npu_jobs:resources", event_slug=event.slug)
    return render(request, "npu_jobs/cloud_resource_form.html", {"form": form, "resource": resource})


@require_POST
@event_page(Role.ORGANIZER)
def cloud_resource_assign(request, event, resource_id):
    resource = selectors.cloud_resource_get(user=request.user, event=event, resource_id=resource_id)
    form = CloudResourceAssignForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose a team of this event."))
    else:
        team = form.cleaned_data["team"]
        pools.cloud_resource_update(resource_id=resource.pk, updated_by=request.user, team=team)
        if team:
            messages.success(
                request, _("“%(label)s” is now assigned to %(team)s.") % {"label": resource.label, "team": team.name}
            )
        else:
            messages.success(request, _("“%(label)s” is no longer assigned to a team.") % {"label": resource.label})
    return redirect("npu_jobs:resources", event_slug=event.slug)


@require_POST
@event_page(Role.ORGANIZER)
def cloud_resource_delete(request, event, resource_id):
    resource = selectors.cloud_resource_get(user=request.user, event=event, resource_id=resource_id)
    pools.cloud_resource_delete(resource_id=resource.pk, deleted_by=request.user)
    messages.success(request, _("The cloud resource “%(label)s” was deleted.") % {"label": resource.label})
    return redirect("npu_jobs:resources", event_slug=event.slug)
