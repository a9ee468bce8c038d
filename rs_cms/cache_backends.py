"""A Redis cache that a Redis outage cannot take the site down with.

While Redis cannot be reached, every read misses and every write is dropped, so pages are
rendered and served uncached, and sessions (cached_db) are read from the database alone. Rate
limit windows are the exception: counted in this process meanwhile, so a signup flood is held
to the limit per worker rather than let through unlimited (see `LOCAL_PREFIXES`).

A failure opens a pause of RETRY_SECONDS in which this process does not try Redis at all, so a
dead or unreachable server costs one short timeout per process per pause, not one per call.
It is logged when it starts (and at most once a minute while it lasts) and when Redis is back.

What an outage may leave behind: writes dropped meanwhile (a page-cache generation bump by an
edit, say) never reach Redis, so if Redis comes back with its data, a page cached before the
outage may be served until it expires, PAGE_CACHE_SECONDS at most."""

import logging
import math
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from rs_cms.log_throttle import LogThrottle

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
DEFAULT_OPTIONS = {
    # Redis answers in well under a millisecond; these only bound how long a dead one can stall.
    "SOCKET_CONNECT_TIMEOUT": 0.25,
    "SOCKET_TIMEOUT": 1.0,
    # Failures must reach FailSoftRedisCache.attempt(), which opens the pause.
    "IGNORE_EXCEPTIONS": False,
}
RETRY_SECONDS = 5
LOG_EVERY_SECONDS = 60
# Keys kept in this process while Redis is away: the windows of rs_cms/ratelimit.py. Every
# worker then counts alone, so one client gets at most the limit times the number of workers.
LOCAL_PREFIXES = ("ratelimit:",)


class Outage:
    """Whether Redis at one address is being left alone, shared by the threads of a process
    (Django makes a cache backend per thread)."""

    def __init__(self, address):
        self.address = address
        self.lock = threading.Lock()
        self.retry_at = -math.inf
        self.since = None
        # Failures and calls answered without Redis, reported at most once a period.
        self.log = LogThrottle()

    def is_pausing(self):
        """True while Redis is not to be tried; counts the calls answered without it."""
        if time.monotonic() < self.retry_at:
            self.log.count()
            return True
        return False

    def failed(self, error):
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + RETRY_SECONDS
            starting = self.since is None
            if starting:
                self.since = now
        if starting:
            self.log.reported()
            logger.warning(
                "Redis at %s is unreachable (%s): serving without the cache, retrying every %d s.",
                self.address,
                error,
                RETRY_SECONDS,
            )
            return
        due, skipped = self.log.due(LOG_EVERY_SECONDS)
        if due:
            logger.warning(
                "Redis at %s still unreachable (%s); %d cache calls answered without it.",
                self.address,
                error,
                skipped,
            )

    def succeeded(self):
        if self.since is None:
            return
        with self.lock:
            since, self.since = self.since, None
            self.retry_at = -math.inf
        if since is not None:
            self.log.forget()
            logger.warning(
                "Redis at %s is back after %.0f s.", self.address, time.monotonic() - since
            )


_outages = {}
_outages_lock = threading.Lock()


def outage_for(location):
    # The address without any password in it: it is what the log shows.
    parts = urlsplit(location.split(",")[0].split(";")[0])
    address = f"{parts.hostname}:{parts.port or 6379}{parts.path}"
    with _outages_lock:
        return _outages.setdefault(address, Outage(address))


def is_local(key):
    return isinstance(key, str) and key.startswith(LOCAL_PREFIXES)


class FailSoftRedisCache(RedisCache):
    """django-redis's RedisCache, answering as an empty cache while Redis cannot be reached.

    Every method of Django's cache API is wrapped, through django-redis's public methods;
    django-redis's own extras (keys, ttl, lock, the set commands, …) are not, and raise during
    an outage: the site does not use them. django-redis's IGNORE_EXCEPTIONS stays off: it would
    swallow the failure before this class could see it and open the pause, and it also hides
    ResponseError (a command Redis refused), which is a bug to show, not an outage."""

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        location = server if isinstance(server, str) else ",".join(server)
        self.outage = outage_for(location)
        # Shared by every thread of the process: LocMemCache keeps its data by name.
        self.local = LocMemCache(
            f"fail-soft:{self.outage.address}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )

    def attempt(self, call, fallback):
        if self.outage.is_pausing():
            return fallback()
        try:
            result = call()
        except UNREACHABLE as error:
            self.outage.failed(error)
            return fallback()
        self.outage.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        redis = super()
        return self.attempt(
            lambda: redis.add(key, value, timeout, version),
            lambda: is_local(key) and self.local.add(key, value, timeout, version),
        )

    def get(self, key, default=None, version=None):
        redis = super()
        return self.attempt(
            lambda: redis.get(key, default, version),
            lambda: self.local.get(key, default, version) if is_local(key) else default,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        redis = super()
        return self.attempt(
            lambda: redis.set(key, value, timeout, version),
            lambda: self.local.set(key, value, timeout, version) if is_local(key) else None,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        redis = super()
        return self.attempt(
            lambda: redis.touch(key, timeout, version),
            lambda: is_local(key) and self.local.touch(key, timeout, version),
        )

    def delete(self, key, version=None):
        redis = super()
        return self.attempt(
            lambda: redis.delete(key, version),
            lambda: is_local(key) and self.local.delete(key, version),
        )

    def get_many(self, keys, version=None):
        redis, keys = super(), list(keys)
        return self.attempt(
            lambda: redis.get_many(keys, version),
            lambda: self.local.get_many([key for key in keys if is_local(key)], version),
        )

    def has_key(self, key, version=None):
        redis = super()
        return self.attempt(
            lambda: redis.has_key(key, version),
            lambda: is_local(key) and self.local.has_key(key, version),
        )

    def incr(self, key, delta=1, version=None):
        redis = super()

        def without_redis():
            if is_local(key):
                return self.local.incr(key, delta, version)
            return not_found(key)

        return self.attempt(lambda: redis.incr(key, delta, version), without_redis)

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

    def incr_version(self, key, delta=1, version=None):
        redis = super()
        return self.attempt(lambda: redis.incr_version(key, delta, version), lambda: not_found(key))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        redis = super()
        # Django's contract: the keys that could not be stored (django-redis returns None).
        return self.attempt(
            lambda: redis.set_many(data, timeout, version) or [], lambda: list(data)
        )

    def delete_many(self, keys, version=None):
        redis = super()
        return self.attempt(lambda: redis.delete_many(keys, version), lambda: None)

    def clear(self):
        redis = super()
        return self.attempt(redis.clear, lambda: False)


def not_found(key):
    # What incr() says of a key that is not there: callers already handle that.
    raise ValueError(f"Key '{key}' not found.")
