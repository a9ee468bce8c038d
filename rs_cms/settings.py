"""Settings for rs_cms, read from the environment only (see README "Configuration")."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from rs_cms.environment import (
    REDIS_CACHE_BACKEND,
    cache_from_url,
    cdn_purge_from_env,
    database_from_env,
    env_bool,
    env_list,
    mailers_from_env,
    media_origins,
    media_storage_from_env,
    originals_storage_from_env,
    tasks_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent

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
    # django.contrib.admin, whose admin.site answers with the admin's own CSP (rs_cms/admin.py).
    "rs_cms.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "taggit",
    "reversion",
    "django_tasks_db",
    "taskqueue",
    "articles",
    "newsletter",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache, so a page answered from it carries these headers too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rs_cms.middleware.RefuseNulMiddleware",  # 400 for NUL, before anything reads the request
    # A friendly 503 while the database is down; above the page cache, which serves on meanwhile.
    "rs_cms.faults.DatabaseUnavailableMiddleware",
    # Whole pages for anonymous readers: before sessions, so a hit costs no query.
    "rs_cms.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Only on a 404: old addresses of moved articles and sections, and editors' redirects.
    "articles.redirects.middleware.RedirectFallbackMiddleware",
    # Last: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
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
                # The admin's templates put the request's CSP nonce on their scripts and styles.
                "django.template.context_processors.csp",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "rs_cms.wsgi.application"

# DATABASE_URL, SQLite in the project by default; on PostgreSQL, prepared statements unless
# DATABASE_PREPARED_STATEMENTS=0 (rs_cms/environment.py).
DATABASES = {"default": database_from_env(os.environ, f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# redis:// is REDIS_CACHE_BACKEND, fail-soft while Redis is down (rs_cms/cache_backends.py).
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}
# The page cache (rs_cms/pagecache; the README's environment table): how long pages following
# the generation and pages naming their tags are kept; tags on or off (off: every change
# retires every page); the holes filled as a page is served; the CDN told what to purge.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_TAGGED_SECONDS = int(os.environ.get("PAGE_CACHE_TAGGED_SECONDS", "3600"))
PAGE_CACHE_TAGS = env_bool("PAGE_CACHE_TAGS", True)
PAGE_CACHE_HOLES = {"rail": "articles.chrome.rail_filling"}
CDN_PURGE, CDN_TAG_PREFIX = cdn_purge_from_env(os.environ), os.environ.get("CDN_TAG_PREFIX", "")
# The pages stored, by URL name, with the query parameters each reads (a page number past the
# first is part of the key). Not search (anyone could fill the cache), previews, the admin or
# the newsletter's pages, whatever their headers say.
FEEDS = ("site", "section", "tag", "author")
PAGE_CACHE_VIEWS = {
    **dict.fromkeys(["articles:home", "articles:article", "feeds:index"], frozenset()),
    **dict.fromkeys(["robots-txt", "sitemap-index"], frozenset()),
    **{f"articles:{listing}": {"page"} for listing in ("section", "tag", "author", "kind")},
    **{f"feeds:{feed}-{kind}": set() for feed in FEEDS for kind in ("rss", "atom")},
    "sitemap-news": {"p"},
    "sitemap-section": {"p"},
}

# With a shared cache (Redis), sessions are read from it and written through to the database,
# so every app server sees the same session and an evicted or restarted cache logs nobody out.
# A per-process cache (locmem) would hand other workers stale copies: the database alone then.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"] == REDIS_CACHE_BACKEND
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
# Uploaded originals (camera EXIF, GPS position and all) are kept for the newsroom in a folder
# that no address reaches, outside MEDIA_ROOT; readers and emails get stripped copies.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Uploaded pictures (articles/images/uploads.py): the most bytes and pixels accepted. The pixel
# limit also caps every Pillow decode in the app, well below Pillow's own ~89 megapixels.
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", str(20 * 1024 * 1024)))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", "40000000"))
# The longer side, in pixels, of the display copy made at upload: what pages and emails show
# until the renditions exist.
IMAGE_DISPLAY_MAX = int(os.environ.get("IMAGE_DISPLAY_MAX", "1600"))

STORAGES = {
    "default": media_storage_from_env(os.environ),
    "originals": originals_storage_from_env(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email goes through Django 6.1's MAILERS: SMTP when SMTP_HOST is set, the console otherwise.
MAILERS = mailers_from_env(os.environ)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "The Review <newsletter@localhost>")

# Background work goes through django.tasks, on a queue that a worker process empties
# (`manage.py run_worker`; `make run` starts one beside the web server). Nothing a reader asks
# for waits on mail, picture encoding or another server. TASKS_BACKEND: "database" (the tasks
# live in DATABASE_URL's database, enqueued in the same transaction as the change that wants
# them), or "immediate" (runs each task in the request: development without a worker only).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = tasks_from_env(TASKS_BACKEND, DEBUG)
# A mail the server did not take is tried again after each of these delays (seconds), more
# than a day in all; then it is given up and shows as failed in the admin's task list.
MAIL_RETRY_DELAYS = [
    int(seconds)
    for seconds in env_list(
        "MAIL_RETRY_DELAYS", "60,300,900,1800,3600,7200,14400,21600,21600,21600,21600"
    )
]
# The dashboard warns when the oldest task waiting to run is older than this (seconds): the
# worker is down or cannot keep up.
TASKS_STALE_AFTER = int(os.environ.get("TASKS_STALE_AFTER", "300"))

# Newsletter signup: the list the site-wide block joins, and how many signups one client
# may post per window (a fixed window in the shared cache).
NEWSLETTER_DEFAULT = os.environ.get("NEWSLETTER_DEFAULT", "weekly-round-up")
SIGNUP_RATE_LIMIT = int(os.environ.get("SIGNUP_RATE_LIMIT", "5"))
SIGNUP_RATE_WINDOW = int(os.environ.get("SIGNUP_RATE_WINDOW", "600"))
# Confirmation emails one address may be sent per window, whichever clients ask: a signup
# form must not become a way to flood someone's inbox.
SIGNUP_MAILS_PER_ADDRESS = int(os.environ.get("SIGNUP_MAILS_PER_ADDRESS", "3"))
SIGNUP_MAILS_WINDOW = int(os.environ.get("SIGNUP_MAILS_WINDOW", "86400"))
# How many reverse proxies stand in front of the app; their X-Forwarded-For entries are trusted.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

# HTTPS and security headers (README "HTTPS and security settings"). Production (DEBUG off)
# gets the strict value of each; development (DEBUG=1, plain http) none of them. Each can be
# set alone from the environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Only behind a proxy that terminates TLS and sets X-Forwarded-Proto itself, overwriting any a
# client sent: otherwise anyone could claim https. (gunicorn trusts the header from
# FORWARDED_ALLOW_IPS on its own; this is for any other server.)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Origins, such as "https://www.example.org", allowed to POST here from another host name.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Public pages load their own stylesheet and pictures and run no script: no inline script or
# style anywhere, so no nonce either, and a page from the cache replays nothing of one visitor.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, *media_origins(os.environ, MEDIA_URL)],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The admin (rs_cms/admin.py): Django's admin templates and django-prose-editor put the
# request's nonce on their few inline scripts and styles. The editor's Tiptap also adds one
# <style> of its own, without a nonce: allowed by its hash, which changes only when
# django-prose-editor updates Tiptap (tests/browser/test_content_security_policy.py then fails).
TIPTAP_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
ADMIN_CSP = SECURE_CSP | {
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE, TIPTAP_STYLE_HASH],
}
# Admin views with a policy of their own, by URL name. The issue preview shows the email in a
# sandboxed srcdoc frame, which inherits the page's policy, and an email's styles are inline.
# Scripts stay as strict: the sandbox runs none, and script-src is unchanged.
ADMIN_CSP_BY_VIEW = {
    "admin:newsletter_issue_preview": ADMIN_CSP | {"style-src": [CSP.SELF, CSP.UNSAFE_INLINE]},
}
# Browser features no page of ours uses, refused to the page and anything it embeds
# (Permissions-Policy, written by django-permissions-policy's middleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Logins. A staff session lasts one working day at most (a stolen cookie stops working that
# night), and ends when the browser closes: newsrooms share machines, reporters borrow them.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# django-axes: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is refused for LOGIN_COOLOFF_MINUTES. By the pair, not the username alone: a
# stranger guessing an editor's password must not lock the editor out on deadline.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address as the signup rate limit reads it (TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "rs_cms.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "rs_cms.logins.locked_out"
# The admin's address. A path bots do not try (e.g. "newsroom-5d2e/") spares the logs their
# password guessing; the lockout above is what protects the accounts.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin").strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("ADMIN_PATH cannot be empty: the admin would take the whole site.")
# Where a login goes when its ?next= is missing or off the site: staff work in the admin.
LOGIN_REDIRECT_URL = "admin:index"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A database outage is logged once a minute by rs_cms/faults.py, not per request by Django.
    "filters": {"skip_reported_outages": {"()": "rs_cms.faults.SkipReportedOutages"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The task backends log every task at INFO (and DEBUG lowers Django's level to INFO; the
    # worker raises it to INFO again, so `make run` shows each task once, here, not also through
    # Django's own DEBUG console handler).
    "loggers": {
        "django.tasks": {
            "level": os.environ.get("TASKS_LOG_LEVEL", "WARNING"),
            "handlers": ["console"],
            "propagate": False,
        },
        "django.request": {"filters": ["skip_reported_outages"]},
    },
}

TAGGIT_CASE_INSENSITIVE = True

# The magazine, as readers and search engines see it.
SITE_NAME = os.environ.get("SITE_NAME", "The Meridian Review")
SITE_TAGLINE = os.environ.get("SITE_TAGLINE", "Foreign policy, read closely")
# Every absolute link (canonical, feeds, sitemaps, mail, share links, exports) is on SITE_URL.
# In development it is the address `make run` serves on; production must say it, as SECRET_KEY.
SITE_URL = os.environ.get("SITE_URL", "")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL is not set. Production refuses to start without it; set SITE_URL to the "
            "site's public address, like https://www.example.org (or DEBUG=1 for local "
            "development, where it follows HOST and PORT)."
        )
    SITE_URL = f"http://{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
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
# Rich text bigger or deeper than this is refused before nh3 sees it (articles/sanitize.py).
RICH_TEXT_MAX_BYTES = int(os.environ.get("RICH_TEXT_MAX_BYTES", 200_000))
RICH_TEXT_MAX_DEPTH = int(os.environ.get("RICH_TEXT_MAX_DEPTH", 20))
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/admin-body-images.js")],
        # The processor itself, not a dotted path: django-prose-editor 0.28 mishandles those.
        "extensions": {"LibraryImage": html_tags(["figure"], {"figure": ["data-image"]})},
    }
]
