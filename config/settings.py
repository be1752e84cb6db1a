"""HackNPU settings: one module, driven by environment variables.

Unset, everything runs on an embedded default (a SQLite file and a filesystem
Celery broker under ``var/``) so that ``make demo`` needs no server. Set
``DATABASE_URL`` / ``REDIS_URL`` and the same code runs on PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HACKNPU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# HTTPS=1 marks a deployment behind TLS: secure cookies, HSTS, redirects, and a real secret key.
HTTPS = env_bool("HTTPS", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if HTTPS:
        raise RuntimeError("SECRET_KEY must be set when HTTPS=1.")
    SECRET_KEY = "django-insecure-local-development-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Ours, in dependency order: seed_demo runs each app's demo.py in this order.
    "core",
    "accounts",
    "hackathon",
    "applications",
    "teams",
    "npu_jobs",
    "utilization",
    "mentoring",
    "submissions",
    "judging",
]

GITHUB_CLIENT_ID = os.environ.get("GITHUB_CLIENT_ID", "")
GITHUB_LOGIN_ENABLED = bool(GITHUB_CLIENT_ID)
if GITHUB_LOGIN_ENABLED:
    INSTALLED_APPS.append("allauth.socialaccount.providers.github")
    SOCIALACCOUNT_PROVIDERS = {
        "github": {
            "APPS": [
                {
                    "client_id": GITHUB_CLIENT_ID,
                    "secret": os.environ.get("GITHUB_CLIENT_SECRET", ""),
                }
            ],
            "SCOPE": ["user:email"],
        }
    }

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RememberLanguageMiddleware",
    "core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hackathon.context_processors.event_navigation",
            ],
            # money, hours, measured and ratio: every page shows figures the same way (core/templatetags/figures.py).
            "builtins": ["core.templatetags.figures"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database ---------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "hacknpu.sqlite3")),
            # Web and worker share the file: WAL lets them read while one writes,
            # IMMEDIATE makes writers queue instead of failing with "database is locked".
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not :memory:, so that a worker process in the tests can open the test database.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth -------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
# Log-in throttling, counted in the shared cache (below) so it holds across gunicorn workers and hosts:
# - per IP: 10 failed log-ins a minute and 60 an hour, whoever the accounts;
# - per account: 5 failed log-ins a minute. The window is short on purpose: a stranger who types an owner's email
#   wrong five times locks the owner out for a minute at most, while guessing stays capped by the per-IP limits.
#   A successful log-in does not count (allauth rolls its attempt back).
ACCOUNT_RATE_LIMITS = (
    {}
    if env_bool("DISABLE_RATE_LIMITS")
    else {
        "login_failed": os.environ.get("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,60/h/ip,5/m/key"),
        "login": "30/m/ip",
    }
)
SOCIALACCOUNT_ONLY = False

# --- Cache ----------------------------------------------------------------------------
# Shared by every process: log-in throttling (allauth's rate limits) must count across gunicorn workers.
# Redis when REDIS_URL is set, else a database table (`migrate` creates it: core/migrations/0003).
# Never call cache.clear() on Redis: it flushes the whole database the broker shares.
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "hacknpu-cache")
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hacknpu_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# --- Internationalization -------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language, 24-hour: config/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"  # never served publicly: team files go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # Hashed, compressed files need `collectstatic` first: deployments (docker) do that.
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=HTTPS)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (demo, tests) WhiteNoise serves straight from the app and project static folders.
WHITENOISE_USE_FINDERS = STORAGES["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads beyond this stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

# --- Email -----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "HackNPU <noreply@hacknpu.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = Path(os.environ.get("HACKNPU_BROKER_DIR", VAR_DIR / "broker"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Longer than any job's hard time limit, so Redis never redelivers a job that is still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "7200"))}
else:
    CELERY_BROKER_URL = "filesystem://"
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
if os.environ.get("CELERY_KEY_PREFIX"):
    # Lets parallel test runs share one Redis without consuming each other's messages.
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = os.environ["CELERY_KEY_PREFIX"]
# The database, not a result backend, records what a task did.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "npu_jobs.tasks.npu_job_run_npu": {"queue": "npu"},
    "npu_jobs.tasks.npu_job_run_cpu": {"queue": "cpu"},
    "npu_jobs.tasks.model_quantization_run": {"queue": "quantize"},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Expire offers whose RSVP deadline passed and promote the next waitlisted applicant.
    "applications-offers-expire": {"task": "applications.tasks.offers_expire", "schedule": 60.0},
    # teams: auto-match and lock every team-building round whose deadline passed (within ~15 s).
    "teams-rounds-match-due": {"task": "teams.tasks.team_rounds_match_due", "schedule": 15.0},
}
# Leased background work (core.leased_work): the log each row keeps, and how many lost messages one sweep resends.
LEASED_WORK_LOG_MAX_CHARS = int(os.environ.get("LEASED_WORK_LOG_MAX_CHARS", "100000"))
LEASED_WORK_REDISPATCH_BATCH = int(os.environ.get("LEASED_WORK_REDISPATCH_BATCH", "500"))
# npu_jobs: a job whose worker stopped renewing its lease is requeued (or failed as "worker lost").
NPU_JOBS_LEASE_SECONDS = float(os.environ.get("NPU_JOBS_LEASE_SECONDS", "60"))
NPU_JOBS_RECOVER_EVERY_SECONDS = float(os.environ.get("NPU_JOBS_RECOVER_EVERY_SECONDS", "15"))
# A queued job whose message has waited this long is sent again (a lost broker message); duplicates are no-ops.
NPU_JOBS_REDISPATCH_AFTER_SECONDS = float(os.environ.get("NPU_JOBS_REDISPATCH_AFTER_SECONDS", "60"))
NPU_JOBS_MAX_ATTEMPTS = int(os.environ.get("NPU_JOBS_MAX_ATTEMPTS", "3"))
# A job or quantization still queued after this long, while no worker that could run it is online, ends as
# "no worker" and its reservation is refunded.
NPU_JOBS_NO_WORKER_AFTER_SECONDS = float(os.environ.get("NPU_JOBS_NO_WORKER_AFTER_SECONDS", "1800"))
NPU_JOBS_DEFAULT_TIME_LIMIT_SECONDS = int(os.environ.get("NPU_JOBS_DEFAULT_TIME_LIMIT_SECONDS", "300"))
NPU_JOBS_MAX_TIME_LIMIT_SECONDS = int(os.environ.get("NPU_JOBS_MAX_TIME_LIMIT_SECONDS", "3600"))
NPU_JOBS_MAX_UPLOAD_BYTES = int(os.environ.get("NPU_JOBS_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
# A job's input files (images, .npy) and a quantization's calibration samples: per file and per request.
NPU_JOBS_MAX_INPUT_FILE_BYTES = int(os.environ.get("NPU_JOBS_MAX_INPUT_FILE_BYTES", str(64 * 1024 * 1024)))
NPU_JOBS_MAX_INPUT_TOTAL_BYTES = int(os.environ.get("NPU_JOBS_MAX_INPUT_TOTAL_BYTES", str(256 * 1024 * 1024)))
NPU_JOBS_MAX_INPUT_IMAGES = int(os.environ.get("NPU_JOBS_MAX_INPUT_IMAGES", "64"))
# The memory a job's inputs take once built (batch × shape × dtype), and what one team may keep in models.
NPU_JOBS_MAX_INPUT_BYTES = int(os.environ.get("NPU_JOBS_MAX_INPUT_BYTES", str(512 * 1024 * 1024)))
NPU_JOBS_TEAM_STORAGE_BYTES = int(os.environ.get("NPU_JOBS_TEAM_STORAGE_BYTES", str(2 * 1024 * 1024 * 1024)))
NPU_JOBS_HEARTBEAT_SECONDS = float(os.environ.get("NPU_JOBS_HEARTBEAT_SECONDS", "10"))
# Warboy device specs this host drives, one per pool process: "warboy(2)*1,warboy(2)*1" or "npu:0:0-1,npu:1:0-1".
NPU_JOBS_DEVICES = env_list("NPU_JOBS_DEVICES")
# The event whose NPU pool this host's devices belong to (its slug), if any.
NPU_JOBS_POOL_EVENT = os.environ.get("NPU_JOBS_POOL_EVENT", "")
# A runner child is replaced after this many jobs, so a leaking model cannot grow a worker without bound.
NPU_JOBS_RUNNER_MAX_JOBS = int(os.environ.get("NPU_JOBS_RUNNER_MAX_JOBS", "500"))
# The quantization step (furiosa-quantizer) runs in its own interpreter: furiosa-quantizer 0.10 needs Python 3.10
# and onnx 1.14 (requirements-quantizer.txt). A worker consumes the `quantize` queue only if this one works.
NPU_JOBS_QUANTIZER_PYTHON = os.environ.get("NPU_JOBS_QUANTIZER_PYTHON", "") or (
    str(BASE_DIR / ".venv-quantizer/bin/python") if (BASE_DIR / ".venv-quantizer/bin/python").exists() else ""
)
NPU_JOBS_QUANTIZE_TIME_LIMIT_SECONDS = int(os.environ.get("NPU_JOBS_QUANTIZE_TIME_LIMIT_SECONDS", "1800"))
NPU_JOBS_QUANTIZE_MAX_SAMPLES = int(os.environ.get("NPU_JOBS_QUANTIZE_MAX_SAMPLES", "256"))
_LONGEST_TASK_SECONDS = max(NPU_JOBS_MAX_TIME_LIMIT_SECONDS, NPU_JOBS_QUANTIZE_TIME_LIMIT_SECONDS) + 120
if REDIS_URL and CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= _LONGEST_TASK_SECONDS:
    raise RuntimeError(
        "CELERY_VISIBILITY_TIMEOUT must be longer than the longest job or quantization time limit + 120 seconds."
    )
CELERY_BEAT_SCHEDULE["npu-jobs-recover"] = {
    "task": "npu_jobs.tasks.npu_jobs_recover",
    "schedule": NPU_JOBS_RECOVER_EVERY_SECONDS,
}
CELERY_BEAT_SCHEDULE["npu-jobs-quantizations-recover"] = {
    "task": "npu_jobs.tasks.model_quantizations_recover",
    "schedule": NPU_JOBS_RECOVER_EVERY_SECONDS,
}
# Email: a delivery holds its row this long; the sweeper resends pending emails whose next attempt is due.
EMAIL_SEND_LEASE_SECONDS = float(os.environ.get("EMAIL_SEND_LEASE_SECONDS", "120"))
EMAIL_RESEND_AFTER_SECONDS = float(os.environ.get("EMAIL_RESEND_AFTER_SECONDS", "120"))
EMAIL_RESEND_EVERY_SECONDS = float(os.environ.get("EMAIL_RESEND_EVERY_SECONDS", "60"))
# mentoring: timed-out claims back to the queue, unclaimed requests expire, session reminders.
CELERY_BEAT_SCHEDULE["mentoring-help-requests-sweep"] = {
    "task": "mentoring.tasks.help_requests_sweep",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["mentoring-bookings-remind"] = {"task": "mentoring.tasks.bookings_remind", "schedule": 60.0}
# submissions: freeze each team's judged version once its deadline has passed (within a minute).
CELERY_BEAT_SCHEDULE["submissions-freeze-due"] = {"task": "submissions.tasks.submissions_freeze_due", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["core-emails-resend-due"] = {
    "task": "core.tasks.emails_resend_due",
    "schedule": EMAIL_RESEND_EVERY_SECONDS,
}
# utilization: device samples every few seconds on NPU hosts, rolled up every minute; raw samples kept this long.
UTILIZATION_SAMPLE_SECONDS = float(os.environ.get("UTILIZATION_SAMPLE_SECONDS", "5"))
UTILIZATION_RAW_RETENTION_HOURS = float(os.environ.get("UTILIZATION_RAW_RETENTION_HOURS", "6"))
# Where an NPU host's sampler reads the driver's sysfs tree (perf_regs, npu_mgmt, hwmon); tests point it elsewhere.
UTILIZATION_SYSFS_ROOT = os.environ.get("UTILIZATION_SYSFS_ROOT", "/sys")
# How far back the first rollup pass reads jobs (a fresh install in the middle of an event).
UTILIZATION_BACKFILL_HOURS = float(os.environ.get("UTILIZATION_BACKFILL_HOURS", "36"))
# /metrics answers only "Authorization: Bearer <this>"; unset, /metrics refuses everyone.
UTILIZATION_METRICS_TOKEN = os.environ.get("UTILIZATION_METRICS_TOKEN", "")
CELERY_BEAT_SCHEDULE["utilization-rollups-update"] = {
    "task": "utilization.tasks.utilization_rollups_update",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["utilization-device-samples-prune"] = {
    "task": "utilization.tasks.device_samples_prune",
    "schedule": 600.0,
}
CELERY_TIMEZONE = "UTC"

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    # A wrong token is a 401 with WWW-Authenticate (core.api.exception_handler); no credentials at all stay a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "core.api.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HackNPU API",
    "DESCRIPTION": "Run an NPU hackathon end to end: events, applications, teams, NPU jobs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the shared error shape for 400, 401, 403 and 404 (core.schema).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema.errors_postprocess"],
    # Several models call their choices "Status"; give each its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ExpertiseEnum": "mentoring.models.Expertise",
        "ApplicationStatusEnum": "applications.models.Application.Status",
        "InviteStatusEnum": "teams.models.Invite.Status",
        "OutboundEmailStatusEnum": "core.models.OutboundEmail.Status",
        "JobTargetEnum": "npu_jobs.models.NpuJob.Target",
        # Jobs and quantizations share one lifecycle (core.models.WorkState): one enum, or spectacular refuses.
        "WorkStateEnum": "core.models.WorkState",
        "ResourcePoolKindEnum": "npu_jobs.models.ResourcePool.Kind",
        "LedgerEntryKindEnum": "npu_jobs.models.QuotaLedgerEntry.Kind",
        "EvidencePinRoleEnum": "submissions.models.EvidencePin.Role",
        "SubmissionFileKindEnum": "submissions.models.SubmissionFile.Kind",
        # judging's conflict source and aggregation method share field names with these two; keep their old names.
        "SourceEnum": "teams.models.TeamMembership.Source",
        "MethodEnum": "npu_jobs.models.ModelQuantization.Method",
        "ConflictSourceEnum": "judging.models.Conflict.Source",
        "JudgingMethodEnum": "judging.models.JudgingSettings.Method",
    },
}

# --- Security (production) ----------------------------------------------------------
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Per-event defaults (organizers can change them per event).
HACKNPU_DEFAULT_TEAM_BUILDING_MINUTES = 20
HACKNPU_DEFAULT_HACKING_HOURS = 36
