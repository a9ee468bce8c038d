"""Serving and keeping redirects: the one a request is sent on by, chains followed for an
editor's check, and the bookkeeping when a page takes an address over or a redirect moves."""

from django.conf import settings

from articles.redirects.models import Redirect
from articles.redirects.paths import path_as_stored

# How far an editor's redirect is followed before it is called a loop.
LONGEST_CHAIN = 10


def find(path):
    """The redirect for `path` (decoded, as request.path has it), or for `path` with its
    trailing slash added or taken off.

    One query. Never one that would send `path` back to itself."""
    if "\x00" in path:
        # No redirect holds one (forms refuse it), and PostgreSQL refuses to compare it.
        return None
    return lookup(Redirect.objects.all(), path_as_stored(path))


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


def forget(path):
    """A page now answers at `path`: a redirect from it would only hide the page."""
    Redirect.objects.filter(old_path=path).delete()


def repoint_to(redirect):
    """Redirects that led to `redirect`'s old address skip it and go straight to its target."""
    Redirect.objects.filter(new_path=redirect.old_path).exclude(pk=redirect.pk).exclude(
        old_path=redirect.new_path
    ).update(new_path=redirect.new_path)


def is_file_path(path):
    """Uploaded and static files are served outside the URLconf."""
    return path.startswith((settings.MEDIA_URL, settings.STATIC_URL))


def follow(path, ignore=None):
    """The redirects that `path` goes through, in order, leaving out the redirect `ignore`:
    each found as a reader's request finds it (find()), trailing slash or not."""
    redirects = Redirect.objects.all()
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
