"""The portal's one settings module, configured by environment variables.

With no variables set the portal runs embedded: an SQLite file, media on the
local disk, e-mail printed to the console and tasks in the database for the
local worker. ``DJANGO_ENV=production`` switches on the production parts
(PostgreSQL, S3, SMTP, secure cookies, staff MFA) and insists on the variables
they need. Every variable is listed in the README.
"""

import os
from pathlib import Path
from typing import overload

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name) or default).split(",") if item.strip()]


def required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return value


DJANGO_ENV = env("DJANGO_ENV", "local")
if DJANGO_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'local' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    # Debug pages show settings, code and request data to anyone who makes a page fail.
    raise ImproperlyConfigured("DJANGO_DEBUG cannot be turned on in production.")
if PRODUCTION:
    SECRET_KEY = required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [required("DJANGO_ALLOWED_HOSTS")]
else:
    # A fixed key is fine for the embedded default: it signs nothing that
    # leaves the developer's machine.
    SECRET_KEY = env("DJANGO_SECRET_KEY", "local-only-key-never-used-in-production-0123456789")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# Earlier secret keys, while the key is being changed: sessions, signed links and bank details made
# with them still read.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
# Groups' bank details are encrypted at rest with a key made from SECRET_KEY and this salt
# (django-fernet-encrypted-fields); SECRET_KEY_FALLBACKS still read them while SECRET_KEY changes.
SALT_KEY = (
    required("DJANGO_ENCRYPTION_SALT")
    if PRODUCTION
    else env("DJANGO_ENCRYPTION_SALT", "local-only-salt-never-used-in-production")
)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A form sent with a missing or out-of-date security token gets a page saying what to do.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# --- Applications --------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_tasks_db",
    "kit",
    "accounts",
    "fund",
    "questions",
    "notifications",
    "organisations",
    "applications",
    "conversations",
    "assessment",
    "investments",
    "mentoring",
    "team",
    "reporting",
    "public",
    "audit",
    "work",
    "privacy",
    "simple_history",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kit.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "fund.middleware.StaffMFARequiredMiddleware",
    # Names the person behind each change in the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Database ------------------------------------------------------------

SQLITE_PATH = Path(env("SQLITE_PATH", str(BASE_DIR / "var" / "portal.sqlite3")))
if PRODUCTION:
    DATABASES = {"default": dj_database_url.parse(required("DATABASE_URL"), conn_max_age=60)}
elif database_url := env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            # The web server and the task worker share the file: wait for
            # each other's writes instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# In the database, so every web process and machine shares it: allauth keeps its
# rate limits and the one-time codes already used here. Made by `migrate`.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    }
}

# --- People and sign-in ----------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Django's rules, with messages in the portal's words (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "work:home"
# Someone who has just made an account (and has no invitation to follow) has one thing to do first:
# tell us about their group. An invitation's link brings them back to it instead.
ACCOUNT_SIGNUP_REDIRECT_URL = "organisations:organisation_create"
LOGOUT_REDIRECT_URL = "portal:index"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Sign-in attempts are limited by allauth, counted in the shared cache below:
# five wrong passwords for one e-mail address in five minutes, or ten from one
# IP address in a minute, and that address waits. Stated here so the limits
# are the council's decision, not a library default.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Behind the platform's load balancer every request arrives from it: count attempts by the
# address it forwards instead (X-Forwarded-For, or a header the proxy sets such as X-Real-IP),
# or one person's mistakes would lock everybody out.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER")

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.MFAReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}
# Staff (fund officers, finance, panel members, mentors) must set up an
# authenticator app before they reach any page. Always on in production; the
# local demo turns it off so demo accounts sign straight in, and says so.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", default=PRODUCTION)
if PRODUCTION and not STAFF_MFA_REQUIRED:
    raise ImproperlyConfigured("STAFF_MFA_REQUIRED cannot be turned off in production.")

# --- The council's branding ------------------------------------------------

COUNCIL_NAME = env("COUNCIL_NAME", "Wigan Council")
SERVICE_NAME = env("SERVICE_NAME", "Community Investment Fund")
SERVICE_PHASE = env("SERVICE_PHASE", "Beta")
MFA_TOTP_ISSUER = f"{COUNCIL_NAME} {SERVICE_NAME}"
SUPPORT_EMAIL = env("SUPPORT_EMAIL", "communityfund@example.org")
# The portal's own address, for links in e-mails sent by the task worker (no request to ask).
SITE_URL = (required("SITE_URL") if PRODUCTION else env("SITE_URL", "http://127.0.0.1:8000")).rstrip("/")

# --- Data protection -----------------------------------------------------------

# Who people write to about their personal data (the council's data protection officer).
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", "dataprotection@example.org")
# `manage.py apply_retention` removes the personal data of unsuccessful applications (not
# funded, not eligible, withdrawn, or drafts left untouched) this many years after they closed.
RETENTION_UNSUCCESSFUL_YEARS = int(env("RETENTION_UNSUCCESSFUL_YEARS", "3"))
if RETENTION_UNSUCCESSFUL_YEARS < 1:
    raise ImproperlyConfigured("RETENTION_UNSUCCESSFUL_YEARS must be at least 1.")

# --- Internationalisation and time -------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files and media ------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Locally, whitenoise serves static files straight from the project's folders;
# production serves the compressed, hashed copies made by collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# The largest picture accepted, in pixels (width times height), read from the image's header: a small
# file can hold a picture that takes gigabytes to decode. 40 megapixels is more than any phone takes.
UPLOAD_MAX_PIXELS = int(env("UPLOAD_MAX_PIXELS", str(40_000_000)))

# Progress update reminders: this many days before the due date, and overdue this many after it.
UPDATE_REMINDER_DAYS_BEFORE = int(env("UPDATE_REMINDER_DAYS_BEFORE", "14"))
UPDATE_OVERDUE_AFTER_DAYS = int(env("UPDATE_OVERDUE_AFTER_DAYS", "7"))
# A group can start and send an update from this many days before it is due, not earlier, so the
# final update reports on the whole investment. Read through investments.models.update_window().
UPDATE_WINDOW_DAYS = int(env("UPDATE_WINDOW_DAYS", "30"))
# Board packs made at once across the portal: each holds a worker's memory while it is made.
BOARD_PACKS_AT_ONCE = int(env("BOARD_PACKS_AT_ONCE", "2"))

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if PRODUCTION and not AWS_STORAGE_BUCKET_NAME:
    required("AWS_STORAGE_BUCKET_NAME")

if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env("AWS_S3_REGION_NAME", "eu-west-2"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            # Objects are private: every download is a short pre-signed URL
            # handed out only to someone allowed to see the file.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(env("AWS_QUERYSTRING_EXPIRE", "300")),
            "file_overwrite": False,
            "location": env("AWS_LOCATION", ""),
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# --- E-mail ----------------------------------------------------------------

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"{SERVICE_NAME} <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if PRODUCTION or env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": required("EMAIL_HOST") if PRODUCTION else env("EMAIL_HOST"),
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Tasks -----------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Security --------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Every script and stylesheet is a file the portal serves: no inline code, no
# other sites. Images may also be data: URIs (the authenticator QR code).
# Browser tests fail on any violation of this policy.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals_in_one_line": {"()": "kit.logging.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"filters": ["refusals_in_one_line"]},
        # WeasyPrint's font subsetting reports every table it touches.
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
