"""Issues to export and ways to read what the export wrote."""

import email
import email.policy
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from newsletter import export
from newsletter.models import Issue, IssueItem
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory

SITE = "https://review.example.org"
UTM = {
    "utm_source": ["weekly-round-up"],
    "utm_medium": ["email"],
    "utm_campaign": ["weekly-round-up-12"],
}
EXTERNAL = "https://think.example.net/report?id=7"
PRE_TAGGED = "https://review.example.org/archive/?utm_source=partner&ref=x#top"
INTRO = (
    f'<p>This week, <a href="{EXTERNAL}">an outside report</a>, '
    '<a href="https://review.example.org/archive/?utm_source=partner&amp;ref=x#top">our '
    'archive</a> and <a href="https://review.example.org/about/?lang=en#team">the team</a>.</p>'
)


def make_issue(newsletter, items=2, **fields):
    issue = Issue.objects.create(
        newsletter=newsletter,
        number=12,
        subject=fields.pop("subject", "Carriers, cables and a quiet summit"),
        preheader=fields.pop("preheader", "Five stories worth your Friday."),
        intro=fields.pop("intro", INTRO),
        **fields,
    )
    for position in range(items):
        add_item(issue, position)
    return issue


def add_item(issue, position=0, blurb="", image=True, **article_fields):
    article = ArticleFactory(
        top_image=ImageFactory() if image is True else image or None,
        authors=[AuthorFactory(name=f"Writer {position}")],
        **article_fields,
    )
    return IssueItem.objects.create(issue=issue, article=article, position=position, blurb=blurb)


def own_links(urls):
    return [url for url in urls if urlsplit(url).hostname == "review.example.org"]


def utm_of(url):
    query = parse_qs(urlsplit(url).query)
    return {key: value for key, value in query.items() if key.startswith("utm_")}


def soup_of(issue, **kwargs):
    return BeautifulSoup(export.render_html(issue, **kwargs), "html.parser")


def hrefs(soup):
    return [a["href"] for a in soup.find_all("a")]


def style_of(element):
    return {
        name.strip(): value.strip()
        for name, value in (rule.split(":", 1) for rule in element["style"].split(";") if rule)
    }


def lone_url(line):
    return line.startswith("https://") and " " not in line


def eml_of(issue, **kwargs):
    return email.message_from_bytes(export.build_eml(issue, **kwargs), policy=email.policy.default)


def text_of(issue, **kwargs):
    return export.render_text(issue, **kwargs)
