"""The signup bench's addresses: a fresh one in each state for every request."""

STATES = ["new", "pending", "confirmed", "unsubscribed"]
SIGNUP_PATH = "/newsletter/signup/"
NEWSLETTER = "weekly-round-up"


def address(state, run_id, number):
    return f"{state}-{run_id}-{number}@example.org"


def make_addresses(run_id, count):
    """One newsletter; `count` prepared addresses in each known state (new ones are made up)."""
    # Imported once the bench has set Django up.
    from django.db import connection
    from django.utils import timezone

    from newsletter.models import Newsletter, Subscription

    newsletter, _ = Newsletter.objects.get_or_create(
        slug=NEWSLETTER, defaults={"name": "The Weekly Round-up"}
    )
    now = timezone.now()
    fields = {
        "pending": {"status": Subscription.Status.PENDING},
        "confirmed": {"status": Subscription.Status.CONFIRMED, "confirmed_at": now},
        "unsubscribed": {
            "status": Subscription.Status.UNSUBSCRIBED,
            "confirmed_at": now,
            "unsubscribed_at": now,
        },
    }
    Subscription.objects.bulk_create(
        Subscription(newsletter=newsletter, email=address(state, run_id, n), **fields[state])
        for state in fields
        for n in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE newsletter_subscription")
    print(f"{count} addresses in each of {', '.join(fields)}; new ones made up per request")


def rows_after(run_id):
    """(new addresses recorded, prepared addresses still in their state, by state)."""
    from newsletter.models import Subscription

    new_rows = Subscription.objects.filter(email__startswith="new-", email__contains=run_id)
    states_after = {
        state: Subscription.objects.filter(
            email__startswith=f"{state}-{run_id}-", status=state
        ).count()
        for state in STATES[1:]
    }
    return new_rows.count(), states_after
