"""Settings for the evidence-graded health publishing CMS.

Everything that differs between deployments comes from the environment; the defaults are
safe for a developer's machine and refuse to run in production without a secret key.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A Redis on the same network answers in well under a millisecond.
CACHE_TIMEOUT_SECONDS = 0.5


def cache_from_url(url):
    """The default cache: each process's own memory when no address is given, else the Redis server named.

    Several app servers share one Redis, so what one of them caches holds for all of them. Its client
    gives up on a connection or an answer after half a second: a paused or unreachable Redis then
    costs a request that much, after which claims.pages.cache computes pages without it for a while.
    """
    url = (url or "").strip()
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured("CACHE_URL must be empty or a Redis address such as redis://127.0.0.1:6379/1.")
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT_SECONDS, "socket_timeout": CACHE_TIMEOUT_SECONDS},
    }


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local work).")
    SECRET_KEY = "insecure-local-development-key-not-for-production"

# How background tasks run; the rest of their settings are below, with the cache.
TASKS_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db").strip().lower()
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Third party
    "taggit",
    "markdownx",
    "simple_history",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # RQ's worker command, for TASKS_BACKEND=rq.
    *(["django_rq", "django_tasks_rq"] if TASKS_BACKEND == "rq" else []),
    # Local
    "articles",
    "claims",
    "notifications",
    "ops",
    "people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and CSRF middleware, so that it sees every cookie a response sets.
    "claims.pages.http.PublicCacheMiddleware",
    # Outside the session and CSRF middleware, so it sees the cookies they set before deciding to compress.
    "config.middleware.CompressPublicPagesMiddleware",
    "config.middleware.StripNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After the authentication middleware, so it can turn any login view's answer into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so that it is the first to hear of a view's lost database connection.
    "config.middleware.RetryLostConnectionMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite plans queries well only with table statistics: each new connection refreshes those that
    # are missing or out of date, within a small limit of rows read (SQLite's advice for applications).
    # The server and the task worker (bin/with-worker) write to one file. WAL lets readers go on beside a
    # writer; IMMEDIATE transactions take the write lock as they begin, so two writers queue (for up to
    # `timeout` seconds) instead of one failing with "database is locked" when it turns from reading to
    # writing.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002"
    sqlite_options["transaction_mode"] = "IMMEDIATE"
    sqlite_options["timeout"] = 20
elif env_bool("DATABASE_PREPARED_READS", default=True):
    # PostgreSQL: a reader's article page is read by one statement prepared once per connection
    # (claims.pages.stored), since parsing and planning its join cost more than running it. Only statements
    # asked to be prepared are: Django's own queries bind their parameters in the client and never are.
    # DATABASE_PREPARED_READS=0 for a connection pooler that cannot keep prepared statements (PgBouncer before
    # 1.21 in transaction mode): the page is then read unprepared.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 1_000_000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded images are written through the "default" storage: MEDIA_ROOT on this server, which must be a shared
# folder when several app servers run, or another Django storage backend set here. Once DEBUG is off, static
# files are the ones collectstatic wrote, served by WhiteNoise under content-hashed names with gzip copies.
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

CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL"))}

# Background work (claims/tasks.py) goes through Django's Tasks API (the django-tasks backport). By default the
# tasks wait in this database for `manage.py db_worker`; several machines share one Redis queue instead
# (TASKS_BACKEND=rq, worked by `manage.py rqworker`); "immediate" runs each task at once, in the process that
# asks for it, which only suits a machine with no worker.
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "redis://127.0.0.1:6379/0").strip()
# An editor's request enqueues once its change commits: an unreachable Redis costs it a second, then is logged.
if "socket_connect_timeout" not in urlsplit(TASKS_REDIS_URL).query:
    TASKS_REDIS_URL += ("&" if urlsplit(TASKS_REDIS_URL).query else "?") + "socket_connect_timeout=1"
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# Source look-ups (claims/lookups/): a PubMed ID, DOI or NCT number is looked up at PubMed, Crossref and
# ClinicalTrials.gov, and only there; a web address never is. On unless DEBUG (so off in `make demo` and tests);
# SOURCE_LOOKUPS=0 turns them off, and sources then say "look-ups turned off". The base addresses may point at a
# local fake server (bench/source_lookups.py); only their hosts are ever fetched.
SOURCE_LOOKUPS = env_bool("SOURCE_LOOKUPS", default=not DEBUG)
LOOKUP_CONTACT_EMAIL = os.environ.get("LOOKUP_CONTACT_EMAIL", "").strip()
LOOKUP_TOOL_NAME = os.environ.get("LOOKUP_TOOL_NAME", "evidence-cms").strip()
NCBI_API_KEY = os.environ.get("NCBI_API_KEY", "").strip()
LOOKUP_PUBMED_URL = os.environ.get("LOOKUP_PUBMED_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils").rstrip("/")
LOOKUP_CROSSREF_URL = os.environ.get("LOOKUP_CROSSREF_URL", "https://api.crossref.org").rstrip("/")
LOOKUP_CLINICALTRIALS_URL = os.environ.get("LOOKUP_CLINICALTRIALS_URL", "https://clinicaltrials.gov/api/v2").rstrip("/")
# Requests a second to each service, across every process: NCBI allows 3 (10 with an API key); Crossref's polite
# pool and ClinicalTrials.gov (about 50 a minute) are kept well under what they allow.
LOOKUP_RATES = {"pubmed": 10.0 if NCBI_API_KEY else 3.0, "crossref": 5.0, "clinicaltrials": 0.8}
# How many days a reviewer who takes a review ("Take this") has to do it.
ASSIGNMENT_DAYS = int(os.environ.get("ASSIGNMENT_DAYS", "7"))

# Where the integrity report task writes its files: staff only, never under MEDIA_ROOT, which is public.
REPORTS_DIR = Path(os.environ.get("REPORTS_DIR", BASE_DIR / "reports"))

# Security: strict by default once DEBUG is off; a proxy terminating TLS sets SECURE_SSL_REDIRECT=0.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def csp_hash(text):
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# Every script and style is a file under static/, so the policy needs no 'unsafe-inline'. The one inline style
# left is django-simple-history's revision list (style="border-top: 0"), allowed by its hash and nothing else.
# Article bodies may show images from any https address; plain-http ones are upgraded when the site runs on HTTPS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-hashes'", csp_hash("border-top: 0")],
        "img-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "upgrade-insecure-requests": not DEBUG,
        "report-uri": os.environ.get("CSP_REPORT_URI") or None,
    }
}

# Sign-in protection: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that
# pair may not sign in for LOGIN_LOCKOUT_MINUTES, counted from the last failure before the lockout.
AUTHENTICATION_BACKENDS = [
    "ops.security.LockoutBackend",
    # Django's ModelBackend, reading the signed-in user with their unread notifications counted (the admin's bell).
    "notifications.backends.ModelBackendWithBell",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
if AXES_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not push its end back, so the time the lockout page gives stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "ops.security.client_ip"
AXES_LOCKOUT_CALLABLE = "ops.security.lockout_response"
AXES_USERNAME_CALLABLE = "ops.security.client_username"
# How many proxies of ours append to X-Forwarded-For; the client is the address the outermost one saw.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be at least 1.")

LOGIN_URL = "admin:login"

# Markdown editing: previews and uploads are rendered and sanitised by the same function as
# the public page, and the editor endpoints are registered in config.urls behind staff checks.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.rendering.render_markdown"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_MEDIA_PATH = "uploads/"

TAGGIT_CASE_INSENSITIVE = True
# Tags are typed and shown separated by commas, never quoted ("lung disease, asthma"): articles/tagging.py.
TAGGIT_TAGS_FROM_STRING = "articles.tagging.tags_from_string"
TAGGIT_STRING_FROM_TAGS = "articles.tagging.string_from_tags"

# When on, a medical reviewer signs off a revision only with credentials on file (their profile's "Credentials",
# shown to readers beside their name); the sign-off page says so. Off by default.
REVIEWER_CREDENTIALS_REQUIRED = env_bool("REVIEWER_CREDENTIALS_REQUIRED")

# Addresses in one sitemap file: past this many, /sitemap.xml becomes an index of numbered files (config/sitemaps.py).
# 50,000 is the most search engines read from one file.
SITEMAP_LIMIT = max(1, min(int(os.environ.get("SITEMAP_LIMIT", "50000")), 50_000))

SITE_NAME = os.environ.get("SITE_NAME", "Evidence Graded Health")
# The site's own address, for links in e-mails (evidence alerts, review reminders), which are sent
# outside any request and so cannot learn it from one. No trailing slash needed.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# A cache in front of the site (Varnish, a CDN) keeps public pages, and is told to drop the ones a change alters
# (ops/purge.py; claims/pages/http.py says which pages and for how long). Readers' browsers always revalidate.
PURGE_BACKENDS = ("none", "varnish", "cloudflare", "fastly", "cloudfront", "recording")
PURGE_BACKEND = os.environ.get("PURGE_BACKEND", "none").strip().lower()
if PURGE_BACKEND not in PURGE_BACKENDS:
    raise ImproperlyConfigured(f"PURGE_BACKEND must be one of {', '.join(PURGE_BACKENDS)}, not {PURGE_BACKEND!r}.")
PURGE_VARNISH_URLS = env_list("PURGE_VARNISH_URLS")
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "").strip()
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "").strip()
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "").strip()
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "").strip()
CLOUDFRONT_DISTRIBUTION_ID = os.environ.get("CLOUDFRONT_DISTRIBUTION_ID", "").strip()


def env_seconds(name, default):
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, not {value!r}.")
    return int(value)


# How long the shared cache may serve a public page without asking: long when it is told of changes, short when not.
CDN_S_MAXAGE = env_seconds("CDN_S_MAXAGE", 60 if PURGE_BACKEND == "none" else 3600)
# How long past that it may serve the old page while it fetches the new one, and while the site fails.
CDN_STALE_SECONDS = env_seconds("CDN_STALE_SECONDS", 30)
CDN_STALE_IF_ERROR_SECONDS = env_seconds("CDN_STALE_IF_ERROR_SECONDS", 86400)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "reviews@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
