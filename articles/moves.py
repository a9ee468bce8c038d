"""Old addresses that keep working: the redirects made when an article or a section moves.

Every redirect points straight at a live address. When a page moves again, the redirects that
pointed at it follow (no chains); when an address is in use again, its redirect goes. An
article takes an address over only when it is published there: a draft, a story in review or
a scheduled one leaves the redirect in place (a live page wins over a redirect anyway, as the
fallback answers only a 404)."""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone

from articles.redirects.models import Redirect
from articles.redirects.serving import forget

# A stand-in slug, to learn from the URLconf where a slug goes in an article's address.
SLUG_MARK = "slug--mark"


def section_path(slug):
    return reverse("articles:section", kwargs={"slug": slug})


def article_path(section_slug, slug):
    return reverse("articles:article", kwargs={"section": section_slug, "slug": slug})


def article_paths_in(section_slug):
    """The address of each article in a queryset, were it in `section_slug`, as SQL."""
    before, _, after = article_path(section_slug, SLUG_MARK).rpartition(SLUG_MARK)
    return Concat(Value(before), "slug", Value(after), output_field=CharField())


def ever_public(published_at):
    """Readers may have the address: the article was out (and may be again)."""
    return published_at is not None and published_at <= timezone.now()


def was_public(article, status, published_at, deleted_at):
    """Article.is_public, for the row `article` was before this save (read as values)."""
    published = status == article.Status.PUBLISHED
    return published and deleted_at is None and ever_public(published_at)


# Following moves: called from Article.save() and Section.save(), which know what they are.

MOVING_FIELDS = {"slug", "section", "section_id"}


def saves_address(update_fields):
    return update_fields is None or not MOVING_FIELDS.isdisjoint(update_fields)


@contextmanager
def article_moves(article, update_fields=None):
    """Wrap an article's save: its old address then redirects to the new one.

    One query before an existing row is saved (what it was); a few more only after a move."""
    before = None
    if saves_address(update_fields) and not article._state.adding:
        before = (
            type(article)
            .objects.filter(pk=article.pk)
            .values_list("slug", "section__slug", "published_at", "status", "deleted_at")
            .first()
        )
    yield
    if not saves_address(update_fields):
        return
    if before is None:
        if article.is_public:
            forget(article.get_absolute_url())
        return
    slug, section_slug, published_at, status, deleted_at = before
    old_path = article_path(section_slug, slug)
    if old_path != article.get_absolute_url():
        record_article_move(old_path, article, keep_old_path=ever_public(published_at))
    elif article.is_public and not was_public(article, status, published_at, deleted_at):
        # Published at its address by this save: the address is the article's now.
        forget(old_path)


@contextmanager
def section_moves(section, update_fields=None):
    """Wrap a section's save: its page and its articles' old addresses then redirect."""
    before = None
    if saves_address(update_fields) and not section._state.adding:
        before = type(section).objects.filter(pk=section.pk).values_list("slug", flat=True).first()
    yield
    if not saves_address(update_fields):
        return
    if before is None:
        forget(section_path(section.slug))
    else:
        record_section_move(section, before)


def take_over(articles):
    """Those of `articles` now public take over their addresses (after a bulk publish)."""
    paths = [article.get_absolute_url() for article in articles if article.is_public]
    if paths:
        Redirect.objects.filter(old_path__in=paths).delete()


def record_article_move(old_path, article, keep_old_path=True):
    """`article` moved from `old_path`: send that address, and those that led to it, to the new.

    `keep_old_path=False` (a draft that was never out) repoints the old redirects only. An
    article that readers cannot see leaves a redirect from its new address in place."""
    new_path = article.get_absolute_url()
    if old_path == new_path:
        return
    redirects = Redirect.objects
    with transaction.atomic():
        # First, so that no redirect can end up pointing at itself below.
        if article.is_public:
            forget(new_path)
        else:
            # Only the redirect that led from the new address to this very article.
            redirects.filter(old_path=new_path, new_path=old_path).delete()
        redirects.filter(new_path=old_path).update(new_path=new_path)
        if keep_old_path:
            redirects.update_or_create(
                old_path=old_path, defaults={"new_path": new_path, "is_automatic": True}
            )


def record_section_move(section, old_slug):
    """`section` was at `old_slug`: its page and every article in it redirect to the new
    addresses, in a fixed number of queries however many articles it holds."""
    old_prefix, new_prefix = section_path(old_slug), section_path(section.slug)
    if old_prefix == new_prefix:
        return
    articles = section.articles.all()
    published = articles.published()
    redirects = Redirect.objects
    # What a redirect into the old section's addresses will point at once it follows.
    followed = Concat(
        Value(new_prefix), Substr("new_path", len(old_prefix) + 1), output_field=CharField()
    )
    with transaction.atomic():
        redirects.filter(
            # The addresses live again (an unpublished article takes none over), and those the
            # update below would point at themselves.
            Q(old_path=new_prefix)
            | Q(old_path__in=published.annotate(path=article_paths_in(section.slug)).values("path"))
            | Q(new_path__startswith=old_prefix, old_path=followed)
        ).delete()
        redirects.filter(new_path__startswith=old_prefix).update(new_path=followed)
        slugs = articles.filter(published_at__lte=timezone.now()).values_list("slug", flat=True)
        moved = [Redirect(old_path=old_prefix, new_path=new_prefix, is_automatic=True)]
        moved += [
            Redirect(
                old_path=article_path(old_slug, slug),
                new_path=article_path(section.slug, slug),
                is_automatic=True,
            )
            for slug in slugs
        ]
        redirects.bulk_create(
            moved,
            update_conflicts=True,
            unique_fields=["old_path"],
            update_fields=["new_path", "is_automatic"],
        )
