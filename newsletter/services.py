"""Newsletter workflows with side effects: signups, confirmations, unsubscribes, new issues."""

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from newsletter.models import Issue, IssueItem, Newsletter, Subscription
from newsletter.tasks import confirm_signup


def request_subscription(newsletter, email, source_url=""):
    """Start (or restart) double opt-in for `email`; nothing is subscribed until it confirms.

    The same two statements whatever the address's state (new, pending, confirmed,
    unsubscribed): an insert that a known address ignores, and the task that decides, in the
    worker, whether a mail is owed. So neither the answer nor its timing tells anyone whether
    an address is on the list. The task is enqueued in the same transaction as the row: with
    the database queue, a signup that was answered is never lost."""
    email = email.strip()
    with transaction.atomic():
        Subscription.objects.bulk_create(
            [Subscription(newsletter=newsletter, email=email, source_url=source_url[:500])],
            ignore_conflicts=True,
        )
        confirm_signup.enqueue(newsletter.pk, email, timezone.now().isoformat())


class ConfirmationOutranked(Exception):
    """The address unsubscribed after this confirmation link was issued."""


def confirm_subscription(newsletter_id, email, issued_at):
    """Confirm the signup the token was issued for (at `issued_at`); return the subscription,
    or None. An unsubscribe outranks every confirmation link issued before it: such a link
    raises ConfirmationOutranked and changes nothing."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(newsletter_id=newsletter_id)
            .for_email(email)
            .first()
        )
        if subscription is None:
            return None
        if subscription.unsubscribed_at is not None and (
            issued_at is None or issued_at <= subscription.unsubscribed_at
        ):
            raise ConfirmationOutranked
        if subscription.status != Subscription.Status.CONFIRMED:
            subscription.status = Subscription.Status.CONFIRMED
            subscription.confirmed_at = timezone.now()
            subscription.unsubscribed_at = None
            subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscription


def unsubscribe(newsletter_id, email):
    """Stop mail to `email`, keeping the address as a suppression record."""
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    now = timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            newsletter=newsletter,
            email__iexact=email,
            defaults={
                "email": email,
                "status": Subscription.Status.UNSUBSCRIBED,
                "unsubscribed_at": now,
            },
        )
        if not created and subscription.status != Subscription.Status.UNSUBSCRIBED:
            subscription.status = Subscription.Status.UNSUBSCRIBED
            subscription.unsubscribed_at = now
            subscription.save(update_fields=["status", "unsubscribed_at"])
    return subscription


def build_issue(newsletter, start, end, sections, subject=""):
    """Create a draft issue of the articles published between `start` and `end` (inclusive)
    in `sections`: section by section in navigation order, newest first within each.

    Returns the issue, or None, creating nothing, when no article qualifies."""
    articles = list(
        Article.objects.published()
        .filter(published_at__range=(start, end), section__in=sections)
        .order_by("section__position", "section__name", "-published_at", "-pk")
        .values_list("pk", flat=True)
    )
    if not articles:
        return None
    with transaction.atomic():
        # Locks the list's row, so two people building at once get consecutive numbers.
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        number = newsletter.next_issue_number()
        issue = Issue.objects.create(
            newsletter=newsletter,
            number=number,
            subject=subject or newsletter.default_subject(number),
            status=Issue.Status.DRAFT,
        )
        IssueItem.objects.bulk_create(
            IssueItem(issue=issue, article_id=article_id, position=position)
            for position, article_id in enumerate(articles)
        )
    return issue
