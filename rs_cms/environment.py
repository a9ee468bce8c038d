"""What rs_cms/settings.py makes of the environment: small pure functions, no settings."""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False, environ=os.environ):
    """An on/off variable: 1, true, yes or on (any case) is on; unset or empty is `default`."""
    value = environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """A comma-separated variable as a list, without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# psycopg prepares a statement the 5th time one connection runs it (its own default threshold);
# then PostgreSQL parses and plans it once per connection, not per query.
PREPARE_THRESHOLD = 5


def database_from_env(environ, default_url):
    """DATABASES["default"] from DATABASE_URL (dj-database-url), `default_url` if unset, with
    each engine's options; options given in the URL's query string win."""
    database = dj_database_url.parse(
        environ.get("DATABASE_URL", default_url),
        conn_max_age=int(environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    options = {}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # The quick-start database serves a web server and a task worker at once. WAL lets
        # readers read while one connection writes; IMMEDIATE takes the write lock when a
        # transaction starts, so two writers queue for it (up to the busy timeout, in seconds)
        # instead of one failing with "database is locked" when it upgrades a read lock.
        options = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": int(environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        }
    elif database["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_PREPARED_STATEMENTS", True, environ
    ):
        # Server-side parameters, which psycopg needs to prepare statements at all: an
        # uncached article page then costs the database about a third of the CPU (planning
        # its joins was most of it). Off behind a pooler that cannot keep them (PgBouncer in
        # transaction mode before 1.21): docs/deployment.md.
        options = {"server_side_binding": True, "prepare_threshold": PREPARE_THRESHOLD}
    database["OPTIONS"] = options | database.get("OPTIONS", {})
    return database


# django-redis's RedisCache, answering as an empty cache while Redis is down (pages are then
# served uncached, sessions come from the database): see rs_cms/cache_backends.py.
REDIS_CACHE_BACKEND = "rs_cms.cache_backends.FailSoftRedisCache"


def cache_from_url(url):
    """Translate CACHE_URL (locmem://, redis://host:port/db, dummy://) into a CACHES entry."""
    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss"}:
        return {"BACKEND": REDIS_CACHE_BACKEND, "LOCATION": url}
    if parts.scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc or "rs_cms",
        }
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL scheme {parts.scheme!r} is not supported.")


def mailers_from_env(environ):
    """MAILERS: SMTP when SMTP_HOST is set, the console otherwise."""
    if not environ.get("SMTP_HOST"):
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": environ["SMTP_HOST"],
                "port": int(environ.get("SMTP_PORT", "587")),
                "username": environ.get("SMTP_USER", ""),
                "password": environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True, environ),
                # Only the task worker talks to the mail server; a server that hangs costs one
                # attempt this long, then the message waits for its next try.
                "timeout": float(environ.get("SMTP_TIMEOUT", "15")),
            },
        }
    }


def media_storage_from_env(environ):
    """STORAGES["default"]: S3-compatible storage when MEDIA_S3_BUCKET is set, else MEDIA_ROOT."""
    bucket = environ.get("MEDIA_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "rs_cms.storage.MediaStorage"}
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


def originals_storage_from_env(environ):
    """STORAGES["originals"]: a second, private bucket when media are on S3, else
    PRIVATE_MEDIA_ROOT. Never the public media: originals carry their camera's metadata."""
    if not environ.get("MEDIA_S3_BUCKET", ""):
        return {"BACKEND": "rs_cms.storage.PrivateStorage"}
    bucket = environ.get("MEDIA_S3_PRIVATE_BUCKET", "")
    if not bucket or bucket == environ["MEDIA_S3_BUCKET"]:
        raise ImproperlyConfigured(
            "MEDIA_S3_PRIVATE_BUCKET must name a private bucket, other than MEDIA_S3_BUCKET, "
            "for uploaded originals."
        )
    options = {
        "bucket_name": bucket,
        # Nothing in it is readable without credentials: a private ACL on every object, and
        # any address boto3 makes for one is signed (the site itself streams them to staff).
        "querystring_auth": True,
        "default_acl": "private",
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    optional = {
        "endpoint_url": "MEDIA_S3_ENDPOINT_URL",
        "region_name": "MEDIA_S3_REGION",
        "addressing_style": "MEDIA_S3_ADDRESSING_STYLE",
    }
    options |= {option: environ[name] for option, name in optional.items() if environ.get(name)}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origins(environ, media_url):
    """Where pictures come from besides this site: an absolute MEDIA_URL, the S3 custom domain,
    and CSP_MEDIA_ORIGINS (e.g. a bucket's own https://<bucket>.s3.<region>.amazonaws.com)."""
    urls = [media_url, *environ.get("CSP_MEDIA_ORIGINS", "").split(",")]
    if environ.get("MEDIA_S3_CUSTOM_DOMAIN"):
        urls.append(f"https://{environ['MEDIA_S3_CUSTOM_DOMAIN']}")
    origins = set()
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}


def tasks_from_env(backend, debug):
    """TASKS for the TASKS_BACKEND named `backend`; the immediate one only with DEBUG."""
    if backend not in TASKS_BACKENDS:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {backend!r}."
        )
    if backend == "immediate" and not debug:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=immediate runs mail and picture encoding inside readers' requests; "
            "production needs the database queue and a worker (manage.py run_worker)."
        )
    return {"default": {"BACKEND": TASKS_BACKENDS[backend], "QUEUES": ["default"]}}


CDN_PURGE_OPTIONS = {"cloudflare": "zone", "fastly": "service", "url": "url"}


def cdn_purge_from_env(environ):
    """settings.CDN_PURGE from CDN_PURGE_PROVIDER (cloudflare, fastly or url), the zone,
    service or URL template it needs (CDN_PURGE_ZONE, CDN_PURGE_SERVICE, CDN_PURGE_URL) and
    CDN_PURGE_TOKEN; None without a provider."""
    provider = environ.get("CDN_PURGE_PROVIDER", "")
    if not provider:
        return None
    if provider not in CDN_PURGE_OPTIONS:
        raise ImproperlyConfigured(
            f"CDN_PURGE_PROVIDER must be one of {', '.join(CDN_PURGE_OPTIONS)}, not {provider!r}."
        )
    option = CDN_PURGE_OPTIONS[provider]
    value = environ.get(f"CDN_PURGE_{option.upper()}", "")
    if not value:
        raise ImproperlyConfigured(
            f"CDN_PURGE_PROVIDER={provider} needs CDN_PURGE_{option.upper()}."
        )
    return {"provider": provider, option: value, "token": environ.get("CDN_PURGE_TOKEN", "")}
