"""HTTP requests to the site as a reader's reach it through the proxy: for SITE_URL's host."""

import http.client
from urllib.parse import urlsplit

from bench.common.environment import SITE_HOST


def send(base_url, method, path, body=None, timeout=120):
    """One request, no redirect followed: (status, body, X-Page-Cache)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    # The page cache stores no other host's pages.
    headers = {"Host": SITE_HOST}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("X-Page-Cache", "")
    finally:
        connection.close()


def fetch(base_url, path, timeout=120):
    """GET: (status, body)."""
    status, body, _ = send(base_url, "GET", path, timeout=timeout)
    return status, body


def with_param(path, param):
    return path + ("&" if "?" in path else "?") + param
