"""Solidar settings: one module, read from the environment.

Every variable is listed in docs/configuration.md. Development defaults just work
(`make run`); `SOLIDAR_PRODUCTION=1` turns on the strict production profile, which
refuses to start without the secrets it needs.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from solidar.core.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env.str("SOLIDAR_DATA_DIR", str(BASE_DIR / "data"))).resolve()

PRODUCTION = env.bool("SOLIDAR_PRODUCTION", False)
DEBUG = env.bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when SOLIDAR_PRODUCTION is on")
TESTING = env.bool("SOLIDAR_TESTING", False)


def _development_secret(name: str, make) -> str:
    """A secret generated once per development data folder, never used in production."""
    path = DATA_DIR / name
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _new_data_keys() -> str:
    import base64

    return "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


SECRET_KEY = env.str("SECRET_KEY")
SOLIDAR_DATA_KEYS = env.str("SOLIDAR_DATA_KEYS")
if PRODUCTION:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters")
    if not SOLIDAR_DATA_KEYS:
        raise ImproperlyConfigured("SOLIDAR_DATA_KEYS must be set in production")
else:
    SECRET_KEY = SECRET_KEY or _development_secret(
        "secret_key.dev", lambda: secrets.token_urlsafe(64)
    )
    SOLIDAR_DATA_KEYS = SOLIDAR_DATA_KEYS or _development_secret("data_keys.dev", _new_data_keys)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
SOLIDAR_SITE_URL = env.str("SOLIDAR_SITE_URL", "http://localhost:8000").rstrip("/")
SOLIDAR_SITE_NAME = env.str("SOLIDAR_SITE_NAME", "Solidar")
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none).
SOLIDAR_PROXY_COUNT = env.int("SOLIDAR_PROXY_COUNT", 0, minimum=0)

INSTALLED_APPS = [
    # Our apps first: their templates override allauth's and Wagtail's.
    "solidar.core",
    "solidar.accounts",
    "solidar.network",
    "solidar.publishing",
    "solidar.events",
    "solidar.newsletter",
    "solidar.aid",
    "solidar.decisions",
    "modeltranslation",  # before django.contrib.admin, as it requires
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "wagtail_localize",
    "wagtail_localize.locales",  # instead of wagtail.locales
    "wagtail.contrib.routable_page",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "solidar.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "solidar.core.middleware.LanguageMiddleware",
    "solidar.accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "solidar.core.middleware.AdminCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "solidar.accounts.middleware.PrivilegedAreaMFAMiddleware",
    "solidar.core.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "solidar.urls"
WSGI_APPLICATION = "solidar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "solidar.core.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'solidar.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections stay open between requests (conn_max_age above): closing the last one to
    # a WAL database checkpoints it and deletes its -wal/-shm files, which the next request
    # then recreates (about 1 ms of a 7 ms signed-in page on a quiet site; bench/README.md).
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
        # "database is locked" upgrades in the middle of a transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if not TESTING:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, cached public pages) ----------------------------------------------
REDIS_URL = env.str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("SOLIDAR_CACHE_PREFIX", "solidar"),
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared by every worker process on one machine; several machines need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS = env.int("SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS", 60, minimum=0)

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("SOLIDAR_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}
if TESTING and not env.raw("SOLIDAR_TASK_BACKEND"):
    TASKS["default"] = {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email"],
    }

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's bundled list of 20,000 common passwords; no composition rules.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

SOLIDAR_SIGNUP_OPEN = env.bool("SOLIDAR_SIGNUP_OPEN", True)
ACCOUNT_ADAPTER = "solidar.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "solidar.accounts.forms.SignupProfileForm"
ACCOUNT_FORMS = {"login": "solidar.accounts.allauth_forms.LoginForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Many Tor users share one exit address: per-address limits are generous, per-account
# limits ("key", "user") are strict. Addresses are keyed hashes held only in the cache.
ACCOUNT_RATE_LIMITS = {
    "login": "600/m/ip",
    "login_failed": "60/m/ip,5/5m/key",
    "signup": "120/m/ip",
    "reset_password": "120/m/ip,3/5m/key",
    "reset_password_from_key": "60/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_RATE_LIMITS_ENABLED = env.bool("SOLIDAR_RATE_LIMITS", True)
MFA_ADAPTER = "solidar.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_TOTP_ISSUER = SOLIDAR_SITE_NAME
MFA_RECOVERY_CODE_COUNT = 10
USERSESSIONS_TRACK_ACTIVITY = False

# Idle timeouts (seconds): a session unused this long ends.
SOLIDAR_SESSION_IDLE_MEMBER = env.int("SOLIDAR_SESSION_IDLE_MEMBER", 12 * 3600, minimum=60)
SOLIDAR_SESSION_IDLE_PRIVILEGED = env.int("SOLIDAR_SESSION_IDLE_PRIVILEGED", 3600, minimum=60)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = SOLIDAR_SESSION_IDLE_MEMBER
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_NAME = "__Host-session" if PRODUCTION else "session"
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "__Host-csrf" if PRODUCTION else "csrftoken"
CSRF_FAILURE_VIEW = "solidar.core.views.csrf_failure"

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": under it browsers send "Origin: null" with every form POST, and
# Django's CSRF check refuses them all. "same-origin" still tells other sites nothing.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 63072000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", PRODUCTION)
if env.bool("SOLIDAR_BEHIND_TLS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SOLIDAR_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
    },
}
if PRODUCTION:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
# Wagtail's and Django's admins (editors, MFA required) still need inline styles.
SOLIDAR_ADMIN_CSP_PREFIXES = ("/cms/", "/django-admin/")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("ru", "Русский"),
    ("uk", "Українська"),
]
LOCALE_PATHS = [BASE_DIR / "solidar" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", "Europe/Berlin")
LANGUAGE_COOKIE_NAME = "lang"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# A collective described only in Russian still shows its Russian text on the German page.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "ru", "uk", "de")}
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = env.str("EMAIL_HOST")
EMAIL_PORT = env.int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Solidar <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_HOST must be set in production")
else:
    # Development: mails are printed by the task worker.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = SOLIDAR_SITE_NAME
WAGTAILADMIN_BASE_URL = SOLIDAR_SITE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"  # pages restricted to signed-in readers
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "publishing.SiteImage"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "txt"]
# Uploaded images: re-encoded without metadata by solidar.publishing.images (THREATS 16).
WAGTAILIMAGES_IMAGE_FORM_BASE = "solidar.publishing.forms.SiteImageForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "avif", "gif"]
SOLIDAR_IMAGE_MAX_SIDE = env.int("SOLIDAR_IMAGE_MAX_SIDE", 8000, minimum=100)
# Serve renditions (MEDIA_ROOT/images/, never the originals) from the app itself; turn off
# when the reverse proxy serves /media/images/.
SOLIDAR_SERVE_MEDIA = env.bool("SOLIDAR_SERVE_MEDIA", True)

# --- Periodic jobs and retention ------------------------------------------------------------
SOLIDAR_SCHEDULER_TICK_SECONDS = env.int("SOLIDAR_SCHEDULER_TICK_SECONDS", 30, minimum=1)
SOLIDAR_TASK_RESULT_RETENTION_DAYS = env.int("SOLIDAR_TASK_RESULT_RETENTION_DAYS", 7, minimum=1)
SOLIDAR_PERIODIC_JOBS = {
    # name: (task path, interval)
    "clear_expired_sessions": ("solidar.core.tasks.clear_expired_sessions", timedelta(hours=1)),
    "prune_task_results": ("solidar.core.tasks.prune_task_results", timedelta(hours=6)),
    "publish_scheduled": ("solidar.publishing.tasks.publish_scheduled", timedelta(minutes=1)),
    "expire_event_offers": ("solidar.events.tasks.expire_offers", timedelta(minutes=5)),
    "send_event_reminders": ("solidar.events.tasks.send_reminders", timedelta(hours=1)),
    "purge_event_data": ("solidar.events.tasks.purge_personal_data", timedelta(hours=6)),
    "purge_unconfirmed_subscriptions": (
        "solidar.newsletter.tasks.purge_unconfirmed",
        timedelta(hours=1),
    ),
    "purge_aid_cases": ("solidar.aid.tasks.purge", timedelta(hours=6)),
    "close_due_votes": ("solidar.decisions.tasks.close_due_votes", timedelta(minutes=1)),
    "remind_voters": ("solidar.decisions.tasks.remind_voters", timedelta(minutes=15)),
}
# Events: guests' personal data (and everyone's answers) are deleted this many days after
# an event ends, keeping only the counts; reminders go out this many hours before.
SOLIDAR_EVENT_RETENTION_DAYS = env.int("SOLIDAR_EVENT_RETENTION_DAYS", 30, minimum=1)
SOLIDAR_EVENT_REMINDER_HOURS = env.int("SOLIDAR_EVENT_REMINDER_HOURS", 24, minimum=1)

# --- Newsletter -----------------------------------------------------------------------------
# Sign-ups not confirmed within this many days are deleted (and their link stops working).
SOLIDAR_NEWSLETTER_CONFIRM_DAYS = env.int("SOLIDAR_NEWSLETTER_CONFIRM_DAYS", 7, minimum=1)
SOLIDAR_NEWSLETTER_FROM = env.str("SOLIDAR_NEWSLETTER_FROM", DEFAULT_FROM_EMAIL)
# The sending engine (solidar/newsletter/engine.py, its own process: manage.py
# send_newsletters): parallel SMTP connections, messages per second in all (0: as fast as
# the server takes them), recipients claimed at a time, and how often a 4xx answer is
# retried (with growing pauses) before the delivery counts as failed.
SOLIDAR_NEWSLETTER_CONNECTIONS = env.int("SOLIDAR_NEWSLETTER_CONNECTIONS", 2, minimum=1)
SOLIDAR_NEWSLETTER_RATE = env.int("SOLIDAR_NEWSLETTER_RATE", 0, minimum=0)
SOLIDAR_NEWSLETTER_BATCH = env.int("SOLIDAR_NEWSLETTER_BATCH", 100, minimum=1)
SOLIDAR_NEWSLETTER_MAX_ATTEMPTS = env.int("SOLIDAR_NEWSLETTER_MAX_ATTEMPTS", 8, minimum=1)
# Soft bounces (mailbox full, server busy) stop delivery to an address after this many.
SOLIDAR_NEWSLETTER_SOFT_BOUNCE_LIMIT = env.int("SOLIDAR_NEWSLETTER_SOFT_BOUNCE_LIMIT", 3, minimum=1)
# The inbound bounce webhook (django-anymail): HTTP basic auth "user:password" the e-mail
# service is configured with. Without it the webhook answers 404.
ANYMAIL = {"WEBHOOK_SECRET": env.str("SOLIDAR_BOUNCE_WEBHOOK_SECRET") or None}

# --- Mutual aid (solidar/aid; docs/security.md, "Mutual aid") -------------------------------
# The key that salts and keys the codename hash: 32+ random characters from the environment,
# never in the database (a dump alone then cannot even test a guessed codename). Changing it
# makes every codename stop working.
SOLIDAR_AID_CODENAME_KEY = env.str("SOLIDAR_AID_CODENAME_KEY")
if PRODUCTION and len(SOLIDAR_AID_CODENAME_KEY) < 32:
    raise ImproperlyConfigured("SOLIDAR_AID_CODENAME_KEY must be set to at least 32 characters")
SOLIDAR_AID_CODENAME_KEY = SOLIDAR_AID_CODENAME_KEY or _development_secret(
    "aid_codename_key.dev", lambda: secrets.token_urlsafe(48)
)
SOLIDAR_AID_CODENAME_WORDS = env.int("SOLIDAR_AID_CODENAME_WORDS", 7, minimum=7)
# argon2id costs: the codename (every intake and every return: tens of milliseconds) and a
# handler's case passphrase (once per unlock: a few hundred milliseconds, 128 MiB).
SOLIDAR_AID_CODENAME_OPSLIMIT = env.int("SOLIDAR_AID_CODENAME_OPSLIMIT", 2, minimum=1)
SOLIDAR_AID_CODENAME_MEMLIMIT = env.int("SOLIDAR_AID_CODENAME_MEMLIMIT", 32 << 20, minimum=8192)
SOLIDAR_AID_PASSPHRASE_OPSLIMIT = env.int("SOLIDAR_AID_PASSPHRASE_OPSLIMIT", 3, minimum=1)
SOLIDAR_AID_PASSPHRASE_MEMLIMIT = env.int(
    "SOLIDAR_AID_PASSPHRASE_MEMLIMIT", 128 << 20, minimum=8192
)
SOLIDAR_AID_PASSPHRASE_MIN_LENGTH = env.int("SOLIDAR_AID_PASSPHRASE_MIN_LENGTH", 16, minimum=12)
# How long an unlocked handler session keeps the team's keys.
SOLIDAR_AID_UNLOCK_MINUTES = env.int("SOLIDAR_AID_UNLOCK_MINUTES", 60, minimum=1)
# Closed cases keep only their statistics fields this many days after closing.
SOLIDAR_AID_RETENTION_DAYS = env.int("SOLIDAR_AID_RETENTION_DAYS", 90, minimum=1)
# An offer of help without an end date expires after this many days.
SOLIDAR_AID_OFFER_DAYS = env.int("SOLIDAR_AID_OFFER_DAYS", 90, minimum=1)
# The intake's anti-spam challenge: proof of work (leading zero bits of SHA-256) solved by
# the browser with JavaScript, or without it a wait of this many seconds between opening
# the form and sending it.
SOLIDAR_AID_CHALLENGE_BITS = env.int("SOLIDAR_AID_CHALLENGE_BITS", 20, minimum=0)
SOLIDAR_AID_CHALLENGE_WAIT_SECONDS = env.int("SOLIDAR_AID_CHALLENGE_WAIT_SECONDS", 30, minimum=0)

# --- Logging: never an IP address, never a request body -------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_ip": {"()": "solidar.core.logging.ScrubAddressesFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub_ip"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger would print the path and, for some errors, headers.
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
ADMINS: list[tuple[str, str]] = []
