import json
from datetime import timedelta
from urllib.parse import urlsplit

import factory
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from taggit.models import Tag

from articles.models import Article, Image, RelatedStory, Section
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DonationAppealFactory,
    ImageFactory,
    SectionFactory,
    jpeg_bytes,
)
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

ARTICLE_CHANGELIST = reverse("admin:articles_article_changelist")
ARTICLE_ADD = reverse("admin:articles_article_add")
IMAGE_ADD = reverse("admin:articles_image_add")
AUTOCOMPLETE = reverse("admin:autocomplete")


def split_datetime(moment):
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


def changelist_rows(response):
    """Each result row as {column name: cell}, keyed by the admin's field-* classes."""
    rows = []
    for tr in soup_of(response).select("#result_list tbody tr"):
        cells = {}
        for cell in tr.find_all(["th", "td"]):
            for css_class in cell.get("class", []):
                if css_class.startswith("field-"):
                    cells[css_class.removeprefix("field-")] = cell
        rows.append(cells)
    return rows


def headlines(response):
    return sorted(row["headline"].get_text(strip=True) for row in changelist_rows(response))


def field_errors(response, field):
    row = soup_of(response).select_one(f".form-row.field-{field}, .fieldBox.field-{field}")
    assert row is not None, f"no row for {field}"
    return [item.get_text(strip=True) for item in row.select(".errorlist li")]


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


class TestArticleChangelist:
    def test_shows_the_columns_and_a_thumbnail(self, admin_client):
        section = SectionFactory(name="Asia-Pacific")
        article = ArticleFactory(
            headline="Shipping lanes under strain",
            section=section,
            kind=Article.Kind.OPINION,
            top_image=ImageFactory(alt_text="A tanker at anchor"),
            published_at=timezone.now() - timedelta(days=2),
        )
        response = admin_client.get(ARTICLE_CHANGELIST)
        assert response.status_code == 200
        [row] = changelist_rows(response)
        assert row["headline"].get_text(strip=True) == "Shipping lanes under strain"
        assert row["headline"].a["href"] == change_url(article)
        assert row["section"].get_text(strip=True) == "Asia-Pacific"
        assert row["kind"].get_text(strip=True) == "Opinion"
        assert row["status"].get_text(strip=True) == "Published"
        assert row["published_at"].get_text(strip=True) == date_format(
            timezone.localtime(article.published_at), "DATETIME_FORMAT"
        )
        thumb = row["thumb"].find("img", class_="rs-thumb")
        assert thumb["src"] == article.top_image.display_file.url
        assert thumb["alt"] == "A tanker at anchor"

    def test_article_without_a_top_image_has_no_thumbnail(self, admin_client):
        ArticleFactory(top_image=None)
        [row] = changelist_rows(admin_client.get(ARTICLE_CHANGELIST))
        assert row["thumb"].find("img") is None
        assert row["thumb"].get_text(strip=True) == "—"

    def test_search_finds_articles_by_headline(self, admin_client):
        ArticleFactory(headline="Shipping lanes under strain")
        ArticleFactory(headline="Elections in the Pacific")
        response = admin_client.get(ARTICLE_CHANGELIST, {"q": "shipping"})
        assert headlines(response) == ["Shipping lanes under strain"]

    def test_filters_narrow_the_rows(self, admin_client):
        europe = SectionFactory(name="Europe")
        asia = SectionFactory(name="Asia")
        ArticleFactory(headline="Draft in Europe", section=europe, status=Article.Status.DRAFT)
        ArticleFactory(headline="Opinion in Asia", section=asia, kind=Article.Kind.OPINION)
        ArticleFactory(headline="News in Europe", section=europe, kind=Article.Kind.NEWS)

        assert headlines(admin_client.get(ARTICLE_CHANGELIST)) == [
            "Draft in Europe",
            "News in Europe",
            "Opinion in Asia",
        ]
        assert headlines(admin_client.get(ARTICLE_CHANGELIST, {"status__exact": "draft"})) == [
            "Draft in Europe"
        ]
        by_section = admin_client.get(ARTICLE_CHANGELIST, {"section__id__exact": europe.pk})
        assert headlines(by_section) == ["Draft in Europe", "News in Europe"]
        assert headlines(admin_client.get(ARTICLE_CHANGELIST, {"kind__exact": "opinion"})) == [
            "Opinion in Asia"
        ]

    def test_query_count_does_not_grow_with_the_number_of_articles(self, admin_client):
        def count_queries(expected_rows):
            admin_client.get(ARTICLE_CHANGELIST)  # warm per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = admin_client.get(ARTICLE_CHANGELIST)
            assert len(changelist_rows(response)) == expected_rows
            return len(queries)

        # Each article gets its own section and top image, so a missing join would show.
        ArticleFactory.create_batch(2, top_image=factory.SubFactory(ImageFactory))
        few = count_queries(2)
        ArticleFactory.create_batch(8, top_image=factory.SubFactory(ImageFactory))
        assert count_queries(10) == few


