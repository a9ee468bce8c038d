"""A CDN in front keeps pages as this cache does, and is told to let go of the same ones.

Every stored page's response names its tags in `Cache-Tag` (Cloudflare, Akamai: commas) and
`Surrogate-Key` (Fastly: spaces): an article's page its own tags, a page that follows the
generation `site`. When tags change, a task asks the CDN to purge exactly those, and `site`
(settings.CDN_PURGE, off by default): through Cloudflare's or Fastly's API, or a URL of your
own. The request to the CDN runs in the task worker, never in an editor's request."""

import json
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django.tasks import task

# Every page that follows the generation carries it, and so does a page whose own tags do not
# fit in a header: any change purges it.
SITE_TAG = "site"
# The longest tag header sent (CDNs take 16 KB; most proxies 8 KB for all headers together).
MAX_HEADER_BYTES = 4000
# Tags per purge request: Cloudflare takes 30 at a time, Fastly 256.
BATCH = {"cloudflare": 30, "fastly": 256, "url": 100}
TIMEOUT_SECONDS = 10
CLOUDFLARE_API = "https://api.cloudflare.com/client/v4"
FASTLY_API = "https://api.fastly.com"


def prefixed(tag):
    return f"{settings.CDN_TAG_PREFIX}{tag}"


def header_tags(page_tags, filled_tags=()):
    """The tags a response names: the page's own and its holes' (holes.py), or `site` when
    it has none or they would not fit in MAX_HEADER_BYTES (a purge of `site` then lets it go)."""
    if not page_tags:
        return [prefixed(SITE_TAG)]
    names = sorted({prefixed(tag) for tag, _ in page_tags} | {prefixed(tag) for tag in filled_tags})
    if sum(len(name) + 1 for name in names) > MAX_HEADER_BYTES:
        return [prefixed(SITE_TAG)]
    return names


HEADERS = ("Cache-Tag", "Surrogate-Key")


def tag_headers(response, page_tags, filled_tags=()):
    names = header_tags(page_tags, filled_tags)
    response.headers["Cache-Tag"] = ",".join(names)
    response.headers["Surrogate-Key"] = " ".join(names)


def purging():
    """settings.CDN_PURGE, or None when no CDN is to be told."""
    return settings.CDN_PURGE or None


def purge_later(tags):
    """Queue a purge of `tags` (and `site`), if a CDN is configured."""
    if purging() is not None:
        purge.enqueue(sorted({*tags, SITE_TAG}))


@task
def purge(tags):
    """Ask the CDN to let go of the pages carrying `tags`; returns how many requests it took.

    A failed request raises, so the task shows as failed in the admin's task list."""
    config = purging()
    if config is None:
        return 0
    provider = config["provider"]
    names = [prefixed(tag) for tag in tags]
    size = BATCH[provider]
    batches = [names[start : start + size] for start in range(0, len(names), size)]
    for batch in batches:
        send(purge_request(config, batch))
    return len(batches)


def purge_request(config, names):
    """The HTTP request that purges `names` at the configured CDN."""
    provider, token = config["provider"], config.get("token", "")
    if provider == "cloudflare":
        base = config.get("api_url", CLOUDFLARE_API)
        return urllib.request.Request(
            f"{base}/zones/{quote(config['zone'], safe='')}/purge_cache",
            data=json.dumps({"tags": names}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
    if provider == "fastly":
        base = config.get("api_url", FASTLY_API)
        return urllib.request.Request(
            f"{base}/service/{quote(config['service'], safe='')}/purge",
            data=b"",
            headers={"Fastly-Key": token, "Surrogate-Key": " ".join(names)},
            method="POST",
        )
    if provider == "url":
        # Any endpoint: {tags} in the URL becomes the tags, comma-separated; the body has them
        # as JSON too.
        url = config["url"].replace("{tags}", quote(",".join(names), safe=",:"))
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return urllib.request.Request(
            url, data=json.dumps({"tags": names}).encode(), headers=headers, method="POST"
        )
    raise ValueError(f"CDN_PURGE provider {provider!r} is not cloudflare, fastly or url.")


def send(request):
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
        answer.read()
