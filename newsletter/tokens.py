"""Signed links in newsletter email: confirming a signup (expires) and unsubscribing (never)."""

from datetime import UTC, datetime, timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.seo import absolute_url

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


def _dumps(newsletter, email, salt, **extra):
    return signing.dumps({"n": newsletter.pk, "e": email.strip().lower(), **extra}, salt=salt)


def _loads(token, salt, max_age=None):
    data = signing.loads(token, salt=salt, max_age=max_age)
    return data["n"], data["e"]


def confirm_token(newsletter, email):
    # When it was issued, to the microsecond: an unsubscribe outranks every confirmation link
    # issued before it (services.confirm_subscription).
    return _dumps(newsletter, email, CONFIRM_SALT, t=timezone.now().timestamp())


def read_confirm_token(token):
    """Return (newsletter id, email, issued at); issued at is None for a link made before
    links carried it. Raise signing.BadSignature, or SignatureExpired."""
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    issued_at = datetime.fromtimestamp(data["t"], tz=UTC) if "t" in data else None
    return data["n"], data["e"], issued_at


def unsubscribe_token(newsletter, email):
    return _dumps(newsletter, email, UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """Return (newsletter id, email); an unsubscribe link never expires."""
    return _loads(token, UNSUBSCRIBE_SALT)


def confirm_url(newsletter, email):
    token = confirm_token(newsletter, email)
    return absolute_url(reverse("newsletter:confirm", kwargs={"token": token}))


def unsubscribe_url(newsletter, email):
    token = unsubscribe_token(newsletter, email)
    return absolute_url(reverse("newsletter:unsubscribe", kwargs={"token": token}))