class TestArticleAddForm:
    def test_renders_the_editor_widgets_and_inlines(self, editor_client):
        response = editor_client.get(ARTICLE_ADD)
        assert response.status_code == 200
        soup = soup_of(response)

        body = soup.find("textarea", attrs={"name": "body"})
        config = json.loads(body["data-django-prose-editor-configurable"])
        assert {"Heading", "Link", "Blockquote"} <= set(config["extensions"])
        scripts = [script.get("src", "") for script in soup.find_all("script")]
        assert any(src.endswith("django_prose_editor/editor.js") for src in scripts)
        assert any(src.endswith("js/admin-tags.js") for src in scripts)

        prepopulated = json.loads(
            soup.find(id="django-admin-prepopulated-fields-constants")["data-prepopulated-fields"]
        )
        assert {"id": "#id_slug", "dependency_ids": ["#id_headline"]}.items() <= next(
            field for field in prepopulated if field["name"] == "slug"
        ).items()

        for name in ["section", "top_image", "topic"]:
            select = soup.find("select", attrs={"name": name})
            assert "admin-autocomplete" in select["class"], name
            assert select["data-ajax--url"] == AUTOCOMPLETE

        for prefix in ["bylines", "related_picks"]:
            for part in ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"]:
                assert soup.find("input", attrs={"name": f"{prefix}-{part}"}), (prefix, part)
        assert "admin-autocomplete" in soup.find(attrs={"name": "bylines-0-author"})["class"]
        assert "admin-autocomplete" in soup.find(attrs={"name": "related_picks-0-related"})["class"]


