"""Keeping revisions (django-reversion) of changes made without the change form: a bulk action,
the trash, a script. The form keeps its own (ArticleAdmin.changeform_view)."""

from contextlib import contextmanager

import reversion
from reversion.models import Version

from articles.models import Article


def record_baselines(articles):
    """A first revision for articles that have none (loaded by load_demo, imported, made in the
    shell), so what they said before the newsroom's first change can be compared and restored."""
    keys = [str(article.pk) for article in articles]
    known = Version.objects.get_for_model(Article).filter(object_id__in=keys)
    missing = set(keys) - set(known.values_list("object_id", flat=True))
    if not missing:
        return
    with reversion.create_revision():
        reversion.set_comment("As it was before its first change in the newsroom.")
        for article in Article.objects.filter(pk__in=missing):
            reversion.add_to_revision(article)


@contextmanager
def revision(user, comment):
    """A revision of what the block saves, by `user`, with `comment`."""
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield


@contextmanager
def revised(user, articles, comment):
    """Around a change made without the change form: the articles' state before (if they have
    no revision yet) and after are both kept as revisions."""
    record_baselines(articles)
    yield
    record_revisions(user, articles, comment)


def record_revisions(user, articles, comment):
    """Store a revision of each of `articles` as it is now."""
    with revision(user, comment):
        for article in Article.objects.filter(pk__in=[article.pk for article in articles]):
            reversion.add_to_revision(article)
