"""Share-preview links: a signed, expiring, revocable address that shows a draft to anyone."""

from datetime import timedelta
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

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


class PreviewLinkForm(forms.Form):
    LIFETIMES = [(1, "1 day"), (3, "3 days"), (7, "7 days"), (30, "30 days")]

    lifetime = forms.TypedChoiceField(
        label="Link works for", choices=LIFETIMES, coerce=int, initial=3
    )


def post_only(view):
    """require_POST for an admin view that takes the model admin first."""

    @wraps(view)
    def inner(model_admin, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(model_admin, request, *args, **kwargs)

    return inner


def shareable_article(model_admin, request, object_id):
    """The article behind an admin URL; 404 if it is not there, 403 if the user may not edit it."""
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No such article.")
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    if not request.user.has_perm("articles.add_previewlink"):
        raise PermissionDenied
    return article


def change_page(model_admin, article):
    opts = model_admin.opts
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change",
        args=[article.pk],
        current_app=model_admin.admin_site.name,
    )
    return redirect(f"{url}#preview-links")


@post_only
def create_link_view(model_admin, request, object_id):
    article = shareable_article(model_admin, request, object_id)
    if article.is_public:
        model_admin.message_user(
            request,
            "This article is already published: send readers its own address instead.",
            messages.ERROR,
        )
        return change_page(model_admin, article)
    form = PreviewLinkForm(request.POST)
    if not form.is_valid():
        choices = ", ".join(label for _, label in PreviewLinkForm.LIFETIMES)
        model_admin.message_user(
            request,
            f"No share link was made: choose how long it should work ({choices}).",
            messages.ERROR,
        )
        return change_page(model_admin, article)
    link = PreviewLink.objects.create(
        article=article,
        created_by=request.user,
        expires_at=timezone.now() + timedelta(days=form.cleaned_data["lifetime"]),
    )
    expires = date_format(timezone.localtime(link.expires_at), "j F Y, H:i T")
    model_admin.message_user(
        request,
        f"Share link created. Anyone with it can read this draft until {expires}: {url_for(link)}",
        messages.SUCCESS,
    )
    return change_page(model_admin, article)


@post_only
def revoke_link_view(model_admin, request, object_id, link_id):
    article = shareable_article(model_admin, request, object_id)
    link = get_object_or_404(PreviewLink, pk=link_id, article=article)
    if not link.is_valid():
        model_admin.message_user(
            request, "That share link had already stopped working.", messages.WARNING
        )
        return change_page(model_admin, article)
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    model_admin.message_user(
        request, "Share link revoked: it no longer shows the article.", messages.SUCCESS
    )
    return change_page(model_admin, article)
