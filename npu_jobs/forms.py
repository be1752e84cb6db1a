import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from npu_jobs.models import NpuJob, ResourcePool


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
        label=_("…or upload a model"), required=False,
        help_text=_("ONNX, or a compiled .enf for the NPU. At most %(mb)s MB.")
        % {"mb": settings.NPU_JOBS_MAX_UPLOAD_BYTES // (1024 * 1024)},
    )
    target = forms.ChoiceField(label=_("Target"), choices=NpuJob.Target.choices, initial=NpuJob.Target.CPU)
    input_kind = forms.ChoiceField(label=_("Input"), choices=NpuJob.InputKind.choices)
    input_files = MultipleFileField(label=_("Input files"), required=False,
                                    help_text=_("One .npy (or .npz), or up to 64 images."))
    preset = forms.ChoiceField(label=_("Preprocessing"), choices=NpuJob.Preset.choices, required=False)
    input_shapes = forms.CharField(
        label=_("Input shapes"), required=False, widget=forms.TextInput(attrs={"placeholder": '{"input": [1, 3, 480, 640]}'}),
        help_text=_("Only for inputs with dynamic dimensions (JSON)."),
    )
    batch_size = forms.IntegerField(label=_("Batch size"), min_value=1, max_value=1024, initial=1)
    iterations = forms.IntegerField(label=_("Iterations"), min_value=1, max_value=100_000, initial=100)
    warmup = forms.IntegerField(label=_("Warm-up iterations"), min_value=0, max_value=10_000, initial=10)
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=settings.NPU_JOBS_MAX_TIME_LIMIT_SECONDS,
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


class QuotaChangeForm(forms.Form):
    device_seconds = forms.DecimalField(label=_("Device-seconds (+ grant, − revoke)"), initial=0, decimal_places=3)
    cloud_credits = forms.DecimalField(label=_("Cloud credits (+/−)"), initial=0, decimal_places=4)
    cloud_hours = forms.DecimalField(label=_("Cloud hours (+/−)"), initial=0, decimal_places=2)
    max_concurrent_jobs = forms.IntegerField(label=_("Concurrent jobs"), min_value=1, required=False)
    daily_job_cap = forms.IntegerField(label=_("Jobs per day"), min_value=1, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class SplitForm(forms.Form):
    pool = forms.ModelChoiceField(label=_("Pool"), queryset=None)
    max_concurrent_jobs = forms.IntegerField(label=_("Concurrent jobs per team"), min_value=1, required=False)
    daily_job_cap = forms.IntegerField(label=_("Jobs per day per team"), min_value=1, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = ResourcePool.objects.filter(event=event)
