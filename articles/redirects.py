"""Old addresses that keep working: the redirects made when an article or a section moves.

Every redirect points straight at a live address. When a page moves again, the redirects that
pointed at it follow (no chains); when an address is in use again, its redirect goes. An
article takes an address over only when it is published there: a draft, a story in review or
a scheduled one leaves the redirect in place (a live page wins over a redirect anyway, as the
fallback answers only a 404)."""

from contextlib import contextmanager
from urllib.parse import unquote

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from taggit.models import Tag

# models.py calls track_moves() from its save() methods, so the models are looked up at call
# time: “from articles import models” is safe in either import order.
from articles import models

# A stand-in slug, to learn from the URLconf where a slug goes in an article's address.
SLUG_MARK = "slug--mark"
# How far an editor's redirect is followed before it is called a loop.
LONGEST_CHAIN = 10


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


def is_public(status, published_at, deleted_at):
    """Article.is_public, for a row read as values."""
    published = status == models.Article.Status.PUBLISHED
    return published and deleted_at is None and ever_public(published_at)


# Following moves: called from Article.save() and Section.save().


@contextmanager
def track_moves(instance, update_fields=None):
    """Wrap the save of an article or a section: its old addresses then redirect to the new.

    One query before an existing row is saved (what it was); a few more only after a move."""
    fields = {"slug", "section", "section_id"}
    if update_fields is not None and not fields.intersection(update_fields):
        yield
        return
    is_article = isinstance(instance, models.Article)
    before = None
    if not instance._state.adding:
        stored = type(instance)._base_manager.filter(pk=instance.pk)
        if is_article:
            before = stored.values_list(
                "slug", "section__slug", "published_at", "status", "deleted_at"
            ).first()
        else:
            before = stored.values_list("slug", flat=True).first()
    yield
    if is_article:
        if before is None:
            if instance.is_public:
                forget(instance.get_absolute_url())
        else:
            slug, section_slug, published_at, status, deleted_at = before
            old_path = article_path(section_slug, slug)
            if old_path != instance.get_absolute_url():
                record_article_move(old_path, instance, keep_old_path=ever_public(published_at))
            elif instance.is_public and not is_public(status, published_at, deleted_at):
                # Published at its address by this save: the address is the article's now.
                forget(old_path)
    elif before is None:
        forget(section_path(instance.slug))
    else:
        record_section_move(instance, before)


def forget(path):
    """A page now answers at `path`: a redirect from it would only hide the page."""
    models.Redirect.objects.filter(old_path=path).delete()


def take_over(articles):
    """Those of `articles` now public take over their addresses (after a bulk publish)."""
    paths = [article.get_absolute_url() for article in articles if article.is_public]
    if paths:
        models.Redirect.objects.filter(old_path__in=paths).delete()


def record_article_move(old_path, article, keep_old_path=True):
    """`article` moved from `old_path`: send that address, and those that led to it, to the new.

    `keep_old_path=False` (a draft that was never out) repoints the old redirects only. An
    article that readers cannot see leaves a redirect from its new address in place."""
    new_path = article.get_absolute_url()
    if old_path == new_path:
        return
    redirects = models.Redirect.objects
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
    articles = models.Article.objects.filter(section=section)
    published = articles.published()
    redirects = models.Redirect.objects
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
        moved = [models.Redirect(old_path=old_prefix, new_path=new_prefix, is_automatic=True)]
        moved += [
            models.Redirect(
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


def repoint_to(redirect):
    """Redirects that led to `redirect`'s old address skip it and go straight to its target."""
    models.Redirect.objects.filter(new_path=redirect.old_path).exclude(pk=redirect.pk).exclude(
        old_path=redirect.new_path
    ).update(new_path=redirect.new_path)


# Serving.


def find(path):
    """The redirect for `path` (decoded, as request.path has it), or for `path` with its
    trailing slash added or taken off.

    One query. Never one that would send `path` back to itself."""
    if "\x00" in path:
        # No redirect holds one (forms refuse it), and PostgreSQL refuses to compare it.
        return None
    return lookup(models.Redirect.objects.all(), models.path_as_stored(path))


def lookup(redirects, path):
    """Of `redirects`, the one a reader at `path` (as a Redirect stores it) is sent on by."""
    other = path.removesuffix("/") if path.endswith("/") else f"{path}/"
    candidates = [path, other] if other else [path]
    found = {
        redirect.old_path: redirect
        for redirect in redirects.filter(old_path__in=candidates).exclude(new_path=path)
    }
    return next((found[candidate] for candidate in candidates if candidate in found), None)


def with_query(location, query_string):
    """`location` with the request's query string added (before any #fragment)."""
    if not query_string:
        return location
    base, hash_mark, fragment = location.partition("#")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}{query_string}{hash_mark}{fragment}"


# Checking an editor's redirect.


def live_page(path):
    """What readers find at `path` (as a Redirect stores it) now, in words; None when nothing
    of ours answers there.

    Knows the article, section, tag, author and kind pages and the front page; other routes
    (the newsroom, the newsletter) are taken as answering."""
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return None
    slug = match.kwargs.get("slug")
    match match.view_name:
        case "articles:home":
            return "the front page"
        case "articles:article":
            # Readers find only a published article: a draft's address is free to redirect.
            article = models.Article.objects.published().filter(slug=slug).first()
            return f"the article “{article}”" if article else None
        case "articles:section":
            section = models.Section.objects.filter(slug=slug).first()
            return f"the section “{section}”" if section else None
        case "articles:tag":
            tag = Tag.objects.filter(slug=slug).first()
            return f"the topic “{tag}”" if tag else None
        case "articles:author":
            author = models.Author.objects.filter(slug=slug).first()
            return f"the author page of {author}" if author else None
        case "articles:kind":
            kind = match.kwargs["kind"]
            return (
                f"the {models.Article.Kind(kind).label} page"
                if kind in models.Article.Kind.values
                else None
            )
    return "a page of the site"


def is_file_path(path):
    """Uploaded and static files are served outside the URLconf."""
    return path.startswith((settings.MEDIA_URL, settings.STATIC_URL))


def follow(path, ignore=None):
    """The redirects that `path` goes through, in order, leaving out the redirect `ignore`:
    each found as a reader's request finds it (find()), trailing slash or not."""
    redirects = models.Redirect.objects.all()
    if ignore is not None and ignore.pk is not None:
        redirects = redirects.exclude(pk=ignore.pk)
    chain = []
    while len(chain) < LONGEST_CHAIN:
        step = lookup(redirects, path)
        if step is None:
            break
        chain.append(step)
        path = step.new_path
    return chain
