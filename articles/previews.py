"""Share-preview links: a signed, expiring, revocable address that shows a draft to anyone."""

from datetime import timedelta

from django.core import signing
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from articles.models import PreviewLink
from articles.seo import absolute_url

SALT = "articles.preview-link"
# How many expired or revoked links the change form still lists, newest first.
ENDED_SHOWN = 10


def make_token(link):
    """The link's key with a signature: a garbled or forged token fails before any query."""
    return signing.Signer(salt=SALT).sign(link.key)


def find_link(token):
    """The link a token names, or None when the token is forged, garbled or unknown.

    Whether the link still works (expiry, revocation) is for the caller to ask."""
    try:
        key = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return PreviewLink.objects.filter(key=key).first()


def url_for(link):
    """The full address to send to a reader."""
    return absolute_url(reverse("articles:preview", kwargs={"token": make_token(link)}))


def links_for(article):
    """The change form's list: working links first, then the last few that stopped working."""
    now = timezone.now()
    links = article.preview_links.select_related("created_by")
    working = links.filter(revoked_at__isnull=True, expires_at__gt=now)
    ended = (
        links.exclude(revoked_at__isnull=True, expires_at__gt=now)
        .annotate(ended_at=Coalesce("revoked_at", "expires_at"))
        .order_by("-ended_at", "-pk")
    )
    shown = [*working, *ended[:ENDED_SHOWN]]
    for link in shown:
        link.share_url = url_for(link)
    return shown


def revoke_links(articles):
    """Revoke the working share links of `articles` (articles, or a queryset of them).

    Called whenever an article is taken down: unpublished, taken out of readers' view by a new
    time, moved to the trash (deleting for good deletes its links). Revoked rather than hidden
    while the article is down: once readers could see an article, what it said is the public
    record, and taking it down must take it down for whoever holds a link too; publishing or
    restoring it later does not bring old links back (a new one can be made)."""
    now = timezone.now()
    return PreviewLink.objects.filter(
        article__in=articles, revoked_at__isnull=True, expires_at__gt=now
    ).update(revoked_at=now)


def share(article, user, days):
    """A new link that shows `article` to anyone for `days` days."""
    return PreviewLink.objects.create(
        article=article, created_by=user, expires_at=timezone.now() + timedelta(days=days)
    )


def revoke(link):
    """Stop one link working now."""
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
