import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.urls import include, path

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


def broken_view(request):
    # A bug, not an outage: a database error gets the 503 page (tests/security/test_faults.py).
    raise RuntimeError("a bug in a view")


# The site's URLs plus one that fails, for the 500 page (see `failing_site`).
urlpatterns = [
    path("broken/", broken_view),
    path("", include("rs_cms.urls")),
]


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def template_names(response):
    return [template.name for template in response.templates]


class TestNotFound:
    @pytest.fixture
    def sections(self):
        return [
            SectionFactory(name="Asia-Pacific", slug="asia-pacific", position=0),
            SectionFactory(name="Middle East", slug="middle-east", position=1),
        ]

    @pytest.mark.parametrize(
        "url",
        ["/no/such/page/", "/no-such-section/", "/tag/nothing/", "/asia-pacific/no-such-story/"],
    )
    def test_is_a_page_of_the_site_with_status_404(self, client, sections, url):
        response = client.get(url)

        assert response.status_code == 404
        assert template_names(response)[:2] == ["404.html", "base.html"]
        soup = soup_of(response)
        assert soup.title.get_text() == f"Page not found | {django_settings.SITE_NAME}"
        assert soup.select_one(".masthead__name").get_text() == django_settings.SITE_NAME
        assert soup.select_one(".site-footer")
        assert soup.select_one("meta[name=robots]")["content"] == "noindex"
        main = soup.select_one("main")
        assert main.h1.get_text() == "We can’t find that page"
        assert main.code.get_text() == url

    def test_offers_search_the_front_page_and_the_sections(self, client, sections):
        main = soup_of(client.get("/gone/")).select_one("main")

        form = main.select_one("form[role=search]")
        assert form["action"] == "/search/"
        assert form["method"] == "get"
        assert [field["name"] for field in form.select("input")] == ["q"]
        assert main.select_one("label[for=not-found-q]")
        links = {a.get_text(): a["href"] for a in main.select("a")}
        assert links == {
            "Go to the front page": "/",
            "Asia-Pacific": "/asia-pacific/",
            "Middle East": "/middle-east/",
        }

    def test_the_search_box_leads_to_results(self, client, sections):
        ArticleFactory(headline="Shipping lanes under strain", section=sections[0])
        form = soup_of(client.get("/gone/")).select_one("main form[role=search]")
        response = client.get(form["action"], {"q": "shipping"})
        assert response.status_code == 200
        assert "Shipping lanes under strain" in soup_of(response).get_text()

    def test_the_address_shown_cannot_inject_markup(self, client):
        response = client.get("/<script>alert(1)</script>/")
        assert response.status_code == 404
        soup = soup_of(response)
        assert not soup.select("main script")
        assert soup.select_one("main code").get_text() == "/%3Cscript%3Ealert%281%29%3C/script%3E/"

    def test_drafts_answer_with_the_same_page(self, client):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 404
        assert "404.html" in template_names(response)


class TestServerError:
    @pytest.fixture
    def failing_site(self, settings, client):
        settings.ROOT_URLCONF = __name__
        client.raise_request_exception = False
        return client

    def test_is_a_plain_page_with_status_500(self, failing_site, django_assert_num_queries):
        with django_assert_num_queries(0):
            response = failing_site.get("/broken/")

        assert response.status_code == 500
        assert template_names(response) == ["500.html", "error_page.html"]
        soup = soup_of(response)
        assert soup.title.get_text() == "Something went wrong"
        assert soup.h1.get_text() == "Something went wrong on our side"
        assert [a["href"] for a in soup.select("a")] == ["/", "/"]
        assert soup.select_one("link[rel=stylesheet]")["href"] == "/static/css/site.css"

    def test_has_no_inline_script_or_style(self, failing_site):
        soup = soup_of(failing_site.get("/broken/"))
        assert not soup.select("script, style, [style]")
        assert not any(name.startswith("on") for tag in soup.find_all() for name in tag.attrs)

    def test_renders_with_no_context_at_all(self):
        html = render_to_string("500.html")
        assert "Something went wrong on our side" in html
        assert html.startswith("<!doctype html>")


# (value of ?page=, the page shown of two): Paginator.get_page() shows the first page for
# what is not a whole number and the last for a whole number out of range.
PAGE_NUMBERS = [
    ("abc", 1),
    ("", 1),
    ("1.5", 1),
    ("1e3", 1),
    ("NaN", 1),
    ("\x00", 1),
    ("été", 1),
    ("2", 2),
    ("999", 2),
    ("0", 2),
    ("-1", 2),
    ("9" * 40, 2),
    ("٣", 2),  # an Arabic-Indic three: int() reads it
]


class TestPageNumbers:
    @pytest.fixture(autouse=True)
    def thirteen_articles(self):
        section = SectionFactory(name="Middle East", slug="middle-east")
        author = AuthorFactory(slug="mina-ode")
        ArticleFactory.create_batch(
            13, section=section, authors=[author], tags=["Oil"], headline="Oil and the Gulf"
        )

    @pytest.mark.parametrize(("page", "shown"), PAGE_NUMBERS)
    @pytest.mark.parametrize(
        "url", ["/middle-east/", "/tag/oil/", "/author/mina-ode/", "/kind/analysis/"]
    )
    def test_a_listing_never_fails(self, client, url, page, shown):
        """A page that exists, else the site's 404 (never a stored copy of another page);
        a NUL is refused before any view (400)."""
        response = client.get(url, {"page": page})

        if page == "\x00":
            assert response.status_code == 400
            return
        if page not in {"", "2"}:
            assert response.status_code == 404
            assert soup_of(response).select_one(".pagination") is None
            return
        assert response.status_code == 200
        soup = soup_of(response)
        current = soup.select_one(".pagination [aria-current=page]").get_text()
        assert current == f"Page {shown} of 2"
        assert len(soup.select(".teaser")) == (12 if shown == 1 else 1)

    @pytest.mark.parametrize(("page", "shown"), PAGE_NUMBERS)
    def test_the_front_page_ignores_it(self, client, page, shown):
        response = client.get("/", {"page": page})
        if page == "\x00":
            assert response.status_code == 400
            return
        assert response.status_code == 200
        assert soup_of(response).select_one(".home__lead .teaser")

    @pytest.mark.parametrize(("page", "shown"), PAGE_NUMBERS)
    def test_search_results_never_fail(self, client, page, shown):
        """Search forgives a page number it cannot read (it is never cached)."""
        response = client.get("/search/", {"q": "oil", "page": page})
        if page == "\x00":
            assert response.status_code == 400
            return
        assert response.status_code == 200
        current = soup_of(response).select_one(".pagination [aria-current=page]").get_text()
        assert current == f"Page {shown} of 2"
