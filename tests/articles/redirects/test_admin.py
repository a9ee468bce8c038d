"""Editors list, add, change and delete redirects in the admin; writers do not see them."""

import pytest

from articles.models import Redirect
from tests.articles.redirects.helpers import add_redirect, admin_url, field_errors, moved_to, table
from tests.factories import ArticleFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db


class TestAdmin:
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
        response = add_redirect(editor_client, "/2019/shipping.html", article.get_absolute_url())
        assert response.status_code == 302, soup_of(response).select(".errorlist")

        redirect = Redirect.objects.get()
        assert not redirect.is_automatic
        assert moved_to(client, "/2019/shipping.html") == article.get_absolute_url()

    def test_redirects_to_the_old_address_follow_the_new_one(self, editor_client, asia):
        Redirect.objects.create(old_path="/oldest/", new_path="/older/")
        response = add_redirect(editor_client, "/older/", "/asia-pacific/")
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

        response = add_redirect(editor_client, old_path, "/")
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

        response = add_redirect(editor_client, "/gone/", new_path)
        assert response.status_code == 200
        assert field_errors(response, "new_path") == [message]
        assert Redirect.objects.count() == 2

    @pytest.mark.parametrize(
        "new_path", ["/", "/asia-pacific/", "/media/reports/annual.pdf", "https://example.org/"]
    )
    def test_good_new_addresses(self, editor_client, asia, new_path):
        response = add_redirect(editor_client, "/old-page/", new_path)
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
