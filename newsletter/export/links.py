"""The links in an exported issue: the site's address, the issue's UTM tagging, and the schemes
mail may carry."""

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from newsletter.export.errors import ExportError

MERGE_TAG = re.compile(r"\*\|.*?\|\*|\{\{.*?\}\}|\{%.*?%\}")
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})


def site_url():
    """SITE_URL, which production must serve over https: links and images in mail use it."""
    url = settings.SITE_URL
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ExportError(f"SITE_URL ({url!r}) must be the site's full address, like https://….")
    if not settings.DEBUG and parts.scheme != "https":
        raise ExportError(
            f"SITE_URL is {url}, but email sent from production must link to https:// "
            "addresses. Set SITE_URL to the site's https address."
        )
    return url


def tag_url(url, issue):
    """Make `url` absolute and, when it points at our own site, add the issue's UTM parameters.

    A link that already carries utm_ parameters, the unsubscribe link, links to other hosts and
    anything that is not http(s) (mailto:, merge tags) pass through unchanged."""
    if MERGE_TAG.search(url):
        return url
    url = urljoin(settings.SITE_URL, url)
    try:
        parts = urlsplit(url)
        own_site = parts.hostname == urlsplit(settings.SITE_URL).hostname
    except ValueError:
        return url
    if parts.scheme not in {"http", "https"} or not own_site or is_unsubscribe_path(parts.path):
        return url
    if any(key.lower().startswith("utm_") for key, _ in parse_qsl(parts.query, True)):
        return url
    utm = urlencode(
        {
            "utm_source": issue.newsletter.slug,
            "utm_medium": "email",
            "utm_campaign": issue.campaign,
        }
    )
    # Appended to the query as written, so the other parameters keep their exact encoding.
    return parts._replace(query=f"{parts.query}&{utm}" if parts.query else utm).geturl()


def is_unsubscribe_path(path):
    try:
        return resolve(path).view_name == "newsletter:unsubscribe"
    except Resolver404:
        return False


def url_scheme(url):
    """The scheme of `url`, lowercased; "" for a relative address or one that cannot be parsed.

    urlsplit, like a browser, skips leading spaces and controls and drops tabs and newlines,
    so "java\tscript:" reads as javascript."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""
