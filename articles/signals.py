"""Any change readers could see makes every cached page stale: the articles app tells the page
cache (rs_cms/pagecache) through its one interface, content_changed().

Connected from ArticlesConfig.ready(). Bulk changes with update() send no signal:
ArticleQuerySet.update() tells the page cache itself."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag, TaggedItem

from articles import cache_tags
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    DonationAppeal,
    Image,
    Redirect,
    RelatedStory,
    Rendition,
    Section,
)
from rs_cms import pagecache

# What public pages show, or (redirects) what answers in their place. Not here: share-preview
# links (their pages are never cached) and anything a reader can cause, such as a newsletter
# signup, which would let anyone empty the cache.
SHOWN_ON_PUBLIC_PAGES = frozenset(
    {
        Article,
        Section,
        Author,
        Image,
        Rendition,
        Byline,
        RelatedStory,
        Correction,
        DonationAppeal,
        Redirect,
        Tag,
        TaggedItem,
    }
)
# authors.add() and tags.add() and their kin write these rows without calling save().
LINK_TABLES = (Article.authors.through, Article.tags.through)
LINK_CHANGES = frozenset({"post_add", "post_remove", "post_clear"})


def row_changed(sender, instance, using=None, **kwargs):
    pagecache.content_changed(using=using)
    if isinstance(instance, Article) and "created" in kwargs:
        moved, before = cache_tags.listing_moved(instance, kwargs["created"])
        changed = {cache_tags.article(instance.pk)}
        if moved:
            # The lists it left (as loaded) and those it is in now.
            articles = Article.objects.using(using).filter(pk=instance.pk)
            changed |= cache_tags.of_listing_state(before) | articles.list_tags()
        pagecache.tags_changed(changed, using)
    else:
        pagecache.tags_changed(cache_tags.of_row(instance), using)


def links_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    if action in LINK_CHANGES:
        pagecache.content_changed(using=using)
        pagecache.tags_changed(cache_tags.of_links(instance, pk_set, reverse), using)


def connect_signals():
    """Connect the receivers, once, from ArticlesConfig.ready().

    Proxies (the trash) send their own signals, so every model over these tables is
    connected. Per model, not for all senders: a receiver for every model would stop Django
    deleting any table's rows in one query."""
    for model in apps.get_models():
        if model._meta.concrete_model in SHOWN_ON_PUBLIC_PAGES:
            label = model._meta.label_lower
            post_save.connect(row_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
            post_delete.connect(row_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    for through in LINK_TABLES:
        label = through._meta.label_lower
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"pagecache-links-{label}")
