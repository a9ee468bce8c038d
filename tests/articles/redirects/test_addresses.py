"""Addresses as browsers send them: percent-encoded or not, one redirect each."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from articles.models import Redirect
from tests.articles.redirects.helpers import add_redirect, admin_url, field_errors, moved_to, table
from tests.forms import soup_of

pytestmark = pytest.mark.django_db


class TestAddressesAsBrowsersSendThem:
    """An address is stored in one form, whatever way it was typed: what the address bar shows
    (percent-encoded, in capitals or not) and the characters themselves are the same address."""

    ARABIC = "/archiv/عربي/"
    ENCODED = "/archiv/%D8%B9%D8%B1%D8%A8%D9%8A/"

    def test_a_redirect_typed_percent_encoded_fires(self, editor_client, client, asia):
        response = add_redirect(editor_client, self.ENCODED, "/asia-pacific/")
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

        response = add_redirect(editor_client, typed, "/")
        assert field_errors(response, "old_path") == [
            "This address already redirects: change that redirect in the list."
        ]
        assert table() == {self.ARABIC: "/asia-pacific/"}

    def test_a_target_typed_percent_encoded_is_followed_to_a_loop(self, editor_client, asia):
        Redirect.objects.create(old_path="/b/", new_path=self.ARABIC)

        response = add_redirect(editor_client, self.ENCODED, "/b/")
        assert field_errors(response, "new_path") == [
            f"That would make a loop: “/b/” already redirects back to “{self.ARABIC}”."
        ]

    def test_a_target_typed_percent_encoded_is_followed_to_a_chain(self, editor_client, asia):
        Redirect.objects.create(old_path=self.ARABIC, new_path="/asia-pacific/")

        response = add_redirect(editor_client, "/older/", self.ENCODED)
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

        response = add_redirect(editor_client, "/gone/", typed_target)
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
