"""One drill request and its outcome: served, the friendly 503, a 500, another answer, no answer."""

import http.client
import re
import statistics
from dataclasses import dataclass

from bs4 import BeautifulSoup

from bench.common.client import send
from bench.common.environment import ROOT

OUTCOMES = ["served", "friendly 503", "500", "other answer", "connection error"]
KINDS = ["page, cacheable", "page, uncached", "signup"]
WINDOWS = ["before", "during", "after"]


@dataclass
class Result:
    drill: str
    kind: str
    started: float
    outcome: str
    detail: str = ""
    cache: str = ""
    seconds: float = 0.0
    wall: float = 0.0  # time.time() when sent, to set beside the server's log


def heading(html):
    """The text of a page's first <h1>, or None."""
    h1 = BeautifulSoup(html, "html.parser").h1
    return h1.get_text(strip=True) if h1 else None


# The friendly page's heading, read from its template, so the drill recognises the real thing.
UNAVAILABLE_HEADING = heading((ROOT / "templates" / "503.html").read_text())


def classify(status, body):
    if status is None:
        return "connection error"
    if 200 <= status < 400:
        return "served"
    if status == 503 and heading(body.decode("utf-8", "replace")) == UNAVAILABLE_HEADING:
        return "friendly 503"
    if status == 500:
        return "500"
    return "other answer"


def request(base_url, method, path, body=None, timeout=15):
    """(status, body, X-Page-Cache); status None when the connection itself failed."""
    try:
        return send(base_url, method, path, body, timeout)
    except (OSError, http.client.HTTPException) as error:
        return None, str(error).encode(), ""


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def median_ms(results):
    return statistics.median(r.seconds for r in results) * 1000


def max_ms(results):
    return max(r.seconds for r in results) * 1000
