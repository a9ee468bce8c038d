"""Confirmation mail, sent by the task worker: never in a reader's request.

A signup enqueues `confirm_signup`. The worker decides whether the address needs a mail, claims
the one message that may be on its way to it, and sends it; a mail server that refuses, hangs or
is down costs one attempt, and `retry_confirmation` tries the same message again later, for more
than a day (MAIL_RETRY_DELAYS). A message that went out is never sent again: each attempt first
checks that its claim still stands, and sending releases it."""

import hashlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsletter.models import Subscription
from newsletter.tokens import confirm_url
from rs_cms.ratelimit import hit

logger = logging.getLogger(__name__)

# What a mail server that refuses, hangs up, times out or is not there raises.
MAIL_ERRORS = (OSError, smtplib.SMTPException)
# A reader is waiting for this mail: it goes before picture renditions.
MAIL_PRIORITY = 10


def retry_window():
    """How long a message may be on its way, all its tries and their waits included."""
    return timedelta(seconds=sum(settings.MAIL_RETRY_DELAYS) + 3600)


def may_mail(email):
    """Count one confirmation mail to `email`; False once it has had its share for now.

    Counted by address whatever the list, when a mail is about to be tried (not per request),
    so nobody can flood an inbox. The cache key holds a digest, never the address itself."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return hit(
        "signup-mail", digest, settings.SIGNUP_MAILS_PER_ADDRESS, settings.SIGNUP_MAILS_WINDOW
    )


def confirmation_message(subscription):
    newsletter = subscription.newsletter
    context = {
        "newsletter": newsletter,
        "confirm_url": confirm_url(newsletter, subscription.email),
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        # One line whatever the list's name holds: a line break would fail the header.
        subject=f"Confirm your subscription to {' '.join(newsletter.name.split())}",
        body=render_to_string("newsletter/email/confirm.txt", context),
        to=[subscription.email],
    )
    message.attach_alternative(
        render_to_string("newsletter/email/confirm.html", context), "text/html"
    )
    return message


@task(priority=MAIL_PRIORITY)
def confirm_signup(newsletter_id, email, requested_at=None):
    """A reader asked to join at `requested_at`: mail the confirmation link, unless none is
    needed. Run twice (staff retrying it, say), it sends nothing the second time."""
    subscription = Subscription.objects.filter(newsletter_id=newsletter_id).for_email(email).first()
    if subscription is None:
        return "no such signup (deleted since)"
    if subscription.status == Subscription.Status.CONFIRMED:
        return "already confirmed: no mail"
    now = timezone.now()
    requested_at = parse_datetime(requested_at) if requested_at else now
    # One message on its way per address and list, claimed in the signup's name: signups while
    # it is (retried) add nothing, nor does this signup once a mail has gone out after it. This
    # signup's own claim is this task run again (its worker lost the database halfway). A claim
    # older than every retry is one whose worker died for good: it lapses.
    claimed = (
        Subscription.objects.filter(pk=subscription.pk)
        .exclude(status=Subscription.Status.CONFIRMED)
        .exclude(confirmation_sent_at__gte=requested_at)
        .filter(
            Q(confirmation_queued_at__isnull=True)
            | Q(confirmation_queued_at=requested_at)
            | Q(confirmation_queued_at__lt=now - retry_window())
        )
        .update(confirmation_queued_at=requested_at)
    )
    if not claimed:
        subscription.refresh_from_db()
        if subscription.confirmation_queued_at is None:
            return "a confirmation mail went out after this signup"
        return "a confirmation mail is already on its way"
    if not may_mail(subscription.email):
        release(subscription.pk, requested_at)
        return "the address has had its share of mail for now"
    return deliver(subscription, requested_at, attempt=1)


@task(priority=MAIL_PRIORITY)
def retry_confirmation(subscription_id, queued_at, attempt):
    """Try again the confirmation mail claimed at `queued_at`, unless it went out meanwhile.

    Also what staff's *Retry* runs on a failed try: a message given up after its last try is
    claimed again and sent, unless another is on its way."""
    queued_at = parse_datetime(queued_at)
    subscription = (
        Subscription.objects.select_related("newsletter").filter(pk=subscription_id).first()
    )
    if subscription is None:
        return "no such signup (deleted since)"
    if subscription.status == Subscription.Status.CONFIRMED:
        release(subscription_id, queued_at)
        return "confirmed meanwhile: no mail"
    sent = subscription.confirmation_sent_at
    if sent is not None and sent >= queued_at:
        return "sent already: nothing to do"
    if subscription.confirmation_queued_at != queued_at:
        # Given up: claim it again, unless another message is on its way.
        reclaimed = Subscription.objects.filter(
            pk=subscription_id, confirmation_queued_at__isnull=True
        ).update(confirmation_queued_at=queued_at)
        if not reclaimed:
            return "another confirmation mail is on its way"
    return deliver(subscription, queued_at, attempt)


def deliver(subscription, queued_at, attempt):
    """Send the message once; when the server fails, queue the next try and fail this one."""
    try:
        confirmation_message(subscription).send()
    except MAIL_ERRORS as error:
        schedule_retry(subscription, queued_at, attempt, error)
        # Raised, so the admin's task list shows this try as failed, with the server's answer.
        raise
    Subscription.objects.filter(pk=subscription.pk, confirmation_queued_at=queued_at).update(
        confirmation_queued_at=None, confirmation_sent_at=timezone.now()
    )
    return f"sent on try {attempt}"


def schedule_retry(subscription, queued_at, attempt, error):
    delays = settings.MAIL_RETRY_DELAYS
    backend = retry_confirmation.get_backend()
    if attempt > len(delays) or not backend.supports_defer:
        logger.error(
            "Giving up the confirmation mail to subscription %s after %s tries: %s",
            subscription.pk,
            attempt,
            error,
        )
        release(subscription.pk, queued_at)
        return
    run_after = timezone.now() + timedelta(seconds=delays[attempt - 1])
    retry_confirmation.using(run_after=run_after).enqueue(
        subscription.pk, queued_at.isoformat(), attempt + 1
    )
    logger.warning(
        "Confirmation mail to subscription %s failed on try %s (%s); next try at %s",
        subscription.pk,
        attempt,
        error,
        run_after.isoformat(timespec="seconds"),
    )


def release(subscription_id, queued_at):
    Subscription.objects.filter(pk=subscription_id, confirmation_queued_at=queued_at).update(
        confirmation_queued_at=None
    )
