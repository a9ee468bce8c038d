import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter import tokens
from newsletter.models import Subscription
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    IssueItemFactory,
    NewsletterFactory,
    SubscriptionFactory,
    subscriptions_in_every_state,
)

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")


@pytest.fixture
def newsletter():
    return NewsletterFactory()


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks):
    """Post the site-wide signup block as a reader would, running the mail task."""

    def post(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP, {"email": email, "source": "/middle-east/oil/", **extra})

    return post


def soup_of(response):
    return BeautifulSoup(response.content.decode(response.charset or "utf-8"), "html.parser")


def link_in(message):
    return re.search(r"https?://\S+/newsletter/confirm/\S+/", message.body).group(0)


class TestSignup:
    def test_new_address_gets_a_confirmation_link_and_is_pending(
        self, newsletter, signup, mailoutbox, settings
    ):
        settings.SITE_URL = "https://review.example.org"
        response = signup("reader@example.org")
        assert response.status_code == 200
        assert soup_of(response).h1.get_text() == "Check your inbox"
        subscription = Subscription.objects.get()
        assert subscription.status == Subscription.Status.PENDING
        assert subscription.source_url == "/middle-east/oil/"
        assert subscription.confirmed_at is None
        [message] = mailoutbox
        assert message.to == ["reader@example.org"]
        assert message.subject == "Confirm your subscription to The Weekly Round-up"
        url = link_in(message)
        assert url.startswith("https://review.example.org/newsletter/confirm/")
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert BeautifulSoup(html, "html.parser").a["href"] == url

    def test_responses_are_identical_whatever_the_address_state(
        self, newsletter, signup, mailoutbox
    ):
        subscriptions_in_every_state(newsletter)
        responses = [
            signup(email)
            for email in (
                "new@example.org",
                "pending@example.org",
                "confirmed@example.org",
                "left@example.org",
            )
        ]
        responses.append(signup("bot@example.org", website="http://spam.example"))
        bodies = {response.content for response in responses}
        assert len(bodies) == 1
        assert {response.status_code for response in responses} == {200}
        assert all(not response.cookies for response in responses)
        # Mail goes only where a confirmation is still needed.
        assert sorted(m.to[0] for m in mailoutbox) == [
            "left@example.org",
            "new@example.org",
            "pending@example.org",
        ]

    def test_honeypot_stores_and_sends_nothing(self, newsletter, signup, mailoutbox):
        signup("bot@example.org", website="filled by a bot")
        assert not Subscription.objects.exists()
        assert mailoutbox == []

    def test_an_address_is_one_row_whatever_its_case(self, newsletter, signup):
        signup("Reader@Example.org")
        signup("reader@example.org")
        assert Subscription.objects.count() == 1

    def test_database_refuses_the_same_address_in_another_case(self, newsletter):
        SubscriptionFactory(newsletter=newsletter, email="a@example.org")
        with pytest.raises(IntegrityError), transaction.atomic():
            SubscriptionFactory(newsletter=newsletter, email="A@EXAMPLE.ORG")

    def test_same_address_may_join_two_newsletters(self, newsletter):
        other = NewsletterFactory(slug="middle-east-briefing", name="Middle East Briefing")
        SubscriptionFactory(newsletter=newsletter, email="a@example.org")
        SubscriptionFactory(newsletter=other, email="a@example.org")
        assert Subscription.objects.count() == 2

    @pytest.mark.parametrize(
        "email", ["not-an-address", "", "a@b", "x" * 250 + "@example.org", "a@ex\nample.org"]
    )
    def test_a_bad_address_is_a_clear_error(self, newsletter, signup, email):
        response = signup(email)
        assert response.status_code == 400
        assert soup_of(response).select_one(".error").get_text()
        assert not Subscription.objects.exists()

    def test_signup_names_a_newsletter_by_slug(self, newsletter, signup):
        other = NewsletterFactory(slug="middle-east-briefing", name="Middle East Briefing")
        signup("a@example.org", newsletter="middle-east-briefing")
        assert Subscription.objects.get().newsletter == other
        assert signup("a@example.org", newsletter="no-such-list").status_code == 404

    def test_needs_no_csrf_token_and_refuses_get(self, newsletter):
        client = Client(enforce_csrf_checks=True)
        assert client.post(SIGNUP, {"email": "a@example.org"}).status_code == 200
        assert client.get(SIGNUP).status_code == 405

    def test_rate_limit_stops_a_flood_from_one_client_but_not_others(self, newsletter, settings):
        settings.SIGNUP_RATE_LIMIT = 5
        flooder = Client(REMOTE_ADDR="203.0.113.9")
        codes = [
            flooder.post(SIGNUP, {"email": f"flood{n}@example.org"}).status_code for n in range(40)
        ]
        assert codes == [200] * 5 + [429] * 35
        assert Subscription.objects.count() == 5
        other = Client(REMOTE_ADDR="198.51.100.7")
        assert other.post(SIGNUP, {"email": "real@example.org"}).status_code == 200
        assert Subscription.objects.count() == 6

    def test_rate_limit_window_reopens(self, newsletter, settings, time_machine):
        settings.SIGNUP_RATE_LIMIT = 1
        time_machine.move_to(timezone.now())
        client = Client(REMOTE_ADDR="203.0.113.9")
        assert client.post(SIGNUP, {"email": "a@example.org"}).status_code == 200
        assert client.post(SIGNUP, {"email": "b@example.org"}).status_code == 429
        time_machine.shift(timedelta(seconds=settings.SIGNUP_RATE_WINDOW + 1))
        assert client.post(SIGNUP, {"email": "c@example.org"}).status_code == 200

    def test_behind_a_proxy_the_forwarded_client_is_counted(self, newsletter, settings):
        settings.SIGNUP_RATE_LIMIT = 1
        settings.TRUSTED_PROXIES = 1
        proxy = Client(REMOTE_ADDR="10.0.0.2")
        first = proxy.post(
            SIGNUP, {"email": "a@example.org"}, HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.1"
        )
        second = proxy.post(SIGNUP, {"email": "b@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
        third = proxy.post(
            SIGNUP, {"email": "c@example.org"}, HTTP_X_FORWARDED_FOR="other, 203.0.113.1"
        )
        assert [first.status_code, second.status_code, third.status_code] == [200, 200, 429]


class TestConfirm:
    def confirm_path(self, newsletter, email):
        return urlsplit(tokens.confirm_url(newsletter, email)).path

    def test_following_the_link_changes_nothing_until_the_button(
        self, newsletter, signup, mailoutbox
    ):
        signup("reader@example.org")
        path = urlsplit(link_in(mailoutbox[0])).path
        client = Client()
        page = client.get(path)
        assert page.status_code == 200
        form = soup_of(page).select_one("main form")
        assert form["method"] == "post"
        assert Subscription.objects.get().status == Subscription.Status.PENDING
        done = client.post(path)
        assert done.status_code == 200
        subscription = Subscription.objects.get()
        assert subscription.status == Subscription.Status.CONFIRMED
        assert subscription.confirmed_at is not None

    def test_an_expired_link_says_so(self, newsletter, signup, time_machine):
        time_machine.move_to(timezone.now())
        signup("reader@example.org")
        path = self.confirm_path(newsletter, "reader@example.org")
        time_machine.shift(tokens.CONFIRM_MAX_AGE + timedelta(minutes=1))
        response = Client().post(path)
        assert response.status_code == 400
        assert soup_of(response).h1.get_text() == "This link has expired"
        assert Subscription.objects.get().status == Subscription.Status.PENDING

    def test_a_tampered_link_is_refused(self, newsletter, signup):
        signup("reader@example.org")
        path = self.confirm_path(newsletter, "reader@example.org")
        response = Client().post(path.replace("/confirm/", "/confirm/x"))
        assert response.status_code == 400
        assert soup_of(response).h1.get_text() == "This link is not valid"

    def test_an_unsubscribe_token_cannot_confirm(self, newsletter, signup):
        signup("reader@example.org")
        token = tokens.unsubscribe_token(newsletter, "reader@example.org")
        response = Client().post(reverse("newsletter:confirm", args=[token]))
        assert response.status_code == 400
        assert Subscription.objects.get().status == Subscription.Status.PENDING


class TestUnsubscribe:
    @pytest.fixture
    def subscription(self, newsletter):
        return SubscriptionFactory(newsletter=newsletter, email="reader@example.org")

    def path(self, subscription):
        return urlsplit(tokens.unsubscribe_url(subscription.newsletter, subscription.email)).path

    def test_get_shows_a_confirm_page_and_changes_nothing(self, subscription):
        response = Client().get(self.path(subscription))
        assert response.status_code == 200
        assert soup_of(response).select_one("main form")["method"] == "post"
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.CONFIRMED

    def test_post_unsubscribes(self, subscription):
        response = Client(enforce_csrf_checks=True).post(self.path(subscription))
        assert response.status_code == 200
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.UNSUBSCRIBED
        assert subscription.unsubscribed_at is not None

    def test_one_click_post_without_cookies_unsubscribes(self, subscription):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            self.path(subscription),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.UNSUBSCRIBED

    def test_link_works_for_an_address_in_another_case(self, subscription):
        path = urlsplit(tokens.unsubscribe_url(subscription.newsletter, "READER@example.org")).path
        Client().post(path)
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.UNSUBSCRIBED

    def test_unknown_address_becomes_a_suppression_record(self, newsletter):
        path = urlsplit(tokens.unsubscribe_url(newsletter, "stranger@example.org")).path
        Client().post(path)
        record = Subscription.objects.get()
        assert (record.email, record.status) == ("stranger@example.org", "unsubscribed")

    def test_a_later_signup_must_confirm_again(self, subscription, signup, mailoutbox):
        Client().post(self.path(subscription))
        signup("reader@example.org")
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.UNSUBSCRIBED
        [message] = mailoutbox
        Client().post(urlsplit(link_in(message)).path)
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.CONFIRMED

    def test_a_tampered_link_is_refused(self, subscription):
        response = Client().post(self.path(subscription)[:-3] + "xx/")
        assert response.status_code == 400
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.CONFIRMED


class TestPublicPages:
    def test_newsletter_page_lists_sent_issues_only(self, client, newsletter):
        IssueFactory(newsletter=newsletter, number=1, status="sent", subject="First one")
        IssueFactory(newsletter=newsletter, number=2, subject="Still a draft")
        soup = soup_of(client.get(newsletter.get_absolute_url()))
        assert soup.h1.get_text() == "The Weekly Round-up"
        assert [a.get_text() for a in soup.select(".issue-list a")] == ["#1: First one"]
        assert soup.select_one(".signup input[name=newsletter]")["value"] == newsletter.slug

    def test_web_version_of_a_sent_issue(self, client, newsletter):
        issue = IssueFactory(newsletter=newsletter, status="sent")
        IssueItemFactory(issue=issue, article=ArticleFactory(headline="Shown"), blurb="Read it.")
        IssueItemFactory(issue=issue, article=ArticleFactory(headline="Gone", status="unpublished"))
        soup = soup_of(client.get(issue.get_absolute_url()))
        assert [h.get_text() for h in soup.select(".issue-item h2")] == ["Shown"]
        assert "Read it." in soup.select_one(".issue-item").get_text()

    def test_draft_issue_has_no_web_version_until_it_is_ready(self, client, newsletter):
        issue = IssueFactory(newsletter=newsletter)
        IssueItemFactory(issue=issue)
        assert client.get(issue.get_absolute_url()).status_code == 404
        issue.status = "ready"
        issue.save()
        assert client.get(issue.get_absolute_url()).status_code == 200


class TestUnsubscribeOutranksOlderLinks:
    """A confirmation link issued before an unsubscribe never subscribes anyone again."""

    def confirm_path(self, newsletter, email):
        return urlsplit(tokens.confirm_url(newsletter, email)).path

    def test_an_old_confirmation_link_cannot_undo_a_one_click_unsubscribe(
        self, newsletter, time_machine
    ):
        time_machine.move_to("2026-12-01 09:00:00+00:00")
        Client().post(SIGNUP, {"email": "reader@example.org"})
        old_link = self.confirm_path(newsletter, "reader@example.org")
        assert Client().post(old_link).status_code == 200
        time_machine.move_to("2026-12-02 09:00:00+00:00")
        unsubscribe = urlsplit(tokens.unsubscribe_url(newsletter, "reader@example.org")).path
        Client().post(unsubscribe, {"List-Unsubscribe": "One-Click"})

        response = Client().post(old_link)

        assert response.status_code == 400
        assert soup_of(response).h1.get_text() == "This link is older than your unsubscribe"
        assert Subscription.objects.get().status == Subscription.Status.UNSUBSCRIBED

    def test_a_link_sent_after_signing_up_again_works_and_the_old_one_still_does_not(
        self, newsletter, time_machine
    ):
        time_machine.move_to("2026-12-01 09:00:00+00:00")
        SubscriptionFactory(
            newsletter=newsletter,
            email="reader@example.org",
            status=Subscription.Status.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
        )
        # Issued in the same second as the unsubscribe, just before it: still outranked.
        stale = self.confirm_path(newsletter, "reader@example.org")
        Subscription.objects.update(unsubscribed_at=timezone.now() + timedelta(microseconds=1))
        assert Client().post(stale).status_code == 400

        time_machine.move_to("2026-12-03 09:00:00+00:00")
        fresh = self.confirm_path(newsletter, "reader@example.org")
        assert Client().post(fresh).status_code == 200
        assert Subscription.objects.get().status == Subscription.Status.CONFIRMED
        # Confirmed again; an old link changes nothing and tells nothing new.
        assert Client().post(stale).status_code == 200

    def test_the_database_refuses_an_unsubscribe_of_unknown_time(self, newsletter):
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscription.objects.create(
                newsletter=newsletter,
                email="reader@example.org",
                status=Subscription.Status.UNSUBSCRIBED,
            )
