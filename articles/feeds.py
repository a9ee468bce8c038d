"""RSS 2.0 and Atom feeds of public articles: the whole site, a section, a tag, an author.

Every address in them is on SITE_URL; each item carries its top image as Media RSS."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles import cache_tags, dates, seo
from articles.models import Article, Author, Section
from rs_cms import pagecache

MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
# How many tags the feeds page lists: the most used ones.
FEED_PAGE_TAGS = 20
# Characters XML 1.0 cannot hold at all, escaped or not.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    """`value` with what XML cannot hold taken out, through lists and dicts: a control
    character that came in with an import must not take the whole feed down."""
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(part) for part in value)
    if isinstance(value, dict):
        return {key: xml_text(part) for key, part in value.items()}
    return value


def public_tags():
    """Tags on at least one public article: a tag used only on drafts is named nowhere."""
    public = Article.objects.published().filter(tagged_items__tag=OuterRef("pk"))
    return Tag.objects.filter(Exists(public))


def public_authors():
    """Authors with at least one public article."""
    return Author.objects.filter(Exists(Article.objects.published().filter(authors=OuterRef("pk"))))


class XmlSafe:
    """A feed generator that takes out what XML cannot hold from the feed and its items."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **xml_text(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **xml_text(kwargs))


def add_media_content(handler, image):
    """<media:content> for an item's picture, with its credit and caption."""
    if image is None:
        return
    attributes = {"url": image["url"], "medium": "image", "type": image["encodingFormat"]}
    attributes |= {key: str(image[key]) for key in ("width", "height") if key in image}
    handler.startElement("media:content", attributes)
    handler.addQuickElement("media:credit", image["creditText"])
    if image["caption"]:
        handler.addQuickElement("media:description", image["caption"], {"type": "plain"})
    handler.endElement("media:content")


class MediaRssFeed(XmlSafe, Rss201rev2Feed):
    """RSS 2.0 with Media RSS pictures and one <dc:creator> per author."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS has no element for it; Atom's, in the namespace RSS already declares, is common.
        handler.addQuickElement("atom:updated", dates.iso(item["updateddate"]))
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        add_media_content(handler, item["image"])


class MediaAtomFeed(XmlSafe, Atom1Feed):
    """Atom with Media RSS pictures and one <author> per author."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        add_media_content(handler, item["image"])


class ArticleFeed(Feed):
    """The newest public articles of the whole site, as RSS 2.0."""

    feed_type = MediaRssFeed
    scope = "site"
    limit = 30

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        articles = self.articles(obj).for_listing().prefetch_related("tags")
        stories = list(articles.order_by("-published_at", "-pk")[: self.limit])
        pagecache.tag_page(*cache_tags.of_feed(stories), *self.heading_tags(obj))
        return stories

    def heading_tags(self, obj):
        """What the feed's own title and description show, as cache tags."""
        return []

    def title(self, obj):
        return settings.SITE_NAME

    def description(self, obj):
        return settings.SITE_TAGLINE

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return seo.absolute_url(obj.get_absolute_url() if obj else reverse("articles:home"))

    def feed_url(self, obj):
        suffix = "atom" if issubclass(self.feed_type, Atom1Feed) else "rss"
        kwargs = {"slug": obj.slug} if obj else {}
        return seo.absolute_url(reverse(f"feeds:{self.scope}-{suffix}", kwargs=kwargs))

    def feed_guid(self, obj):
        # Atom's feed <id>: the RSS and Atom feeds of a page are two feeds.
        return self.feed_url(obj)

    def feed_copyright(self, obj):
        return f"© {settings.SITE_NAME}"

    def author_name(self, obj):
        # Atom wants an author for the feed; each entry names its own writers.
        return settings.SITE_NAME

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Plain text, which RSS and Atom's type="html" summaries both read as HTML.
        return escape(item.dek or item.teaser_text)

    def item_link(self, item):
        return seo.absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        # Stays the same when the article moves to another section or changes its slug.
        return f"tag:{seo.site_host()},{item.published_at:%Y-%m-%d}:article:{item.pk}"

    item_guid_is_permalink = False

    # Whole seconds, as every machine-readable date on the site (articles.dates).
    def item_pubdate(self, item):
        return dates.whole_seconds(item.published_at)

    def item_updateddate(self, item):
        return dates.whole_seconds(seo.date_modified(item))

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        image = item.top_image
        return {
            "authors": [
                (author.name, seo.absolute_url(author.get_absolute_url()))
                for author in item.ordered_authors
            ],
            "image": seo.image_object(image) if image else None,
        }


class SiteAtomFeed(ArticleFeed):
    feed_type = MediaAtomFeed


class SectionFeed(ArticleFeed):
    scope = "section"

    def get_object(self, request, slug):
        return Section.objects.get(slug=slug)

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)

    def title(self, obj):
        return f"{obj.name} | {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or f"The latest {obj.name} articles from {settings.SITE_NAME}."

    def heading_tags(self, obj):
        return [cache_tags.SECTIONS]


class SectionAtomFeed(SectionFeed):
    feed_type = MediaAtomFeed


class TagFeed(ArticleFeed):
    scope = "tag"

    def get_object(self, request, slug):
        return public_tags().get(slug=slug)

    def articles(self, obj):
        return Article.objects.published().tagged(obj)

    def link(self, obj):
        return seo.absolute_url(reverse("articles:tag", kwargs={"slug": obj.slug}))

    def title(self, obj):
        return f"{obj.name} | {settings.SITE_NAME}"

    def description(self, obj):
        return f"The latest on {obj.name} from {settings.SITE_NAME}."

    def heading_tags(self, obj):
        return [cache_tags.tag(obj.pk)]


class TagAtomFeed(TagFeed):
    feed_type = MediaAtomFeed


class AuthorFeed(ArticleFeed):
    scope = "author"

    def get_object(self, request, slug):
        return public_authors().get(slug=slug)

    def articles(self, obj):
        return Article.objects.published().filter(authors=obj)

    def title(self, obj):
        return f"{obj.name} | {settings.SITE_NAME}"

    def description(self, obj):
        return f"The latest articles by {obj.name} in {settings.SITE_NAME}."

    def heading_tags(self, obj):
        return [cache_tags.author(obj.pk)]


class AuthorAtomFeed(AuthorFeed):
    feed_type = MediaAtomFeed


@require_safe
def feed_directory(request):
    """/feeds/: every feed a reader can follow."""
    public = Article.objects.published()
    # The most used topics: a join of the public articles with their tags, counted per tag.
    uses = (
        public.filter(tagged_items__isnull=False)
        .values("tagged_items__tag")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "tagged_items__tag__name")[:FEED_PAGE_TAGS]
    )
    counted = {row["tagged_items__tag"]: row["uses"] for row in uses}
    tags = Tag.objects.in_bulk(counted)
    context = {
        "sections": Section.objects.all(),
        "authors": public_authors().order_by("name"),
        "tags": [tags[pk] for pk in counted if pk in tags],
    }
    return render(request, "articles/feeds.html", context)
