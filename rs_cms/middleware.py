"""Security headers Django has no setting for, and the admin's own Content-Security-Policy."""

from django.conf import settings
from django.contrib import admin


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
