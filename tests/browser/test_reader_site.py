"""A reader on a phone and on a desktop: layout, search from the header, and an axe-core scan."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    NewsletterFactory,
    RelatedStoryFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def magazine():
    """A small magazine: sections, credited pictures, related picks, an appeal, a newsletter."""
    NewsletterFactory()
    DonationAppealFactory(title="Keep us independent")
    asia = SectionFactory(name="Asia-Pacific", slug="asia-pacific", position=1)
    SectionFactory(name="Middle East", slug="middle-east", position=2)
    author = AuthorFactory(name="Priya Raghunathan", slug="priya-raghunathan")
    stories = [
        ArticleFactory(
            headline=f"Harbour story number {n}",
            section=asia,
            top_image=ImageFactory(),
            authors=[author],
            tags=["Shipping"],
            body="<p>" + "Ships wait outside the harbour for a berth. " * 40 + "</p>",
        )
        for n in range(4)
    ]
    lead = ArticleFactory(
        headline="Sanctions reshape the tanker trade",
        dek="Insurers, flags and shadow fleets: who carries the oil now.",
        section=asia,
        top_image=ImageFactory(width=1600, height=900),
        authors=[author],
        tags=["Energy", "Shipping"],
        body="<p>" + "The tanker market has split in two over the past year. " * 60 + "</p>",
    )
    for story in stories[:2]:
        RelatedStoryFactory(article=lead, related=story)
    return lead


def scan(page):
    """axe-core's violations on the loaded page that are serious or critical."""
    # Evaluated, not added as a <script>: the site's policy refuses inline scripts.
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]


def test_axe_core_is_installed():
    assert AXE.is_file(), "run `npm ci` (make test does) to install axe-core"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations(page, live_server, magazine, viewport):
    page.set_viewport_size(viewport)
    pages = {
        "home": "/",
        "article": magazine.get_absolute_url(),
        "section": magazine.section.get_absolute_url(),
        "search": "/search/?q=tanker",
    }
    found = {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, name
        found[name] = scan(page)
    assert found == {name: [] for name in pages}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_article_fits_the_screen(page, live_server, magazine, viewport, tmp_path):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}{magazine.get_absolute_url()}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    headline = page.locator("#article-headline").bounding_box()
    top_image = page.locator(".article__top-image img").bounding_box()
    assert headline["x"] >= 0 and headline["x"] + headline["width"] <= viewport["width"]
    assert 0 < top_image["width"] <= viewport["width"]
    # The picture keeps its shape: width and height attributes reserve the space.
    assert top_image["height"] == pytest.approx(top_image["width"] * 900 / 1600, abs=2)
    page.screenshot(path=tmp_path / f"article-{viewport['width']}.png", full_page=True)


def test_a_reader_searches_from_the_header(page, live_server, magazine):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    box = page.get_by_role("searchbox").first
    box.fill("tanker")
    box.press("Enter")
    page.wait_for_url("**/search/**")
    assert urlsplit(page.url).path == "/search/"
    results = page.locator("main h2 a, main h3 a").all_inner_texts()
    assert "Sanctions reshape the tanker trade" in results
