"""The public signup form under a flood: per client, per address, and behind proxies."""

import threading
import time

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from newsletter.models import Subscription
from rs_cms.ratelimit import hit
from tests.factories import NewsletterFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")
FLOODER = "203.0.113.66"
NEIGHBOUR = "198.51.100.20"


@pytest.fixture(autouse=True)
def newsletter():
    return NewsletterFactory()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Posts whose on-commit work (the confirmation mail) runs, as in production."""

    def post(client, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP, data, **extra)

    return post


def heading(response):
    return soup_of(response).h1.get_text(strip=True)


def test_a_2000_address_flood_from_one_client_creates_only_the_limit_while_another_gets_in(
    settings, run_on_commit, mailoutbox
):
    settings.SIGNUP_RATE_LIMIT = 5
    flooder = Client(REMOTE_ADDR=FLOODER)
    neighbour = Client(REMOTE_ADDR=NEIGHBOUR)
    flood_codes, neighbour_codes, refusals = [], [], set()
    for n in range(2000):
        if n % 400 == 200:
            # A real reader on another connection, in the middle of the flood.
            answer = run_on_commit(neighbour, {"email": f"reader{n}@example.org"})
            neighbour_codes.append(answer.status_code)
            assert heading(answer) == "Check your inbox"
        answer = run_on_commit(flooder, {"email": f"flood{n}@example.org"})
        flood_codes.append(answer.status_code)
        if answer.status_code == 429:
            refusals.add(heading(answer))

    assert flood_codes == [200] * 5 + [429] * 1995
    assert refusals == {"Too many signups"}
    assert neighbour_codes == [200] * 5
    emails = list(Subscription.objects.values_list("email", flat=True))
    assert len([email for email in emails if email.startswith("flood")]) == 5
    assert len([email for email in emails if email.startswith("reader")]) == 5
    assert len(mailoutbox) == 10


def test_a_spoofed_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.SIGNUP_RATE_LIMIT = 3
    settings.TRUSTED_PROXIES = 0
    client = Client(REMOTE_ADDR=FLOODER)
    codes = [
        client.post(
            SIGNUP, {"email": f"s{n}@example.org"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(10)
    ]
    assert codes == [200] * 3 + [429] * 7
    assert Subscription.objects.count() == 3


def test_behind_one_proxy_the_entry_it_appended_is_the_client(settings):
    settings.SIGNUP_RATE_LIMIT = 3
    settings.TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    # The flooder writes whatever it likes in front; the proxy appends the address it saw.
    codes = [
        proxy.post(
            SIGNUP,
            {"email": f"s{n}@example.org"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {FLOODER}",
        ).status_code
        for n in range(10)
    ]
    assert codes == [200] * 3 + [429] * 7
    other = proxy.post(SIGNUP, {"email": "real@example.org"}, HTTP_X_FORWARDED_FOR=NEIGHBOUR)
    assert other.status_code == 200
    assert Subscription.objects.count() == 4


def test_behind_two_proxies_the_second_entry_from_the_end_is_the_client(settings):
    settings.SIGNUP_RATE_LIMIT = 1
    settings.TRUSTED_PROXIES = 2
    proxy = Client(REMOTE_ADDR="10.0.0.3")
    first = proxy.post(
        SIGNUP, {"email": "a@example.org"}, HTTP_X_FORWARDED_FOR=f"spoof, {FLOODER}, 10.0.0.9"
    )
    second = proxy.post(
        SIGNUP, {"email": "b@example.org"}, HTTP_X_FORWARDED_FOR=f"other, {FLOODER}, 10.0.0.8"
    )
    third = proxy.post(
        SIGNUP, {"email": "c@example.org"}, HTTP_X_FORWARDED_FOR=f"{NEIGHBOUR}, 10.0.0.9"
    )
    assert [first.status_code, second.status_code, third.status_code] == [200, 429, 200]


def test_one_address_hammered_from_many_clients_gets_a_few_emails_and_one_row(
    settings, run_on_commit, mailoutbox
):
    settings.SIGNUP_RATE_LIMIT = 5
    settings.SIGNUP_MAILS_PER_ADDRESS = 3
    answers = []
    for n in range(200):
        client = Client(REMOTE_ADDR=f"192.0.2.{n % 250}")
        address = "Victim@Example.org" if n % 2 else "victim@example.org"
        answers.append(run_on_commit(client, {"email": address}))

    assert {answer.status_code for answer in answers} == {200}
    # The same page whether or not a mail went out: nothing tells the flooder it worked.
    assert len({answer.content for answer in answers}) == 1
    assert Subscription.objects.count() == 1
    assert len(mailoutbox) == 3
    assert {message.to[0].lower() for message in mailoutbox} == {"victim@example.org"}


def test_the_per_address_limit_holds_across_newsletters(settings, run_on_commit, mailoutbox):
    settings.SIGNUP_MAILS_PER_ADDRESS = 2
    NewsletterFactory(slug="briefing", name="The Briefing")
    for n, slug in enumerate(["weekly-round-up", "briefing"] * 3):
        run_on_commit(
            Client(REMOTE_ADDR=f"192.0.2.{n}"), {"email": "victim@example.org", "newsletter": slug}
        )
    assert Subscription.objects.count() == 2
    assert len(mailoutbox) == 2


def test_the_address_count_is_kept_under_a_digest_not_the_address(settings, run_on_commit):
    run_on_commit(Client(), {"email": "private.person@example.org"})
    keys = list(cache._cache)  # the local-memory cache the tests run on
    assert keys
    assert not [key for key in keys if "private.person" in key]


def test_the_window_counts_exactly_under_concurrent_hits():
    """add() opens the window once and incr() counts atomically: 60 threads racing for a
    limit of 10 get exactly 10 yeses."""
    limit, threads = 10, 60
    barrier = threading.Barrier(threads)
    answers = []

    def one_hit():
        barrier.wait()
        answers.append(hit("race", "198.51.100.1", limit, 600))

    workers = [threading.Thread(target=one_hit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert answers.count(True) == limit
    assert cache.get("ratelimit:race:198.51.100.1") == threads


def test_a_window_that_lost_its_expiry_still_closes(monkeypatch):
    """Redis' INCR on a key that expired a moment after add() makes a key with no expiry;
    the limiter puts the window's expiry back, or that client would be refused for good."""
    backend = caches["default"]

    def incr_after_expiry(key, delta=1):
        # What Redis does when the key expires between EXISTS and INCR.
        backend.set(key, delta, timeout=None)
        return delta

    monkeypatch.setattr(backend, "incr", incr_after_expiry)
    assert hit("lost", "198.51.100.2", 5, 600)
    expiry = backend._expire_info[backend.make_and_validate_key("ratelimit:lost:198.51.100.2")]
    assert expiry is not None
    assert expiry - time.time() == pytest.approx(600, abs=5)


def test_a_tampered_list_name_is_a_404_not_an_error_page(run_on_commit):
    answer = run_on_commit(Client(), {"email": "a@example.org", "newsletter": "../../etc"})
    assert answer.status_code == 404
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("source", "stored"),
    [
        ("/middle-east/oil/", "/middle-east/oil/"),
        ("/a/" + "x" * 2000, ("/a/" + "x" * 2000)[:500]),
        ('=HYPERLINK("https://evil.example")', ""),
        ("//evil.example/", ""),
        ("https://evil.example/", ""),
        ("/line\r\nbreak/", "/linebreak/"),
    ],
)
def test_the_source_page_is_kept_as_a_path_on_one_line_and_never_refuses_a_reader(
    run_on_commit, source, stored
):
    answer = run_on_commit(Client(), {"email": "a@example.org", "source": source})
    assert answer.status_code == 200
    assert Subscription.objects.get().source_url == stored
