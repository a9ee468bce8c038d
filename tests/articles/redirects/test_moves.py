from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import reversion
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import moves
from articles.history import restore_revision
from articles.models import Article, Redirect
from tests.factories import ArticleFactory, SectionFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

MIDDLEWARE = "articles.redirects.middleware.RedirectFallbackMiddleware"


@pytest.fixture(autouse=True)
def serving_redirects(settings):
    """The fallback middleware, last, as settings.MIDDLEWARE has it."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


def moved_to(client, path, **query):
    """Where `path` sends a reader: asserts a permanent redirect, returns path and query."""
    response = client.get(path, query)
    assert response.status_code == 301, f"{path} answered {response.status_code}"
    location = urlsplit(response["Location"])
    assert not location.netloc
    return f"{location.path}?{location.query}" if location.query else location.path


def table():
    """Every redirect as {old: new}."""
    return dict(Redirect.objects.values_list("old_path", "new_path"))


@pytest.fixture
def asia():
    return SectionFactory(name="Asia-Pacific", slug="asia-pacific")


@pytest.fixture
def article(asia):
    return ArticleFactory(section=asia, slug="shipping-lanes")


class TestArticleMoves:
    def test_a_new_slug_sends_the_old_address_to_the_new_one(self, client, article):
        article.slug = "shipping-lanes-under-strain"
        article.save()

        assert moved_to(client, "/asia-pacific/shipping-lanes/") == (
            "/asia-pacific/shipping-lanes-under-strain/"
        )
        assert client.get("/asia-pacific/shipping-lanes-under-strain/").status_code == 200
        [redirect] = Redirect.objects.all()
        assert redirect.is_automatic

    def test_a_new_section_and_slug_together(self, client, article):
        article.section = SectionFactory(slug="middle-east")
        article.slug = "gulf-shipping"
        article.save()

        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/middle-east/gulf-shipping/"
        assert table() == {"/asia-pacific/shipping-lanes/": "/middle-east/gulf-shipping/"}

    def test_a_new_section_is_recorded_too(self, client, article):
        article.section = SectionFactory(slug="middle-east")
        article.save()

        assert table() == {"/asia-pacific/shipping-lanes/": "/middle-east/shipping-lanes/"}
        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/middle-east/shipping-lanes/"

    def test_chains_collapse_into_one_step(self, client, article):
        for slug in ["second-slug", "third-slug"]:
            article.slug = slug
            article.save()

        assert table() == {
            "/asia-pacific/shipping-lanes/": "/asia-pacific/third-slug/",
            "/asia-pacific/second-slug/": "/asia-pacific/third-slug/",
        }
        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/asia-pacific/third-slug/"

    def test_moving_back_drops_the_redirect_from_the_live_address(self, client, article):
        article.slug = "renamed"
        article.save()
        article.slug = "shipping-lanes"
        article.save()

        assert table() == {"/asia-pacific/renamed/": "/asia-pacific/shipping-lanes/"}
        assert client.get("/asia-pacific/shipping-lanes/").status_code == 200

    def test_a_new_article_at_a_redirected_address_takes_it_over(self, client, asia, article):
        article.slug = "renamed"
        article.save()
        ArticleFactory(section=asia, slug="shipping-lanes", headline="A different story")

        assert table() == {}
        response = client.get("/asia-pacific/shipping-lanes/")
        assert response.status_code == 200
        assert "A different story" in soup_of(response).h1.get_text()

    @pytest.mark.parametrize(
        "unseen",
        [
            {"status": Article.Status.DRAFT, "published_at": None},
            {"published_at": timezone.now() + timedelta(days=1)},
        ],
        ids=["draft", "scheduled"],
    )
    def test_an_address_readers_never_saw_leaves_no_redirect(self, asia, unseen):
        article = ArticleFactory(section=asia, slug="first-idea", **unseen)
        article.slug = "second-idea"
        article.save()

        assert table() == {}

    def test_an_unpublished_article_keeps_its_old_address(self, client, article):
        Article.objects.filter(pk=article.pk).unpublish()
        article.refresh_from_db()
        article.slug = "renamed"
        article.save()

        assert table() == {"/asia-pacific/shipping-lanes/": "/asia-pacific/renamed/"}

    def test_saving_without_a_move_costs_one_query_more(self, article):
        article.headline = "Sharper headline"
        with CaptureQueriesContext(connection) as queries:
            article.save()
        assert len(queries) == 2  # what the row was, then the UPDATE
        with CaptureQueriesContext(connection) as queries:
            article.save(update_fields=["headline"])
        assert len(queries) == 1
        assert table() == {}

    def test_an_editor_changing_the_slug_in_the_admin(self, editor_client, client, article):
        change = reverse("admin:articles_article_change", args=[article.pk])
        data = form_data(editor_client.get(change), "article_form")
        data["slug"] = "new-slug"
        response = editor_client.post(change, data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/asia-pacific/new-slug/"


class TestSectionMoves:
    def rename(self, section, slug):
        section.slug = slug
        section.save()

    def test_the_section_page_and_every_article_in_it_move(self, client, asia):
        articles = ArticleFactory.create_batch(3, section=asia)
        ArticleFactory(section=asia, slug="a-draft", status=Article.Status.DRAFT, published_at=None)
        elsewhere = ArticleFactory(section=SectionFactory(slug="europe"))

        self.rename(asia, "indo-pacific")

        expected = {"/asia-pacific/": "/indo-pacific/"} | {
            f"/asia-pacific/{a.slug}/": f"/indo-pacific/{a.slug}/" for a in articles
        }
        assert table() == expected
        assert moved_to(client, "/asia-pacific/") == "/indo-pacific/"
        for article in articles:
            assert moved_to(client, f"/asia-pacific/{article.slug}/") == (
                article.get_absolute_url()
            )
        assert client.get(elsewhere.get_absolute_url()).status_code == 200

    def test_the_cost_does_not_grow_with_the_articles_in_it(self, asia):
        def queries_to_rename(section, slug):
            with CaptureQueriesContext(connection) as queries:
                self.rename(section, slug)
            return len(queries)

        ArticleFactory(section=asia)
        few = queries_to_rename(asia, "indo-pacific")
        crowded = SectionFactory(slug="europe")
        ArticleFactory.create_batch(8, section=crowded)

        assert queries_to_rename(crowded, "european-union") == few
        assert Redirect.objects.filter(old_path__startswith="/europe/").count() == 9

    def test_redirects_into_the_section_follow_it(self, client, asia, article):
        article.slug = "renamed"
        article.save()
        self.rename(asia, "indo-pacific")

        assert table() == {
            "/asia-pacific/shipping-lanes/": "/indo-pacific/renamed/",
            "/asia-pacific/renamed/": "/indo-pacific/renamed/",
            "/asia-pacific/": "/indo-pacific/",
        }
        assert moved_to(client, "/asia-pacific/shipping-lanes/") == "/indo-pacific/renamed/"

    def test_moving_back_drops_the_redirects_from_live_addresses(self, client, asia, article):
        self.rename(asia, "indo-pacific")
        self.rename(asia, "asia-pacific")

        assert table() == {
            "/indo-pacific/": "/asia-pacific/",
            "/indo-pacific/shipping-lanes/": "/asia-pacific/shipping-lanes/",
        }
        assert client.get("/asia-pacific/").status_code == 200
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_a_new_section_at_a_redirected_address_takes_it_over(self, client, asia):
        self.rename(asia, "indo-pacific")
        SectionFactory(name="Asia-Pacific again", slug="asia-pacific")

        assert "/asia-pacific/" not in table()
        assert client.get("/asia-pacific/").status_code == 200

    def test_an_editor_renaming_a_section_in_the_admin(self, editor_client, client, asia, article):
        change = reverse("admin:articles_section_change", args=[asia.pk])
        data = form_data(editor_client.get(change), "section_form")
        data["slug"] = "indo-pacific"
        response = editor_client.post(change, data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        assert moved_to(client, "/asia-pacific/") == "/indo-pacific/"
        assert table()["/asia-pacific/shipping-lanes/"] == "/indo-pacific/shipping-lanes/"


class TestServing:
    @pytest.fixture
    def moved(self, asia):
        Redirect.objects.create(old_path="/asia-pacific/old/", new_path="/asia-pacific/")

    def test_the_query_string_goes_along(self, client, moved):
        assert moved_to(client, "/asia-pacific/old/", utm_source="feed", page="2") == (
            "/asia-pacific/?utm_source=feed&page=2"
        )

    def test_a_target_with_its_own_query_and_fragment(self, client):
        Redirect.objects.create(old_path="/old/", new_path="https://example.org/a?b=1#c")
        response = client.get("/old/", {"utm_source": "x"})
        assert response.status_code == 301
        assert response["Location"] == "https://example.org/a?b=1&utm_source=x#c"

    @pytest.mark.parametrize("path", ["/asia-pacific/old", "/asia-pacific/old/"])
    def test_with_or_without_the_trailing_slash(self, client, moved, path):
        assert moved_to(client, path) == "/asia-pacific/"

    def test_a_path_without_a_redirect_is_still_not_found(self, client, moved):
        response = client.get("/asia-pacific/never-was/")
        assert response.status_code == 404
        assert soup_of(response).h1.get_text() == "We can’t find that page"

    def test_a_live_page_wins_over_a_redirect(self, client, article):
        Redirect.objects.create(old_path=article.get_absolute_url(), new_path="/")
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_a_page_that_exists_costs_no_query(self, settings, article, django_assert_num_queries):
        url = article.get_absolute_url()
        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
        # A client builds its middleware chain once: a new one for each setting.
        without = Client()
        without.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert without.get(url).status_code == 200

        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
        with django_assert_num_queries(len(queries)):
            assert Client().get(url).status_code == 200

    def test_a_missing_page_costs_one_query_more(self, settings, moved, django_assert_num_queries):
        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
        Client().get("/asia-pacific/old/")  # warm the cached navigation
        with CaptureQueriesContext(connection) as queries:
            assert Client().get("/asia-pacific/old/").status_code == 404

        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
        with django_assert_num_queries(len(queries) + 1):
            assert Client().get("/asia-pacific/old/").status_code == 301


class TestTheFunctions:
    """The same rules, called directly: what Article.save() and Section.save() rely on."""

    def test_record_article_move(self, asia, article):
        moves.record_article_move("/asia-pacific/before/", article)
        assert table() == {"/asia-pacific/before/": "/asia-pacific/shipping-lanes/"}
        moves.record_article_move(article.get_absolute_url(), article)
        assert table() == {"/asia-pacific/before/": "/asia-pacific/shipping-lanes/"}

    def test_record_section_move(self, asia, article):
        moves.record_section_move(asia, "asia")
        assert table() == {
            "/asia/": "/asia-pacific/",
            "/asia/shipping-lanes/": "/asia-pacific/shipping-lanes/",
        }

    def test_an_article_address_is_the_section_address_and_the_slug(self, article):
        assert moves.article_path("asia-pacific", "shipping-lanes") == (article.get_absolute_url())


def admin_url(action, *args):
    return reverse(f"admin:articles_redirect_{action}", args=args)


def field_errors(response, field):
    row = soup_of(response).select_one(f".form-row.field-{field}")
    assert row is not None, f"no row for {field}"
    return [item.get_text(strip=True) for item in row.select(".errorlist li")]


class TestAdmin:
    def add(self, client, old_path, new_path):
        data = form_data(client.get(admin_url("add")), "redirect_form")
        data.update(old_path=old_path, new_path=new_path)
        return client.post(admin_url("add"), data)

    def test_the_list_shows_both_kinds_and_filters_them(self, editor_client, article):
        article.slug = "renamed"
        article.save()
        Redirect.objects.create(old_path="/campaign/", new_path="https://donate.example.org/")

        soup = soup_of(editor_client.get(admin_url("changelist")))
        rows = {
            row.select_one(".field-old_path").get_text(strip=True): (
                row.select_one(".field-new_path").get_text(strip=True),
                row.select_one(".field-origin").get_text(strip=True),
            )
            for row in soup.select("#result_list tbody tr")
        }
        assert rows == {
            "/asia-pacific/shipping-lanes/": ("/asia-pacific/renamed/", "When the page moved"),
            "/campaign/": ("https://donate.example.org/", "By an editor"),
        }

        def listed(**query):
            page = soup_of(editor_client.get(admin_url("changelist"), query))
            return [cell.get_text(strip=True) for cell in page.select(".field-old_path")]

        assert listed(made="manual") == ["/campaign/"]
        assert listed(made="automatic") == ["/asia-pacific/shipping-lanes/"]
        assert listed(q="donate") == ["/campaign/"]

    def test_an_editor_adds_a_redirect_that_works_at_once(self, editor_client, client, article):
        response = self.add(editor_client, "/2019/shipping.html", article.get_absolute_url())
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        redirect = Redirect.objects.get()
        assert not redirect.is_automatic
        assert moved_to(client, "/2019/shipping.html") == article.get_absolute_url()

    def test_redirects_to_the_old_address_follow_the_new_one(self, editor_client, asia):
        Redirect.objects.create(old_path="/oldest/", new_path="/older/")
        response = self.add(editor_client, "/older/", "/asia-pacific/")
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        assert table() == {"/oldest/": "/asia-pacific/", "/older/": "/asia-pacific/"}

    @pytest.mark.parametrize(
        ("old_path", "field", "message"),
        [
            (
                "https://example.org/old/",
                "old_path",
                "Enter a path on this site starting with “/”, such as /asia-pacific/old-slug/.",
            ),
            (
                "old/",
                "old_path",
                "Enter a path on this site starting with “/”, such as /asia-pacific/old-slug/.",
            ),
            (
                "/asia-pacific/shipping-lanes/",
                "old_path",
                "Readers already reach the article “Shipping lanes under strain” at this "
                "address, so a redirect from it would never be used. To move an article or a "
                "section, change its slug or section instead: its old address then redirects "
                "by itself.",
            ),
            (
                "/asia-pacific/",
                "old_path",
                "Readers already reach the section “Asia-Pacific” at this address, so a "
                "redirect from it would never be used. To move an article or a section, change "
                "its slug or section instead: its old address then redirects by itself.",
            ),
            (
                "/taken/",
                "old_path",
                "This address already redirects: change that redirect in the list.",
            ),
        ],
    )
    def test_a_bad_old_address_is_refused_with_a_reason(
        self, editor_client, asia, old_path, field, message
    ):
        ArticleFactory(section=asia, slug="shipping-lanes", headline="Shipping lanes under strain")
        Redirect.objects.create(old_path="/taken/", new_path="/asia-pacific/")

        response = self.add(editor_client, old_path, "/")
        assert response.status_code == 200
        assert field_errors(response, field) == [message]
        assert Redirect.objects.count() == 1

    @pytest.mark.parametrize(
        ("new_path", "message"),
        [
            ("javascript:alert(1)", "Enter a valid URL."),
            ("ftp://example.org/file", "Enter a valid URL."),
            ("/gone/", "A redirect cannot lead back to its own address."),
            ("/b/", "That would make a loop: “/b/” already redirects back to “/gone/”."),
            (
                "/c/",
                "“/c/” itself redirects to “/asia-pacific/”: enter “/asia-pacific/” instead, "
                "so readers get there in one step.",
            ),
            (
                "/asia-pacific/no-such-story/",
                "Nothing on this site answers at “/asia-pacific/no-such-story/”. Check the "
                "address: open the page you mean and copy the part after the domain name.",
            ),
            (
                "/no/such/page/",
                "Nothing on this site answers at “/no/such/page/”. Check the address: open the "
                "page you mean and copy the part after the domain name.",
            ),
        ],
    )
    def test_a_bad_new_address_is_refused_with_a_reason(
        self, editor_client, asia, new_path, message
    ):
        Redirect.objects.create(old_path="/b/", new_path="/gone/")
        Redirect.objects.create(old_path="/c/", new_path="/asia-pacific/")

        response = self.add(editor_client, "/gone/", new_path)
        assert response.status_code == 200
        assert field_errors(response, "new_path") == [message]
        assert Redirect.objects.count() == 2

    @pytest.mark.parametrize(
        "new_path", ["/", "/asia-pacific/", "/media/reports/annual.pdf", "https://example.org/"]
    )
    def test_good_new_addresses(self, editor_client, asia, new_path):
        response = self.add(editor_client, "/old-page/", new_path)
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        assert table() == {"/old-page/": new_path}

    def test_an_editor_changes_and_deletes_an_automatic_redirect(self, editor_client, article):
        article.slug = "renamed"
        article.save()
        redirect = Redirect.objects.get()

        change = admin_url("change", redirect.pk)
        page = editor_client.get(change)
        assert "When the page moved" in soup_of(page).select_one(".field-origin").get_text()
        data = form_data(page, "redirect_form")
        data["new_path"] = "/asia-pacific/"
        response = editor_client.post(change, data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        assert table() == {"/asia-pacific/shipping-lanes/": "/asia-pacific/"}

        response = editor_client.post(admin_url("delete", redirect.pk), {"post": "yes"})
        assert response.status_code == 302
        assert table() == {}

    def test_writers_cannot_see_redirects(self, writer_client):
        assert writer_client.get(admin_url("changelist")).status_code == 403


class TestUnpublishedArticlesLeavePublicAddressesAlone:
    """A redirect from a published story's old address gives way only to an article that is
    actually published there: a draft, a story in review or a scheduled one never takes it."""

    OLD = "/asia-pacific/shipping-lanes/"

    @pytest.fixture
    def renamed(self, article):
        """The published story moved on: its old address answers 301."""
        article.slug = "shipping-lanes-renamed"
        article.save()
        return article

    UNSEEN = pytest.mark.parametrize(
        "unseen",
        [
            {"status": Article.Status.DRAFT, "published_at": None},
            {"status": Article.Status.REVIEW, "published_at": None},
            {"published_at": timezone.now() + timedelta(days=1)},
        ],
        ids=["draft", "in-review", "scheduled"],
    )

    def test_a_writers_new_draft_with_an_empty_slug_keeps_the_redirect(
        self, writer_client, asia, renamed
    ):
        add = reverse("admin:articles_article_add")
        data = form_data(writer_client.get(add), "article_form")
        data.update(headline="Shipping lanes", slug="", section=asia.pk, body="<p>Draft.</p>")
        response = writer_client.post(add, data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        assert Article.objects.get(headline="Shipping lanes").slug == "shipping-lanes"

        assert table() == {self.OLD: "/asia-pacific/shipping-lanes-renamed/"}
        # A reader's browser: the writer's own would be shown the draft.
        assert moved_to(Client(), self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

    @UNSEEN
    def test_a_new_unpublished_article_keeps_the_redirect(self, client, asia, renamed, unseen):
        ArticleFactory(section=asia, slug="shipping-lanes", **unseen)

        assert table() == {self.OLD: "/asia-pacific/shipping-lanes-renamed/"}
        assert moved_to(client, self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

    @UNSEEN
    def test_an_unpublished_article_moved_onto_the_address_keeps_the_redirect(
        self, client, asia, renamed, unseen
    ):
        draft = ArticleFactory(section=SectionFactory(slug="europe"), slug="other", **unseen)
        draft.section = asia
        draft.slug = "shipping-lanes"
        draft.save()

        assert table() == {self.OLD: "/asia-pacific/shipping-lanes-renamed/"}
        assert moved_to(client, self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

    def test_a_section_renamed_onto_the_address_keeps_the_redirect_of_its_draft(
        self, client, asia, renamed
    ):
        europe = SectionFactory(slug="europe")
        ArticleFactory(
            section=europe, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
        )
        asia.slug = "asia"
        asia.save()
        europe.slug = "asia-pacific"
        europe.save()

        assert table()[self.OLD] == "/asia/shipping-lanes-renamed/"
        assert moved_to(client, self.OLD) == "/asia/shipping-lanes-renamed/"

    def test_publishing_the_article_there_takes_the_address_over(self, client, asia, renamed):
        draft = ArticleFactory(
            section=asia, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
        )
        draft.status = Article.Status.PUBLISHED
        draft.save()

        assert self.OLD not in table()
        assert client.get(self.OLD).status_code == 200

    def test_an_editor_may_redirect_an_address_only_a_draft_holds(self, editor_client, asia):
        ArticleFactory(
            section=asia, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
        )
        response = TestAdmin().add(editor_client, self.OLD, "/asia-pacific/")
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        assert table() == {self.OLD: "/asia-pacific/"}

    def test_restoring_a_drafts_revision_onto_the_address_keeps_the_redirect(
        self, client, editor, asia, renamed
    ):
        draft = ArticleFactory(
            section=asia, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
        )
        with reversion.create_revision():
            draft.save()
        draft.section = SectionFactory(slug="europe")
        draft.save()

        restore_revision(draft, Version.objects.get_for_object(draft).get(), editor)

        assert Article.objects.get(pk=draft.pk).get_absolute_url() == self.OLD
        assert table()[self.OLD] == "/asia-pacific/shipping-lanes-renamed/"
        assert moved_to(client, self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

    def test_a_scheduled_article_answers_at_its_address_once_it_goes_out(
        self, client, asia, renamed
    ):
        scheduled = ArticleFactory(
            section=asia, slug="shipping-lanes", published_at=timezone.now() + timedelta(hours=1)
        )
        assert moved_to(client, self.OLD) == "/asia-pacific/shipping-lanes-renamed/"

        Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())

        assert client.get(self.OLD).status_code == 200


class TestAddressesAsBrowsersSendThem:
    """An address is stored in one form, whatever way it was typed: what the address bar shows
    (percent-encoded, in capitals or not) and the characters themselves are the same address."""

    ARABIC = "/archiv/عربي/"
    ENCODED = "/archiv/%D8%B9%D8%B1%D8%A8%D9%8A/"

    def add(self, client, old_path, new_path):
        return TestAdmin().add(client, old_path, new_path)

    def test_a_redirect_typed_percent_encoded_fires(self, editor_client, client, asia):
        response = self.add(editor_client, self.ENCODED, "/asia-pacific/")
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        assert table() == {self.ARABIC: "/asia-pacific/"}
        assert moved_to(client, self.ENCODED) == "/asia-pacific/"
        assert moved_to(client, self.ENCODED.lower()) == "/asia-pacific/"

    def test_the_form_says_how_addresses_are_stored(self, editor_client):
        help_text = soup_of(editor_client.get(admin_url("add"))).select_one(
            ".form-row.field-old_path .help"
        )
        assert "percent-encoded" in help_text.get_text()

    @pytest.mark.parametrize(
        "typed", [ENCODED, ENCODED.lower(), ARABIC, "/archiv/%d8%b9%D8%B1%D8%A8ي/"]
    )
    def test_every_spelling_of_an_address_is_one_redirect(self, editor_client, asia, typed):
        Redirect.objects.create(old_path=self.ENCODED.lower(), new_path="/asia-pacific/")

        response = self.add(editor_client, typed, "/")
        assert field_errors(response, "old_path") == [
            "This address already redirects: change that redirect in the list."
        ]
        assert table() == {self.ARABIC: "/asia-pacific/"}

    def test_a_target_typed_percent_encoded_is_followed_to_a_loop(self, editor_client, asia):
        Redirect.objects.create(old_path="/b/", new_path=self.ARABIC)

        response = self.add(editor_client, self.ENCODED, "/b/")
        assert field_errors(response, "new_path") == [
            f"That would make a loop: “/b/” already redirects back to “{self.ARABIC}”."
        ]

    def test_a_target_typed_percent_encoded_is_followed_to_a_chain(self, editor_client, asia):
        Redirect.objects.create(old_path=self.ARABIC, new_path="/asia-pacific/")

        response = self.add(editor_client, "/older/", self.ENCODED)
        assert field_errors(response, "new_path") == [
            f"“{self.ARABIC}” itself redirects to “/asia-pacific/”: enter “/asia-pacific/” "
            "instead, so readers get there in one step."
        ]

    @pytest.mark.parametrize(
        ("existing", "typed_target"), [("/b/", "/b"), ("/b", "/b/")], ids=["slash", "no-slash"]
    )
    def test_a_loop_through_the_other_trailing_slash_is_refused(
        self, editor_client, existing, typed_target
    ):
        # Readers at “/b” reach the redirect from “/b/” (and the other way round).
        Redirect.objects.create(old_path=existing, new_path="/gone/")

        response = self.add(editor_client, "/gone/", typed_target)
        assert field_errors(response, "new_path") == [
            f"That would make a loop: “{typed_target}” already redirects back to “/gone/”."
        ]

    @pytest.mark.parametrize(
        ("typed", "requested"),
        [
            ("/old%20page/", "/old%20page/"),
            ("/100%25-sure/", "/100%25-sure/"),
            ("/what%3F/", "/what%3F/"),
            ("/caf%C3%A9/", "/café/"),
        ],
        ids=["space", "percent", "question-mark", "accent"],
    )
    def test_escapes_that_must_stay_escaped(self, client, asia, typed, requested):
        Redirect.objects.create(old_path=typed, new_path="/asia-pacific/")
        assert moved_to(client, requested) == "/asia-pacific/"

    def test_a_saved_address_stays_as_it_is_when_saved_again(self, asia):
        redirect = Redirect.objects.create(old_path="/100%25-sure/", new_path="/asia-pacific/")
        stored = Redirect.objects.get(pk=redirect.pk)
        stored.save()

        assert Redirect.objects.get(pk=redirect.pk).old_path == stored.old_path == "/100%25-sure/"

    def test_a_target_on_the_site_is_stored_decoded_and_sent_encoded(self, client, asia):
        Redirect.objects.create(old_path="/old/", new_path="/archiv/%d8%b9%d8%b1%d8%a8%d9%8a/")

        assert table() == {"/old/": self.ARABIC}
        assert client.get("/old/")["Location"] == self.ENCODED

    def test_redirects_typed_encoded_before_are_stored_in_one_form(self, client, asia):
        def insert(old_path, new_path):
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO articles_redirect (old_path, new_path, is_automatic, created_at)"
                    " VALUES (%s, %s, %s, %s)",
                    [old_path, new_path, False, timezone.now()],
                )

        insert(self.ENCODED, "/asia-pacific/")
        insert(self.ARABIC, "/")  # the same address, as it fires today: it stays
        insert("/caf%c3%a9/", "/café/")  # a loop once decoded
        insert("/old/", "/caf%C3%A9/")
        migration = import_module("articles.migrations.0014_redirect_paths_in_one_form")

        migration.store_in_one_form(django_apps, SimpleNamespace(connection=connection))

        assert table() == {self.ARABIC: "/", "/old/": "/café/"}
        assert moved_to(client, self.ENCODED) == "/"


def test_publishing_with_the_bulk_action_takes_the_address_over(editor_client, asia, article):
    article.slug = "shipping-lanes-renamed"
    article.save()
    draft = ArticleFactory(
        section=asia, slug="shipping-lanes", status=Article.Status.DRAFT, published_at=None
    )
    ArticleFactory(section=asia, slug="elsewhere", status=Article.Status.DRAFT, published_at=None)
    Redirect.objects.create(old_path="/asia-pacific/elsewhere/", new_path="/asia-pacific/")

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )

    assert table() == {"/asia-pacific/elsewhere/": "/asia-pacific/"}
    assert Client().get("/asia-pacific/shipping-lanes/").status_code == 200
