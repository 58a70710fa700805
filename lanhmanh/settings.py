"""Settings for Lành Mạnh, configured by environment variables (and an optional .env file).

Safe development defaults; with DEBUG off the process refuses to start on a default secret or
without encryption keys. See README.md, "Configuration".
"""

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# Values already in the environment win over the file.
environ.Env.read_env(BASE_DIR / ".env")

# True under pytest or `manage.py test`: static files are then served from the finders.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET)
# Fernet keys, newest first; older keys stay only to read data until rotate_encryption_keys has run.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not DEBUG:
    # The same bar as Django's security.W009 deploy check.
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be set to a long random value when DEBUG is off.")
    if not FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off.")
elif not FIELD_ENCRYPTION_KEYS:
    # A fixed development key so a DEBUG checkout works out of the box; never valid in production.
    FIELD_ENCRYPTION_KEYS = ["ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE="]

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tables2",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "lanhmanh.core",
    "lanhmanh.geo",
    "lanhmanh.accounts",
    "lanhmanh.businesses",
    "lanhmanh.inspections",
    "lanhmanh.tips",
    "lanhmanh.enforcement",
    "lanhmanh.outreach",
    "lanhmanh.training",
    "lanhmanh.community",
    "lanhmanh.budget",
    "lanhmanh.commendations",
    "lanhmanh.support",
    "lanhmanh.indicators",
    "lanhmanh.plans",
    "lanhmanh.reporting",
    "lanhmanh.dashboards",
    "lanhmanh.benchmarks",
    "lanhmanh.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lanhmanh.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lanhmanh.urls"
WSGI_APPLICATION = "lanhmanh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lanhmanh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lanhmanh.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'lanhmanh.sqlite3'}",
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", default=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the task worker share the file: wait for locks rather than fail,
    # and take the write lock at BEGIN so two writers never deadlock on an upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The indicator engine's grouped aggregates over millions of rows: PostgreSQL's JIT compiles them for longer
    # than they run (measured: half of a national query's time), and COUNT(DISTINCT …) sorts need more than the
    # 4 MB default not to spill to disk. Both are per-connection settings, overridable by DATABASE_PG_OPTIONS.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env.str(
        "DATABASE_PG_OPTIONS", default="-c jit=off -c work_mem=32MB")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lanhmanh.accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(timedelta(hours=10).total_seconds())
SESSION_COOKIE_HTTPONLY = True

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Per account and address: a shared office address is not locked out by one colleague.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False  # axes would otherwise log usernames and addresses
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Second factor: required for roles that may see identified personal data (accounts/roles.py).
OTP_TOTP_ISSUER = "Lành Mạnh"
LANHMANH_SUPERUSER_2FA = env.bool("LANHMANH_SUPERUSER_2FA", default=False)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lanhmanh" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["lanhmanh.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "lanhmanh" / "static"]
# Uploaded files are private: no URL serves this folder; permission-checked views stream them.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest spreadsheet an import accepts, and the row count above which it runs as a background task.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=1_000)
# Largest scanned commitment form accepted (PDF, JPG or PNG).
COMMITMENT_SCAN_MAX_BYTES = env.int("COMMITMENT_SCAN_MAX_BYTES", default=10 * 1024 * 1024)

if TESTING:
    # Every test creates several accounts; a deliberately slow hash would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # whitenoise warns about a missing STATIC_ROOT in every test otherwise.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Security headers. HTTPS is assumed in production; LANHMANH_HTTPS=0 for a plain-HTTP local instance.
HTTPS = env.bool("LANHMANH_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and not TESTING
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("LANHMANH_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="lanhmanh@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["lanhmanh.core.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lành Mạnh API",
    "DESCRIPTION": "API của hệ thống quản lý công tác phòng, chống mại dâm.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "TipKindEnum": "lanhmanh.tips.models.TipKind",
        "SuspicionKindEnum": "lanhmanh.businesses.models.Suspicion.Kind",
        "SuspicionSourceEnum": "lanhmanh.businesses.models.Suspicion.Source",
        "BudgetSourceEnum": "lanhmanh.budget.models.Source",
        "ReferralStatusEnum": "lanhmanh.support.models.ReferralStatus",
        "ErasureKindEnum": "lanhmanh.support.models.ErasureKind",
        "ServiceOutcomeEnum": "lanhmanh.support.models.ServiceOutcome",
        "NeedAreaEnum": "lanhmanh.support.models.NeedArea",
        "SharedItemEnum": "lanhmanh.support.models.SharedItem",
        "CloseReasonEnum": "lanhmanh.support.models.CloseReason",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry URLs only: URLs never hold personal data by design (ids, not names).
        "django.request": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Tips: largest photo or PDF attached to a tip, and the public form's limits (per sender, counted on a keyed
# hash of the address that is deleted after the retention period).
# Largest attached file (photo or PDF) on any record.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Identifying details of a support client are purged this many days after the last contact (registration,
# assessment, service, referral, consent, end of support), by the daily task (support.tasks).
SUPPORT_RETENTION_DAYS = env.int("SUPPORT_RETENTION_DAYS", default=2 * 365)
TIP_ATTACHMENT_MAX_BYTES = env.int("TIP_ATTACHMENT_MAX_BYTES", default=ATTACHMENT_MAX_BYTES)
TIP_PORTAL_PHOTO_MAX_BYTES = env.int("TIP_PORTAL_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
TIP_PORTAL_PER_MINUTE = env.int("TIP_PORTAL_PER_MINUTE", default=5)
TIP_PORTAL_PER_DAY = env.int("TIP_PORTAL_PER_DAY", default=20)
TIP_PORTAL_THROTTLE_RETENTION = timedelta(hours=env.int("TIP_PORTAL_THROTTLE_RETENTION_HOURS", default=24))
# How many days ahead the daily digest warns about tips coming due.
TIP_DIGEST_DAYS_AHEAD = env.int("TIP_DIGEST_DAYS_AHEAD", default=3)
# How many days before a report's deadline its unit's officers are reminded by e-mail.
REPORT_REMINDER_DAYS = env.int("REPORT_REMINDER_DAYS", default=3)
TIP_PORTAL_TRUST_FORWARDED_FOR = env.bool("TIP_PORTAL_TRUST_FORWARDED_FOR", default=False)
LANHMANH_BASE_URL = env("LANHMANH_BASE_URL", default="http://127.0.0.1:8000")
