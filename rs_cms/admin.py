"""The newsroom's admin site: Django's, with the admin's own Content-Security-Policy.

Public pages get settings.SECURE_CSP, which allows no inline script or style. Django's admin
templates and django-prose-editor put the request's nonce on their few inline ones, so every
admin view answers with settings.ADMIN_CSP instead, or with the policy ADMIN_CSP_BY_VIEW names
for its URL, through Django's public csp_override().

A view with a policy of its own names it in ADMIN_CSP_BY_VIEW: a @csp_override on the view
itself would be replaced by the admin's, applied around it (telling whether a response already
carries an override needs the attribute Django's CSP middleware keeps private). An error page
raised from an admin view (404, 403, the 503 of rs_cms/faults.py) is the site's own template
and carries the public policy, stricter than the admin's."""

from functools import wraps

from django.conf import settings
from django.contrib.admin import AdminSite
from django.views.decorators.csp import csp_override


def admin_policy(request):
    """ADMIN_CSP_BY_VIEW's policy for the URL name the request resolved to, else ADMIN_CSP."""
    match = request.resolver_match
    view_name = match.view_name if match else None
    return settings.ADMIN_CSP_BY_VIEW.get(view_name, settings.ADMIN_CSP)


def with_admin_policy(view):
    """`view`, answering with the admin's Content-Security-Policy (read at each request, so
    it follows the settings as they are then)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return csp_override(admin_policy(request))(view)(request, *args, **kwargs)

    return wrapped


class NewsroomAdminSite(AdminSite):
    """The site every admin view is registered on (admin.site, by NewsroomAdminConfig)."""

    def admin_view(self, view, cacheable=False):
        # Every view of the admin goes through here but the login page, below.
        return with_admin_policy(super().admin_view(view, cacheable))

    def login(self, request, extra_context=None):
        return with_admin_policy(super().login)(request, extra_context)