class TestArticleAddFlow:
    def test_editor_creates_a_published_article_readers_can_see(self, editor_client, editor):
        section = SectionFactory(name="Asia-Pacific", slug="asia-pacific")
        first, second = AuthorFactory(name="Zoe Adler"), AuthorFactory(name="Amir Bakr")
        topic = Tag.objects.create(name="Taiwan Strait")
        image = ImageFactory(credit="Photo: R. Amari / Agency")
        older = ArticleFactory(section=section, headline="Ports and power")
        oldest = ArticleFactory(section=section, headline="Cables under the sea")

        data = form_data(editor_client.get(ARTICLE_ADD), "article_form")
        data.update(
            {
                "headline": "Shipping lanes under strain",
                "slug": "shipping-lanes-under-strain",
                "dek": "Why the strait matters more than ever.",
                "kind": Article.Kind.ANALYSIS,
                "section": section.pk,
                "topic": topic.pk,
                "tags": "Shipping, Energy",
                "top_image": image.pk,
                "body": (
                    '<p onclick="steal()">Opening paragraph.</p>'
                    "<script>alert('owned')</script><p>Second paragraph.</p>"
                ),
                "status": Article.Status.PUBLISHED,
                **split_datetime(timezone.now() - timedelta(minutes=5)),
                "bylines-TOTAL_FORMS": "2",
                "bylines-0-position": "0",
                "bylines-0-author": first.pk,
                "bylines-1-position": "1",
                "bylines-1-author": second.pk,
                "related_picks-TOTAL_FORMS": "2",
                # Positions, not form order, decide the order of the picks.
                "related_picks-0-position": "2",
                "related_picks-0-related": oldest.pk,
                "related_picks-1-position": "1",
                "related_picks-1-related": older.pk,
            }
        )
        response = editor_client.post(ARTICLE_ADD, data, follow=True)

        assert response.status_code == 200
        assert response.redirect_chain == [(ARTICLE_CHANGELIST, 302)]
        article = Article.objects.get(slug="shipping-lanes-under-strain")
        assert article.is_public
        assert article.ordered_authors == [first, second]
        assert article.topic == topic
        assert sorted(article.tags.names()) == ["Energy", "Shipping", "Taiwan Strait"]
        assert article.top_image == image
        picks = RelatedStory.objects.filter(article=article)
        assert [(pick.related, pick.position) for pick in picks] == [(older, 1), (oldest, 2)]
        body = BeautifulSoup(article.body, "html.parser")
        assert body.find("script") is None
        assert "alert" not in article.body
        assert not any(tag.has_attr("onclick") for tag in body.find_all(True))
        assert [p.get_text() for p in body.find_all("p")] == [
            "Opening paragraph.",
            "Second paragraph.",
        ]

        anonymous = Client()
        for viewer in [editor_client, anonymous]:
            page = viewer.get(article.get_absolute_url())
            assert page.status_code == 200
            soup = soup_of(page)
            assert soup.find("h1").get_text(strip=True) == "Shipping lanes under strain"
            assert [a.get_text() for a in soup.select(".article__byline a")] == [
                "Zoe Adler",
                "Amir Bakr",
            ]
            assert soup.select_one(".article__topic a").get_text() == "Taiwan Strait"
            assert [h.get_text(strip=True) for h in soup.select(".related-story__headline")] == [
                "Ports and power",
                "Cables under the sea",
            ]
            assert "X-Robots-Tag" not in page

    def test_body_outside_the_allow_list_is_stripped(self, admin_client):
        data = form_data(admin_client.get(ARTICLE_ADD), "article_form")
        data.update(
            {
                "headline": "Allowed and not",
                "slug": "allowed-and-not",
                "section": SectionFactory().pk,
                "body": (
                    "<h1>Big title</h1>"
                    '<p style="color: red">Styled text.</p>'
                    '<img src="https://example.com/x.jpg" alt="x">'
                    '<iframe src="https://example.com/embed"></iframe>'
                    "<h2>Subhead</h2><h3>Smaller subhead</h3>"
                    "<blockquote><p>A quotation.</p></blockquote>"
                    "<ul><li>One</li></ul><ol><li>Two</li></ol>"
                    '<p><a href="https://example.com/report">The report</a></p>'
                ),
            }
        )
        response = admin_client.post(ARTICLE_ADD, data)

        assert response.status_code == 302
        body = BeautifulSoup(Article.objects.get(slug="allowed-and-not").body, "html.parser")
        for removed in ["h1", "img", "iframe"]:
            assert body.find(removed) is None, removed
        assert not any(tag.has_attr("style") for tag in body.find_all(True))
        assert body.find("h2").get_text() == "Subhead"
        assert body.find("h3").get_text() == "Smaller subhead"
        assert body.find("blockquote").get_text(strip=True) == "A quotation."
        assert body.select_one("ul > li").get_text() == "One"
        assert body.select_one("ol > li").get_text() == "Two"
        assert body.find("a")["href"] == "https://example.com/report"

    def test_publishing_without_a_time_publishes_now(self, admin_client):
        data = form_data(admin_client.get(ARTICLE_ADD), "article_form")
        data.update(
            {
                "headline": "Straight to print",
                "slug": "straight-to-print",
                "section": SectionFactory().pk,
                "status": Article.Status.PUBLISHED,
            }
        )
        before = timezone.now()
        response = admin_client.post(ARTICLE_ADD, data)

        assert response.status_code == 302
        assert Article.objects.get(slug="straight-to-print").published_at >= before


