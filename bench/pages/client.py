"""In-process requests with Django's test client, once Django is set up."""

from bench.common.environment import SITE_HOST


def get(path, client=None):
    """GET `path` in-process, which must answer 200."""
    # Imported once the bench has set Django up.
    from django.test import Client

    # A fresh client per page: a cookie from the last answer would change the request. Pages
    # are asked for on SITE_URL's host, the one the page cache stores.
    response = (client or Client(HTTP_HOST=SITE_HOST)).get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code} in-process")
    return response


def count_queries(path, client=None):
    """(queries run, response) of GET `path`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = get(path, client)
    return len(captured), response
