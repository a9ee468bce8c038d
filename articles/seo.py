"""How an article presents itself to search engines, social networks and feed readers."""

import json
import mimetypes
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.dates import iso
from articles.images.models import Rendition, stored_renditions
from articles.models import Article

# schema.org's NewsArticle subtypes (https://schema.org/NewsArticle); QIOSK items are news.
SCHEMA_TYPES = {
    Article.Kind.ANALYSIS: "AnalysisNewsArticle",
    Article.Kind.OPINION: "OpinionNewsArticle",
    Article.Kind.REPORTING: "ReportageNewsArticle",
    Article.Kind.REVIEW: "ReviewNewsArticle",
    Article.Kind.NEWS: "NewsArticle",
    Article.Kind.QIOSK: "NewsArticle",
}

# Social networks and Google ask for pictures at least this wide.
SHARE_WIDTH = 1200

# static/img/logo.png, the publisher's logo in structured data.
LOGO_PATH = "img/logo.png"
LOGO_SIZE = (512, 512)

# What json_script escapes: the JSON can then sit inside <script> without closing it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(url):
    """`url` (a path, or already a full address) on the public site, SITE_URL."""
    return urljoin(settings.SITE_URL, url)


def site_host():
    return urlsplit(settings.SITE_URL).netloc


def date_modified(article):
    """When readers last saw a change: never before publication, though the draft may be older."""
    if article.published_at is None:
        return article.updated_at
    return max(article.updated_at, article.published_at)


def description(article):
    return article.seo_description or article.dek or article.teaser_text


def image_type(name):
    """The MIME type of an image file, from its name: image/jpeg, image/png, image/webp…"""
    return mimetypes.guess_type(name)[0] or "image/jpeg"


def shared_file(image):
    """(url, width, height, MIME type) of the file to give crawlers and feed readers, or None.

    A JPEG rendition at least SHARE_WIDTH wide once they exist; until then the display copy.
    Both are upright with their metadata stripped; the original is private. Never a query."""
    jpegs = [
        rendition
        for rendition in stored_renditions(image)
        if rendition.format == Rendition.Format.JPEG
    ]
    if jpegs:
        chosen = next((jpeg for jpeg in jpegs if jpeg.width >= SHARE_WIDTH), jpegs[-1])
        return chosen.url, chosen.width, chosen.height, "image/jpeg"
    copy = image.display_file
    if copy:
        return copy.url, image.display_width, image.display_height, image_type(copy.name)
    return None


def publisher():
    width, height = LOGO_SIZE
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(LOGO_PATH)),
            "width": width,
            "height": height,
        },
    }


def image_object(image):
    """schema.org ImageObject of `image`'s shared file; None while it has none to share."""
    shared = shared_file(image)
    if shared is None:
        return None
    url, width, height, mime_type = shared
    data = {
        "@type": "ImageObject",
        "url": absolute_url(url),
        "encodingFormat": mime_type,
        "width": width,
        "height": height,
        "caption": image.caption,
        "creditText": image.credit_line,
    }
    return {key: value for key, value in data.items() if value is not None}


def article_json_ld(article):
    """schema.org NewsArticle data for `article`, from what for_listing() and its tags fetched."""
    url = absolute_url(article.get_absolute_url())
    authors = [
        {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
        for author in article.ordered_authors
    ]
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[article.kind],
        "headline": article.headline,
        "description": description(article),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(article.published_at) if article.published_at else None,
        "dateModified": iso(date_modified(article)),
        # An unsigned piece is the magazine's own.
        "author": authors or [publisher()],
        "publisher": publisher(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": "en",
        "isAccessibleForFree": True,
    }
    if article.top_image and (image := image_object(article.top_image)):
        data["image"] = [image]
    return {key: value for key, value in data.items() if value is not None}


def json_ld_script(data):
    """A <script type="application/ld+json"> block that no value inside it can break out of."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def social_card(article):
    """What the OpenGraph and Twitter tags say about `article`."""
    image = article.top_image
    shared = image_object(image) if image else None
    return {
        "url": absolute_url(article.get_absolute_url()),
        "title": article.headline,
        "description": description(article),
        "published": iso(article.published_at) if article.published_at else "",
        "modified": iso(date_modified(article)),
        "section": article.section.name,
        "tags": [tag.name for tag in article.tags.all()],
        "author_urls": [
            absolute_url(author.get_absolute_url()) for author in article.ordered_authors
        ],
        "image": shared | {"alt": image.alt_text} if shared else None,
    }