class TestImageAdmin:
    def upload(self, client, **fields):
        data = {
            "file": SimpleUploadedFile("harbour.jpg", jpeg_bytes(64, 48), "image/jpeg"),
            "alt_text": "Cranes over the harbour at dusk",
            "caption": "The container terminal.",
            "credit": "",
            "source_url": "",
            **fields,
        }
        return client.post(IMAGE_ADD, data)

    def test_upload_with_a_credit_records_the_size(self, editor_client):
        response = self.upload(editor_client, credit="Photo: R. Amari / Agency")

        assert response.status_code == 302
        image = Image.objects.get()
        assert (image.width, image.height) == (64, 48)
        assert image.alt_text == "Cranes over the harbour at dusk"
        assert image.credit == "Photo: R. Amari / Agency"
        assert image.file.name.endswith(".jpg")

    def test_upload_without_a_credit_is_refused(self, editor_client):
        response = self.upload(editor_client)

        assert response.status_code == 200
        assert field_errors(response, "credit") == [
            "Add the credit (agency and photographer), or tick “no credit needed”."
        ]
        assert not Image.objects.exists()

    def test_own_graphic_needs_no_credit(self, editor_client):
        response = self.upload(editor_client, no_credit_needed="on")

        assert response.status_code == 302
        image = Image.objects.get()
        assert image.no_credit_needed
        assert image.credit == ""

    def test_changelist_shows_thumbnails_and_credits(self, admin_client):
        credited = ImageFactory(alt_text="A tanker", credit="Photo: J. Lin / Wire")
        ImageFactory(alt_text="Our map", credit="", no_credit_needed=True)

        response = admin_client.get(reverse("admin:articles_image_changelist"))

        assert response.status_code == 200
        rows = {row["alt_text"].get_text(strip=True): row for row in changelist_rows(response)}
        assert set(rows) == {"A tanker", "Our map"}
        for row in rows.values():
            assert row["preview"].find("img", class_="rs-thumb")
        assert rows["A tanker"]["preview"].img["src"] == credited.display_file.url
        assert rows["A tanker"]["credit_column"].get_text(strip=True) == "Photo: J. Lin / Wire"
        assert (
            rows["Our map"]["credit_column"].get_text(strip=True)
            == "Own graphic (no credit needed)"
        )
        assert rows["A tanker"]["dimensions"].get_text(strip=True) == "32 × 18"


class TestArticleActions:
    def run_action(self, client, action, articles):
        return client.post(
            ARTICLE_CHANGELIST,
            {"action": action, "_selected_action": [article.pk for article in articles]},
            follow=True,
        )

    def test_publish_now_publishes_drafts_and_keeps_public_dates(self, editor_client):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        in_review = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
        public = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
        untouched = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        original_date = public.published_at

        before = timezone.now()
        response = self.run_action(editor_client, "publish_now", [draft, in_review, public])
        after = timezone.now()

        assert response.status_code == 200
        messages = [m.message for m in response.context["messages"]]
        assert messages == ["Published 2 article(s)."]
        for article in [draft, in_review]:
            article.refresh_from_db()
            assert article.status == Article.Status.PUBLISHED
            assert before <= article.published_at <= after
        public.refresh_from_db()
        assert public.published_at == original_date
        untouched.refresh_from_db()
        assert untouched.status == Article.Status.DRAFT
        assert set(Article.objects.published()) == {draft, in_review, public}

    def test_publish_now_brings_a_scheduled_article_forward(self, editor_client):
        scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))

        self.run_action(editor_client, "publish_now", [scheduled])

        scheduled.refresh_from_db()
        assert scheduled.published_at <= timezone.now()
        assert scheduled.is_public

    def test_republishing_a_taken_down_story_keeps_its_date(self, editor_client):
        original = timezone.now() - timedelta(days=4)
        taken_down = ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=original)

        self.run_action(editor_client, "publish_now", [taken_down])

        taken_down.refresh_from_db()
        assert taken_down.is_public
        assert taken_down.published_at == original

    def test_unpublish_hides_articles_from_readers(self, editor_client, client):
        gone = ArticleFactory()
        kept = ArticleFactory()

        response = self.run_action(editor_client, "unpublish", [gone])

        assert [m.message for m in response.context["messages"]] == ["Unpublished 1 article(s)."]
        gone.refresh_from_db()
        assert gone.status == Article.Status.UNPUBLISHED
        assert list(Article.objects.published()) == [kept]
        assert Client().get(gone.get_absolute_url()).status_code == 404


