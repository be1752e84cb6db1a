import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import lazy_format
from npu_jobs.models import ModelQuantization, NpuJob, ResourcePool
from npu_jobs.services.quota import MAX_CONCURRENT_JOBS, MAX_DAILY_JOBS
from teams.models import Team


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def parse_shapes(text: str) -> dict:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(_('Write JSON, such as {"input": [1, 3, 224, 224]}.')) from exc
    if not isinstance(value, dict):
        raise forms.ValidationError(_('Write JSON, such as {"input": [1, 3, 224, 224]}.'))
    return value


class JobForm(forms.Form):
    model = forms.ModelChoiceField(label=_("Model from earlier jobs"), queryset=None, required=False)
    model_file = forms.FileField(
        label=_("…or upload a model"),
        required=False,
        # Formatted when shown, in the reader's language (a lazy string formatted here would freeze in English).
        help_text=lazy_format(
            _("ONNX, or a compiled .enf for the NPU. At most %(mb)s MB."),
            mb=settings.NPU_JOBS_MAX_UPLOAD_BYTES // (1024 * 1024),
        ),
    )
    target = forms.ChoiceField(label=_("Target"), choices=NpuJob.Target.choices, initial=NpuJob.Target.CPU)
    compare = forms.BooleanField(
        label=_("Run it on the CPU and on the NPU side by side"),
        required=False,
        help_text=_(
            "Two jobs with the same model and input: the result shows the speed-up and the cost ratio, each run "
            "labelled with the hardware that did it. Needs an INT8 model."
        ),
    )
    input_kind = forms.ChoiceField(label=_("Input"), choices=NpuJob.InputKind.choices)
    input_files = MultipleFileField(
        label=_("Input files"), required=False, help_text=_("One .npy (or .npz), or up to 64 images.")
    )
    preset = forms.ChoiceField(label=_("Preprocessing"), choices=NpuJob.Preset.choices, required=False)
    input_shapes = forms.CharField(
        label=_("Input shapes"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": '{"input": [1, 3, 480, 640]}'}),
        help_text=_("Only for inputs with dynamic dimensions (JSON)."),
    )
    batch_size = forms.IntegerField(label=_("Batch size"), min_value=1, max_value=1024, initial=1)
    iterations = forms.IntegerField(label=_("Iterations"), min_value=1, max_value=100_000, initial=100)
    warmup = forms.IntegerField(label=_("Warm-up iterations"), min_value=0, max_value=10_000, initial=10)
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=settings.NPU_JOBS_MAX_TIME_LIMIT_SECONDS,
        initial=settings.NPU_JOBS_DEFAULT_TIME_LIMIT_SECONDS,
        help_text=_("Reserved from your quota at submit; what the job does not use is released."),
    )

    def __init__(self, *args, models=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = models

    def clean_input_shapes(self):
        return parse_shapes(self.cleaned_data["input_shapes"])

    def clean(self):
        data = super().clean()
        if not data.get("model") and not data.get("model_file"):
            raise forms.ValidationError(_("Choose a model or upload one."))
        return data


class QuantizationForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Model to quantize"), queryset=None, help_text=_("One of your team's FP32 ONNX models.")
    )
    method = forms.ChoiceField(
        label=_("Calibration method"),
        choices=ModelQuantization.Method.choices,
        initial=ModelQuantization.Method.MIN_MAX_ASYM,
        help_text=_("Min-max is a safe start; try entropy or percentile if accuracy drops."),
    )
    calibration_kind = forms.ChoiceField(
        label=_("Samples"),
        choices=ModelQuantization.CalibrationKind.choices,
        initial=ModelQuantization.CalibrationKind.IMAGES,
    )
    preset = forms.ChoiceField(
        label=_("Preprocessing"),
        choices=NpuJob.Preset.choices,
        required=False,
        help_text=_("For images: how to turn them into the model's input."),
    )
    sample_count = forms.IntegerField(
        label=_("Random samples"),
        min_value=1,
        max_value=settings.NPU_JOBS_QUANTIZE_MAX_SAMPLES,
        required=False,
        initial=32,
        help_text=_("Only for random samples."),
    )
    calibration_files = MultipleFileField(
        label=_("Calibration files"),
        required=False,
        help_text=lazy_format(
            _("Up to %(n)s images, or one .npy shaped [samples, *input shape] (.npz: one array per input)."),
            n=settings.NPU_JOBS_QUANTIZE_MAX_SAMPLES,
        ),
    )
    input_shapes = forms.CharField(
        label=_("Input shapes"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": '{"input": [1, 3, 480, 640]}'}),
        help_text=_("Only for inputs with dynamic dimensions other than the batch (JSON)."),
    )

    def __init__(self, *args, models=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = models

    def clean_input_shapes(self):
        return parse_shapes(self.cleaned_data["input_shapes"])


class QuotaChangeForm(forms.Form):
    device_seconds = forms.DecimalField(
        label=_("Warboy NPU seconds (+ grant, − revoke)"), initial=0, decimal_places=3, max_digits=14
    )
    cpu_seconds = forms.DecimalField(
        label=_("CPU seconds (+ grant, − revoke)"), initial=0, decimal_places=3, max_digits=14, required=False
    )

    def clean_cpu_seconds(self):
        return self.cleaned_data["cpu_seconds"] or 0

    cloud_credits = forms.DecimalField(label=_("Cloud credits (+/−)"), initial=0, decimal_places=4)
    cloud_hours = forms.DecimalField(label=_("Cloud hours (+/−)"), initial=0, decimal_places=2)
    max_concurrent_jobs = forms.IntegerField(
        label=_("Concurrent jobs"), min_value=1, max_value=MAX_CONCURRENT_JOBS, required=False
    )
    daily_job_cap = forms.IntegerField(label=_("Jobs per day"), min_value=1, max_value=MAX_DAILY_JOBS, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class SplitForm(forms.Form):
    pool = forms.ModelChoiceField(label=_("Pool"), queryset=None)
    max_concurrent_jobs = forms.IntegerField(
        label=_("Concurrent jobs per team"), min_value=1, max_value=MAX_CONCURRENT_JOBS, required=False
    )
    daily_job_cap = forms.IntegerField(
        label=_("Jobs per day per team"), min_value=1, max_value=MAX_DAILY_JOBS, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = ResourcePool.objects.filter(event=event)


class FieldsetsMixin:
    """Groups the form's fields for the template: [(legend, [bound fields])], skipping fields the form dropped."""

    fieldsets: tuple = ()

    def grouped_fields(self):
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.fieldsets]


class ResourcePoolEditForm(FieldsetsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    hourly_price = forms.DecimalField(
        label=_("Price per device-hour"),
        min_value=0,
        max_digits=14,
        decimal_places=4,
        initial=0,
        help_text=_("Used to compute each job's cost."),
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=8, initial="USD", help_text=_("A currency code, such as USD or KRW.")
    )
    device_seconds_total = forms.DecimalField(
        label=_("Device-seconds to share"),
        min_value=0,
        max_digits=14,
        decimal_places=3,
        initial=0,
        help_text=_("What 'split evenly' divides among teams (NPU pools)."),
    )
    cloud_credits_total = forms.DecimalField(
        label=_("Cloud credits to share"),
        min_value=0,
        max_digits=14,
        decimal_places=4,
        initial=0,
        help_text=_("What 'split evenly' divides among teams (Alice Cloud pools)."),
    )
    allow_cpu_fallback = forms.BooleanField(
        label=_("Allow CPU fallback"),
        required=False,
        help_text=_("When no NPU worker is online, run NPU jobs on the CPU, labelled as CPU runs."),
    )

    fieldsets = (
        (_("Pool"), ("kind", "name")),
        (_("Price"), ("hourly_price", "currency")),
        (_("What teams share"), ("device_seconds_total", "cloud_credits_total", "allow_cpu_fallback")),
    )


class ResourcePoolForm(ResourcePoolEditForm):
    """Creating a pool also sets its kind, which stays fixed afterwards."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ResourcePool.Kind.choices)

    field_order = ("kind",)


class CloudResourceForm(FieldsetsMixin, forms.Form):
    pool = forms.ModelChoiceField(label=_("Pool"), queryset=None)
    label = forms.CharField(
        label=_("Label"), max_length=100, help_text=_("How you and the team tell it apart, such as alice-gpu-03.")
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("Not assigned"))
    host = forms.CharField(label=_("Host"), max_length=200, required=False)
    url = forms.URLField(label=_("URL"), max_length=200, required=False, assume_scheme="https")
    login = forms.CharField(
        label=_("Login"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    # Never rendered back into the page: the browser must not autofill the organizer's own password here either.
    secret = forms.CharField(
        label=_("Password or key"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    credits = forms.DecimalField(label=_("Credits"), min_value=0, max_digits=14, decimal_places=4, initial=0)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=10, decimal_places=2, initial=0)

    fieldsets = (
        (_("Resource"), ("pool", "label", "team")),
        (_("Access for the team"), ("host", "url", "login", "secret", "clear_secret")),
        (_("Allowance"), ("credits", "hours")),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = ResourcePool.objects.filter(event=event, kind=ResourcePool.Kind.CLOUD)
        self.fields["team"].queryset = Team.objects.filter(event=event).order_by("name")


class CloudResourceEditForm(CloudResourceForm):
    clear_secret = forms.BooleanField(label=_("Remove the password or key"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secret"].help_text = _("Leave empty to keep the current one.")

    def clean(self):
        data = super().clean()
        if data.get("clear_secret") and data.get("secret"):
            self.add_error("clear_secret", _("Either type a new password or key, or remove it; not both."))
        return data

    def secret_change(self) -> dict:
        """The service argument for the secret: a new one, an empty one, or none (keep it)."""
        if self.cleaned_data["clear_secret"]:
            return {"secret": ""}
        return {"secret": self.cleaned_data["secret"]} if self.cleaned_data["secret"] else {}


class CloudResourceAssignForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("Not assigned"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(event=event)
