"""Every address at which a page, feed, sitemap or newsletter export shows a picture."""

import email
import email.policy
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from newsletter import export
from newsletter.models import Issue, IssueItem, Newsletter
from tests.articles.images.originals import SITE
from tests.factories import ArticleFactory, AuthorFactory, RelatedStoryFactory, SectionFactory


def srcset_urls(value):
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def json_strings(value):
    if isinstance(value, dict):
        return [string for part in value.values() for string in json_strings(part)]
    if isinstance(value, list):
        return [string for part in value for string in json_strings(part)]
    return [value] if isinstance(value, str) else []


def html_urls(html):
    """Every address a page or an email gives for a picture, and every JSON-LD string."""
    soup = BeautifulSoup(html, "html.parser")
    urls = []
    for img in soup.find_all("img"):
        urls += [img["src"], *srcset_urls(img.get("srcset", ""))]
    for source in soup.find_all("source"):
        urls += srcset_urls(source["srcset"])
    for meta in soup.find_all("meta"):
        if meta.get("property", meta.get("name", "")) in {"og:image", "twitter:image"}:
            urls.append(meta["content"])
    for script in soup.find_all("script", type="application/ld+json"):
        urls += json_strings(json.loads(script.string))
    return urls


def text_urls(text):
    return re.findall(r"https?://\S+", text)


def xml_urls(content):
    """Every address in a feed or sitemap: in attributes (media:content url) and in text."""
    urls = []
    for element in ET.fromstring(content).iter():
        urls += [value for value in element.attrib.values() if "://" in value]
        if element.text and "://" in element.text:
            urls.append(element.text.strip())
    return urls


def eml_urls(data):
    message = email.message_from_bytes(data, policy=email.policy.default)
    urls = []
    for part in message.walk():
        if part.get_content_type() == "text/html":
            urls += html_urls(part.get_content())
        elif part.get_content_type() == "text/plain":
            urls += text_urls(part.get_content())
    return urls


def media_path(url):
    """The path under MEDIA_URL of a media address on our site; None for any other address."""
    parts = urlsplit(url)
    if parts.netloc not in {"", urlsplit(SITE).netloc}:
        return None
    if not parts.path.startswith(settings.MEDIA_URL):
        return None
    return parts.path


def fetched(client, url):
    response = client.get(media_path(url))
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def magazine(image):
    """A published story with `image` as its top image, its author's photo and a body
    picture; another story that shows it as a related story; a newsletter issue with it."""
    story = ArticleFactory(
        headline="Inside the border crossing",
        section=SectionFactory(name="Middle East", slug="middle-east"),
        kind=Article.Kind.REPORTING,
        top_image=image,
        authors=[AuthorFactory(name="Mina Ode", slug="mina-ode", photo=image)],
        tags=["Border crossings"],
    )
    # Straight to the database, as test_body_images does: the placeholder is the editor's.
    Article.objects.filter(pk=story.pk).update(
        body=f'<p>Opening.</p><figure data-image="{image.pk}"></figure><p>More.</p>'
    )
    RelatedStoryFactory(
        article=ArticleFactory(section=story.section, top_image=None), related=story
    )
    newsletter = Newsletter.objects.create(name="The Weekly Round-up", slug="weekly")
    issue = Issue.objects.create(
        newsletter=newsletter, number=1, subject="Crossings", status=Issue.Status.READY
    )
    IssueItem.objects.create(issue=issue, article=story, position=0)
    return story, issue


def public_pages(story):
    tag = story.tags.get()
    return [
        reverse("articles:home"),
        story.get_absolute_url(),
        story.related_picks.model.objects.get(related=story).article.get_absolute_url(),
        story.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": tag.slug}),
        reverse("articles:author", kwargs={"slug": "mina-ode"}),
        reverse("articles:kind", kwargs={"kind": story.kind}),
        reverse("articles:search") + "?q=border",
    ]


def feeds(story):
    tag = story.tags.get()
    return [
        reverse(f"feeds:{scope}-{kind}", kwargs=kwargs)
        for kind in ("rss", "atom")
        for scope, kwargs in [
            ("site", {}),
            ("section", {"slug": story.section.slug}),
            ("tag", {"slug": tag.slug}),
            ("author", {"slug": "mina-ode"}),
        ]
    ]


def sitemap_urls(client):
    index = client.get(reverse("sitemap-index"))
    assert index.status_code == 200
    urls = xml_urls(index.content)
    for url in list(urls):
        if url.startswith(SITE) and "sitemap" in url:
            response = client.get(urlsplit(url).path)
            assert response.status_code == 200, url
            urls += xml_urls(response.content)
    return urls


def exports(issue):
    """The issue in every export format, as bytes."""
    return {
        fmt: export.export_issue(issue, fmt, recipient="reader@example.org")[0]
        for fmt in export.FORMATS
    }


def every_public_url(client, story, issue):
    """{where: [address, …]} for every page, feed, sitemap and export that names pictures."""
    found = {}
    for page in public_pages(story) + [issue.get_absolute_url()]:
        response = client.get(page)
        assert response.status_code == 200, page
        found[page] = html_urls(response.content.decode())
    for feed in feeds(story):
        response = client.get(feed)
        assert response.status_code == 200, feed
        found[feed] = xml_urls(response.content)
    found["sitemap"] = sitemap_urls(client)
    exported = exports(issue)
    found["html export"] = html_urls(exported["html"].decode())
    found["text export"] = text_urls(exported["text"].decode())
    found["json export"] = json_strings(json.loads(exported["json"]))
    found["eml export"] = eml_urls(exported["eml"])
    return found
