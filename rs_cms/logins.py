"""What a locked-out login sees (django-axes calls locked_out: settings.AXES_LOCKOUT_CALLABLE)."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone

from rs_cms.admin import with_admin_policy


# django-axes answers with this in place of the login view's response: the admin's page, so the
# admin's policy.
@with_admin_policy
def locked_out(request, response, credentials):
    """The admin's login page, saying why the login was refused and for how long (429)."""
    cool_off = get_cool_off(request)
    context = admin.site.each_context(request) | {
        "title": "Too many failed logins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        "retry_at": timezone.now() + cool_off if cool_off else None,
    }
    return render(request, "admin/locked_out.html", context, status=429)
