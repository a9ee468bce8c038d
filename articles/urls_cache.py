"""reverse() for the addresses a page names by the hundred: articles, sections, authors, kinds."""

from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=16_384)
def _reverse(resolver, prefix, viewname, kwargs):
    return reverse(viewname, kwargs=dict(kwargs))


def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered: the home page names some 170 addresses,
    and working each out again was a tenth of its time.

    The resolver (the URL patterns, by identity: kept alive by the key, so never mistaken for
    a newer one) and the script prefix are part of the key, so a changed URLconf, or
    clear_url_caches(), which makes a new resolver, is never answered from an old one."""
    resolver = get_resolver(get_urlconf())
    return _reverse(resolver, get_script_prefix(), viewname, tuple(sorted(kwargs.items())))
