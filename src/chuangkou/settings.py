"""One settings module, driven by environment variables.

CHUANGKOU_DATA_DIR  folder for the SQLite database, the generated secret key and uploads (./data)
DATABASE_URL        e.g. postgres://postgres@127.0.0.1:5432/chuangkou (default: SQLite in DATA_DIR)
SECRET_KEY          default: generated once and kept in the data folder
DEBUG               "1"/"true" to enable (default off)
ALLOWED_HOSTS       comma separated (default 127.0.0.1,localhost)
SECURE_COOKIES      "0" only for plain-http local demos (default on)
SECURE_SSL_REDIRECT "1" behind an HTTPS terminating proxy that sets X-Forwarded-Proto
CHUANGKOU_PLAIN_HTTP_DEMO  set by `chuangkou demo` only: silences the HTTPS deploy warnings
TASKS_BACKEND       "database" (default: jobs in this database, run by `chuangkou worker`) or
                    "rq" (Redis, for several machines; REDIS_URL, default redis://127.0.0.1:6379/0)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("CHUANGKOU_DATA_DIR", Path.cwd() / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "ninja",  # the API docs from local static files (no CDN, no inline script)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "chuangkou.core",
    "chuangkou.org",
    "chuangkou.notify",
    "chuangkou.catalog",
    "chuangkou.hall",
    "chuangkou.cases",
    "chuangkou.feedback",
    "chuangkou.prereview",
    "chuangkou.consult",
    "chuangkou.exams",
    "chuangkou.selection",
    "chuangkou.honors",
    "chuangkou.reports",
    "chuangkou.supervision",
    "chuangkou.care",
    "chuangkou.training",
    "chuangkou.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chuangkou.core.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chuangkou.core.idempotency.IdempotencyMiddleware",
    "chuangkou.core.auth.PasswordChangeRequiredMiddleware",
    "chuangkou.core.headers.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chuangkou.core.headers.ContentSecurityPolicyMiddleware",
    "chuangkou.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "chuangkou.urls"
WSGI_APPLICATION = "chuangkou.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chuangkou.core.context_processors.navigation",
            ],
        },
    }
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "chuangkou.core.sqlite",  # Django's SQLite with a writers' queue
        "NAME": DATA_DIR / "chuangkou.sqlite3",
        # Each server thread keeps its connection (as on PostgreSQL): a new one per request
        # re-ran the PRAGMAs and re-read the schema, ~5 ms of CPU, more than a submit's SQL.
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            # Writers queue behind each other instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["chuangkou.core.auth.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "chuangkou.core.auth.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "chuangkou.core.auth.CharacterClassValidator"},
    {
        "NAME": "chuangkou.core.auth.UsernameInPasswordValidator",
    },
    {
        "NAME": "chuangkou.core.auth.PasswordHistoryValidator",
        "OPTIONS": {"count": 5},
    },
]
# Lockout: the 5th failure in a row locks the account for 30 minutes; attempts are counted
# before the password is checked, so parallel guesses cannot get more than 5 checks.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 30
# Per client address: at most this many failed sign-ins per window (0 switches it off).
LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("LOGIN_ADDRESS_MAX_FAILURES", "30"))
LOGIN_ADDRESS_WINDOW_MINUTES = int(os.environ.get("LOGIN_ADDRESS_WINDOW_MINUTES", "15"))
# Behind a reverse proxy every request comes from the proxy: name the header it sets with the
# client's address (e.g. HTTP_X_REAL_IP; of HTTP_X_FORWARDED_FOR the last address, the one the
# proxy saw, is taken), or all clients share one sign-in limit, one rate limit of the public
# pages and one address in the audit log (core.middleware.client_address). The old name
# LOGIN_CLIENT_ADDRESS_HEADER is still read.
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER") or os.environ.get(
    "LOGIN_CLIENT_ADDRESS_HEADER", ""
)
# Passwords expire after this many days; a warning shows PASSWORD_EXPIRY_WARNING_DAYS before.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_EXPIRY_WARNING_DAYS = 7
# API tokens expire after this many days at most.
API_TOKEN_MAX_AGE_DAYS = int(os.environ.get("API_TOKEN_MAX_AGE_DAYS", "90"))
# Two factors (TOTP, django-otp) for these roles: asked after the password, enrolled at the
# first sign-in. OTP_EXEMPT_DEMO_ACCOUNTS is set by `chuangkou demo` only: the published demo
# accounts (core/demo.py) then sign in with the password alone.
OTP_REQUIRED_ROLES = ["sysadmin", "secadmin", "auditor", "center_admin"]
OTP_EXEMPT_DEMO_ACCOUNTS = _env_bool("OTP_EXEMPT_DEMO_ACCOUNTS", False)
OTP_TOTP_ISSUER = "窗口平台"

# Idle timeout: the session expires 30 minutes after the last request (refreshed at most once a
# minute by core.middleware.IdleSessionMiddleware).
SESSION_COOKIE_AGE = 30 * 60
# Django's database sessions, loaded by one precompiled statement (core/sessions.py)
SESSION_ENGINE = "chuangkou.core.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
# Only hosts below the platform's own host name; HSTS itself is off until SECURE_HSTS_SECONDS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading commits the whole domain for months: the operator opts in (security.W021 below).
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is the operator's decision (SECURE_HSTS_PRELOAD=1), not a default.
    "security.W021",
]
if _env_bool("CHUANGKOU_PLAIN_HTTP_DEMO", False):
    # Set by `chuangkou demo` only, which serves plain http on the loopback address. Everywhere
    # else `check --deploy` warns until SECURE_HSTS_SECONDS and SECURE_SSL_REDIRECT are set.
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008"]

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline
# script or event handler, no eval (htmx's eval features are off: allowEval in the htmx-config
# meta tag). Styles still allow inline `style=` attributes used by the templates and ECharts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The UI is Chinese whatever the browser asks for: most strings are written in Chinese, so
# following Accept-Language would give an English browser a page of mixed languages.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even before the first collectstatic
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# 材料预审: files kept this many days after the case closes (then deleted), and for a
# pre-review that led to no case, this many days after its last submission.
PREREVIEW_FILE_DAYS = int(os.environ.get("PREREVIEW_FILE_DAYS", "30"))
PREREVIEW_ABANDONED_DAYS = int(os.environ.get("PREREVIEW_ABANDONED_DAYS", "180"))

# Background work (imports, large exports, documents, escalations, notifications) runs on
# Django's tasks framework (the django-tasks package): by default as rows in this database,
# picked up by `chuangkou worker`; enqueue through chuangkou.core.tasks.enqueue.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
TASK_QUEUES = ["default", "imports", "exports", "notify"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": TASK_QUEUES,
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")  # the RQ backend's check and its `rqworker` need it
    TASKS["default"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}
    RQ_QUEUES = {
        name: {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}
        for name in TASK_QUEUES
    }

# Notifications (notify): channels in use, gateways, quiet hours, limits.
NOTIFY_CHANNELS = [
    c.strip() for c in os.environ.get("NOTIFY_CHANNELS", "log,browser").split(",") if c.strip()
]
NOTIFY_SMS = {
    "PROVIDER": "aliyun",
    "ENDPOINT": os.environ.get("NOTIFY_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
    "ACCESS_KEY_ID": os.environ.get("NOTIFY_SMS_KEY_ID", ""),
    "ACCESS_KEY_SECRET": os.environ.get("NOTIFY_SMS_KEY_SECRET", ""),
    "SIGN_NAME": os.environ.get("NOTIFY_SMS_SIGN", "政务服务中心"),
    "TIMEOUT": 5,
}
NOTIFY_WECHAT = {
    "APP_ID": os.environ.get("NOTIFY_WECHAT_APP_ID", ""),
    "APP_SECRET": os.environ.get("NOTIFY_WECHAT_APP_SECRET", ""),
    "TEMPLATES": {},  # message kind -> {"template_id": ..., "fields": {field: data key}}
}
NOTIFY_VAPID_SUBJECT = os.environ.get("NOTIFY_VAPID_SUBJECT", "mailto:admin@localhost")
NOTIFY_QUIET_HOURS = (21, 8)  # reminders wait from 21:00 to 08:00
NOTIFY_PER_NUMBER_PER_HOUR = 6
NOTIFY_MAX_ATTEMPTS = 5
NOTIFY_BACKOFF_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min …

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
