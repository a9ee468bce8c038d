"""A fixed-window rate limit kept in the shared cache, so every app server counts together."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address, trusting X-Forwarded-For only as far as our own proxies."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hit(scope, key, limit, window):
    """Count one hit; return True while `key` stays within `limit` hits per `window` seconds."""
    cache_key = f"ratelimit:{scope}:{key}"
    # add() starts the window only if no window is open; incr() counts atomically in Redis.
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window closed between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        count = 1
    if count == 1:
        # Redis' INCR re-creates, with no expiry, a key that expired after add(): without
        # this the window would never close and the client would be refused for good.
        cache.touch(cache_key, window)
    return count <= limit
