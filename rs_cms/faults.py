"""While the database cannot be reached: a friendly 503 page, logged once a minute, never a 500.

Django turns an exception into a response at every layer of middleware, so no middleware sees
an exception raised below it. Hence two ways in:

- `DatabaseUnavailableMiddleware.process_exception` answers for the view and its templates
  (where a reader's session and user are first read), without a 500 being logged or signalled.
- `server_error`, the site's handler500, answers for the rest: a middleware that reads or writes
  the database (sessions saved, the redirect fallback behind a 404, the page cache's schedule),
  or an error page that could not be drawn because its navigation comes from the database.

Coming back needs nothing from us. A database error marks the connection (`errors_occurred`) and
Django drops it at the end of the request unless it still answers; a persistent connection
(CONN_MAX_AGE) is health-checked before its first use in a request (CONN_HEALTH_CHECKS). So the
first request after the database returns opens a fresh connection."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views import defaults

from rs_cms.log_throttle import LogThrottle

logger = logging.getLogger(__name__)

# Refused or dropped connections, a server shutting down or out of connection slots, and a
# connection already closed under us (InterfaceError).
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
LOG_EVERY_SECONDS = 60
TEMPLATE = "503.html"


class OutageLog:
    """One log line per LOG_EVERY_SECONDS, however many requests fail meanwhile."""

    def __init__(self):
        self.throttle = LogThrottle()

    def report(self, request, error):
        due, earlier = self.throttle.due(LOG_EVERY_SECONDS)
        if not due:
            return
        logger.error(
            "Database unavailable, answering 503 (%s %s): %s. Requests answered 503 since the "
            "last report: %d.",
            request.method,
            request.path,
            error,
            earlier,
            exc_info=error,
        )


outage_log = OutageLog()


def unavailable(request, error):
    """The 503 page: static, drawn with no request context, so with no database."""
    outage_log.report(request, error)
    response = HttpResponse(render_to_string(TEMPLATE), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Kept by no cache: the page cache stores only 200s, and no CDN or browser should either.
    patch_cache_control(response, no_store=True)
    # Reported above, once a minute: Django's own record of the 503 on django.request (with a
    # traceback) is dropped for every request of the outage by SkipReportedOutages.
    request.outage_reported = True
    return response


class SkipReportedOutages(logging.Filter):
    """On django.request (settings.LOGGING): drops Django's record of a response that
    `unavailable` answered, whose outage OutageLog reports itself."""

    def filter(self, record):
        # Django gives each of its django.request records the request it is about.
        return not getattr(getattr(record, "request", None), "outage_reported", False)


class DatabaseUnavailableMiddleware:
    """The 503 page for a view that fails because the database cannot be reached.

    Goes high in MIDDLEWARE, above the page cache: stored pages go on being served meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return unavailable(request, exception)
        return None


def server_error(request, template_name="500.html"):
    """handler500: the 503 page when the database failed, Django's plain 500 page otherwise."""
    # Django calls the handler while handling the exception, so it is still the current one.
    error = sys.exception()
    if isinstance(error, DATABASE_ERRORS):
        return unavailable(request, error)
    return defaults.server_error(request, template_name)