class TestUpdatedAt:
    @pytest.fixture
    def published(self):
        two_hours_ago = timezone.now() - timedelta(hours=2)
        return ArticleFactory(
            headline="Original headline", published_at=two_hours_ago, updated_at=two_hours_ago
        )

    def edit(self, client, article, **changes):
        data = form_data(client.get(change_url(article)), "article_form")
        data.update(changes)
        response = client.post(change_url(article), data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        article.refresh_from_db()
        return article

    def dates_line(self, article):
        page = Client().get(article.get_absolute_url())
        assert page.status_code == 200
        return soup_of(page).select_one(".article__dates").get_text(" ", strip=True)

    def test_a_new_headline_marks_the_article_updated(self, editor_client, published):
        assert "Updated" not in self.dates_line(published)

        before = timezone.now()
        article = self.edit(editor_client, published, headline="Sharper headline")

        assert article.headline == "Sharper headline"
        assert before <= article.updated_at <= timezone.now()
        assert "Updated" in self.dates_line(article)

    @pytest.mark.parametrize(
        "changes",
        [
            {"seo_title": "Search title", "seo_description": "For search engines."},
            {"status": Article.Status.UNPUBLISHED},
            {"show_donation_appeal": ""},
        ],
        ids=["seo", "status", "appeal"],
    )
    def test_other_changes_leave_updated_at_alone(self, editor_client, published, changes):
        original = published.updated_at

        article = self.edit(editor_client, published, **changes)

        assert article.updated_at == original
        for field, value in changes.items():
            if value:
                assert getattr(article, field) == value

    def test_seo_change_shows_no_updated_date(self, editor_client, published):
        article = self.edit(editor_client, published, seo_title="Search title")

        assert article.seo_title == "Search title"
        assert "Updated" not in self.dates_line(article)


class TestAutocomplete:
    def results(self, client, field_name, term):
        response = client.get(
            AUTOCOMPLETE,
            {
                "app_label": "articles",
                "model_name": "article",
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        return response.json()["results"]

    def test_topic_finds_tags(self, editor_client):
        strait = Tag.objects.create(name="Taiwan Strait")
        Tag.objects.create(name="Shipping")

        assert self.results(editor_client, "topic", "Tai") == [
            {"id": str(strait.pk), "text": "Taiwan Strait"}
        ]

    def test_top_image_results_carry_their_credit(self, editor_client):
        image = ImageFactory(caption="A tanker at anchor.", credit="Photo: R. Amari / Agency")
        ImageFactory(caption="Cranes.", credit="Photo: J. Lin / Wire")

        [result] = self.results(editor_client, "top_image", "Amari")

        assert result["id"] == str(image.pk)
        assert "Photo: R. Amari / Agency" in result["text"]
        assert "A tanker at anchor." in result["text"]

    def test_section_finds_sections(self, editor_client):
        europe = SectionFactory(name="Europe")
        SectionFactory(name="Asia-Pacific")

        assert self.results(editor_client, "section", "Eur") == [
            {"id": str(europe.pk), "text": "Europe"}
        ]

    def test_anonymous_visitors_are_refused(self, client):
        Tag.objects.create(name="Taiwan Strait")
        response = client.get(
            AUTOCOMPLETE,
            {"app_label": "articles", "model_name": "article", "field_name": "topic", "term": "T"},
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


class TestViewOnSite:
    def test_link_leads_to_the_public_url(self, admin_client):
        article = ArticleFactory()
        link = soup_of(admin_client.get(change_url(article))).select_one("a.viewsitelink")

        response = admin_client.get(link["href"])

        assert response.status_code == 302
        # Without django.contrib.sites the shortcut view redirects to this host.
        assert response["Location"] == f"http://testserver{article.get_absolute_url()}"

    def test_draft_preview_is_for_staff_only_and_never_cached(self, editor_client):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="Not yet")
        link = soup_of(editor_client.get(change_url(draft))).select_one("a.viewsitelink")
        url = urlsplit(editor_client.get(link["href"])["Location"]).path
        assert url == draft.get_absolute_url()

        response = editor_client.get(url)

        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.find("h1").get_text(strip=True) == "Not yet"
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-cache", "no-store", "private"} <= cache_control
        assert Client().get(url).status_code == 404


class TestDonationAppealAdmin:
    def test_showing_now_is_true_only_inside_the_window(self, admin_client):
        # One active appeal at a time: the open-ended live case is in test_donation_appeals.py.
        now = timezone.now()
        DonationAppealFactory(
            title="Over", starts_at=now - timedelta(days=5), ends_at=now - timedelta(days=1)
        )
        DonationAppealFactory(
            title="Running", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1)
        )
        DonationAppealFactory(title="Coming", starts_at=now + timedelta(days=1), ends_at=None)
        DonationAppealFactory(title="Switched off", is_active=False)

        response = admin_client.get(reverse("admin:articles_donationappeal_changelist"))

        assert response.status_code == 200
        showing = {
            row["title"].get_text(strip=True): row["live_now"].img["alt"]
            for row in changelist_rows(response)
        }
        assert showing == {
            "Running": "True",
            "Coming": "False",
            "Over": "False",
            "Switched off": "False",
        }


class TestChangeForm:
    def test_related_inline_query_count_does_not_grow_with_picks(self, editor_client):
        def count(article):
            with CaptureQueriesContext(connection) as queries:
                assert editor_client.get(change_url(article)).status_code == 200
            return len(queries)

        one, four = ArticleFactory(), ArticleFactory()
        RelatedStory.objects.create(
            article=one, related=ArticleFactory(top_image=ImageFactory()), position=0
        )
        for position in range(4):
            RelatedStory.objects.create(
                article=four, related=ArticleFactory(top_image=ImageFactory()), position=position
            )
        editor_client.get(change_url(one))
        # Django's autocomplete widget looks up each row's chosen article (two queries a
        # row, its own cost); the teaser photo column must add nothing on top of that.
        assert count(four) - count(one) == 2 * 3

    def test_image_card_gives_the_picked_photo_and_its_credit(self, editor_client):
        image = ImageFactory(caption="Cranes.", credit="Photo: J. Lin / Wire")
        url = reverse("admin:articles_image_card", kwargs={"pk": image.pk})

        card = editor_client.get(url).json()

        assert card == {
            "thumbnail": image.display_file.url,
            "alt_text": image.alt_text,
            "caption": "Cranes.",
            "credit": "Photo: J. Lin / Wire",
        }
        assert editor_client.get(url.replace(f"/{image.pk}/", "/999999/")).status_code == 404
        assert Client().get(url).status_code == 302  # to the login page

    def test_change_form_shows_the_top_image_and_its_credit(self, editor_client):
        article = ArticleFactory(top_image=ImageFactory(credit="Photo: R. Amari / Agency"))
        card = soup_of(editor_client.get(change_url(article))).select_one(".rs-image-card")
        assert card.img["src"] == article.top_image.display_file.url
        assert "Credit: Photo: R. Amari / Agency" in card.get_text()


class TestSectionAdmin:
    def test_reserved_slug_is_refused(self, admin_client):
        url = reverse("admin:articles_section_add")
        response = admin_client.post(url, {"name": "Admin", "slug": "admin", "position": "0"})

        assert response.status_code == 200
        assert field_errors(response, "slug") == [
            "“admin” is used by the site itself; choose another slug."
        ]
        assert not Section.objects.exists()

    def test_ordinary_slug_is_accepted(self, admin_client):
        url = reverse("admin:articles_section_add")
        response = admin_client.post(url, {"name": "Europe", "slug": "europe", "position": "3"})

        assert response.status_code == 302
        assert Section.objects.get().slug == "europe"
