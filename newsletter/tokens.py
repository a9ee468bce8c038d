"""Signed links in newsletter email: confirming a signup (expires) and unsubscribing (never)."""

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from articles.seo import absolute_url

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


def _dumps(newsletter, email, salt):
    return signing.dumps({"n": newsletter.pk, "e": email.strip().lower()}, salt=salt)


def _loads(token, salt, max_age=None):
    data = signing.loads(token, salt=salt, max_age=max_age)
    return data["n"], data["e"]


def confirm_token(newsletter, email):
    return _dumps(newsletter, email, CONFIRM_SALT)


def read_confirm_token(token):
    """Return (newsletter id, email); raise signing.BadSignature, or SignatureExpired."""
    return _loads(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


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
