"""Settings for rs_cms, read from the environment only (see README "Configuration")."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start without one; "
            "set SECRET_KEY in the environment (or DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "taggit",
    "reversion",
    "articles",
    "newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole pages for anonymous readers: before sessions, so a hit costs no query.
    "articles.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Only on a 404: old addresses of moved articles and sections, and editors' redirects.
    "articles.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "rs_cms.urls"

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
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "rs_cms.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url):
    """Translate CACHE_URL (locmem://, redis://host:port/db, dummy://) into a CACHES entry."""
    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc or "rs_cms",
        }
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL scheme {parts.scheme!r} is not supported.")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}
# The longest a public page is served from the cache (0 switches it off). Edits and
# scheduled articles show at once regardless: see articles/cache.py.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

# With a shared cache (Redis), sessions are read from it and written through to the database,
# so every app server sees the same session and an evicted or restarted cache logs nobody out.
# A per-process cache (locmem) would hand other workers stale copies: the database alone then.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    else "django.contrib.sessions.backends.db"
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def media_storage_from_env(environ):
    """STORAGES["default"]: S3-compatible storage when MEDIA_S3_BUCKET is set, else MEDIA_ROOT."""
    bucket = environ.get("MEDIA_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        # Public media: plain URLs (no signatures that expire) and no per-object ACLs, which
        # most buckets refuse now; make the bucket, or the CDN in front of it, readable instead.
        "querystring_auth": False,
        "default_acl": None,
        # A new file never replaces a stored one (it gets a fresh name), so an address always
        # means the same bytes and browsers and CDNs may keep them for a year.
        "file_overwrite": False,
        "object_parameters": {
            "CacheControl": environ.get(
                "MEDIA_S3_CACHE_CONTROL", "public, max-age=31536000, immutable"
            )
        },
    }
    optional = {
        "endpoint_url": "MEDIA_S3_ENDPOINT_URL",
        "region_name": "MEDIA_S3_REGION",
        "custom_domain": "MEDIA_S3_CUSTOM_DOMAIN",
        "location": "MEDIA_S3_LOCATION",
        "addressing_style": "MEDIA_S3_ADDRESSING_STYLE",
    }
    options |= {option: environ[name] for option, name in optional.items() if environ.get(name)}
    # Credentials come from boto3's own chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
    # or an instance role.
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage_from_env(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email goes through Django 6.1's MAILERS: SMTP when SMTP_HOST is set, the console otherwise.
if os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "The Review <newsletter@localhost>")

# Background work goes through django.tasks. The immediate backend runs a task at once, in
# the request; production can switch to a queue backend without changing any caller.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Newsletter signup: the list the site-wide block joins, and how many signups one client
# may post per window (a fixed window in the shared cache).
NEWSLETTER_DEFAULT = os.environ.get("NEWSLETTER_DEFAULT", "weekly-round-up")
SIGNUP_RATE_LIMIT = int(os.environ.get("SIGNUP_RATE_LIMIT", "5"))
SIGNUP_RATE_WINDOW = int(os.environ.get("SIGNUP_RATE_WINDOW", "600"))
# How many reverse proxies stand in front of the app; their X-Forwarded-For entries are trusted.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The task backends log every task at INFO (and DEBUG lowers Django's level to INFO).
    "loggers": {"django.tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")}},
}

TAGGIT_CASE_INSENSITIVE = True

# The magazine, as readers and search engines see it.
SITE_NAME = os.environ.get("SITE_NAME", "The Meridian Review")
SITE_TAGLINE = os.environ.get("SITE_TAGLINE", "Foreign policy, read closely")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
PREFERRED_SOURCE_URL = os.environ.get(
    "PREFERRED_SOURCE_URL",
    "https://www.google.com/preferences/source?q=" + urlsplit(SITE_URL).netloc,
)
SOCIAL_LINKS = [
    (label, url)
    for label, url in (
        ("Bluesky", os.environ.get("SOCIAL_BLUESKY", "https://bsky.app/")),
        ("Mastodon", os.environ.get("SOCIAL_MASTODON", "https://mastodon.social/")),
    )
    if url
]

# Rich text: one allow-list drives the editor's toolbar and the nh3 sanitiser.
RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}
DJANGO_PROSE_EDITOR_DEFAULT_EXTENSIONS = RICH_TEXT_EXTENSIONS
# Article bodies also take pictures from the library: the editor stores
# <figure data-image="ID"></figure> and the page expands it with caption and credit.
ARTICLE_BODY_EXTENSIONS = RICH_TEXT_EXTENSIONS | {"LibraryImage": True}
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/admin-body-images.js")],
        # The processor itself, not a dotted path: django-prose-editor 0.28 mishandles those.
        "extensions": {"LibraryImage": html_tags(["figure"], {"figure": ["data-image"]})},
    }
]
