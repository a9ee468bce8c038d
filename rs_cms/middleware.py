"""Security headers Django has no setting for, the admin's own Content-Security-Policy, and
the refusal of text no database can hold."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import BadRequest


def permissions_policy(features):
    """ "camera=(), geolocation=(self)" from {"camera": [], "geolocation": ["self"]}."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


def is_admin(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and admin.site.name in match.namespaces


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; the admin's responses get settings.ADMIN_CSP.

    Goes between ContentSecurityPolicyMiddleware and the page cache: a page answered from the
    cache passes through here too, and the policy chosen here is the one Django's CSP
    middleware then writes (with the request's nonce)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        # What @csp_override does for one view, for the whole admin; a view's own override wins.
        if is_admin(request) and not hasattr(response, "_csp_config"):
            view_name = request.resolver_match.view_name
            response._csp_config = settings.ADMIN_CSP_BY_VIEW.get(view_name, settings.ADMIN_CSP)
        return response


def holds_nul(request):
    """Whether the address, the query string, a form field (urlencoded or multipart: names,
    values, uploaded files' names, not their contents) or a cookie holds a NUL character."""
    texts = [request.path]
    for data in (request.GET, request.POST):
        for name, values in data.lists():
            texts += [name, *values]
    texts += [upload.name or "" for upload in request.FILES.values()]
    texts += [*request.COOKIES, *request.COOKIES.values()]
    return any("\x00" in text for text in texts)


class RefuseNulMiddleware:
    """Answer 400 to a request carrying a NUL character anywhere a view might read text.

    PostgreSQL refuses NUL in text (the one character it does; UTF-8 cannot carry a lone
    surrogate, and Django decodes what is not UTF-8 to U+FFFD), and its error was a 500 from
    any lookup, filter or search that passed the value on: the admin's autocomplete and
    changelist filters, a session cookie, the redirects a 404 looks up. Forms refuse NUL in
    their CharFields (ProhibitNullCharactersValidator); this covers everything else, once.
    Goes before the page cache and sessions, after the middleware that adds headers, so the
    400 carries them too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            raise BadRequest("NUL character in the request.")
        return self.get_response(request)
