"""The CDN in front: every stored page names its tags in Cache-Tag and Surrogate-Key, and a
change asks the CDN (here a fake one on a local port, never a real CDN) to purge exactly the
tags it touched, through the task queue."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from articles import services
from articles.models import Article
from rs_cms.environment import cdn_purge_from_env
from rs_cms.pagecache import cdn

pytestmark = pytest.mark.django_db


class FakeCdn(BaseHTTPRequestHandler):
    """Records each request; answers 200, or what `status` says."""

    received = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append((self.path, dict(self.headers), body))
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b'{"success": true}')

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_cdn():
    FakeCdn.received, FakeCdn.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), FakeCdn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def names(header):
    return set(header.replace(",", " ").split())


def test_an_article_page_names_what_it_shows(reader, newsroom):
    response = reader.get(newsroom.story.get_absolute_url())
    shown = names(response["Cache-Tag"])

    story = newsroom.story
    assert {f"article:{story.pk}", f"image:{story.top_image_id}"} <= shown
    assert {f"author:{newsroom.author.pk}", f"tag:{story.topic_id}", "lists", "sections"} <= shown
    assert "site" not in shown
    assert names(response["Surrogate-Key"]) == shown
    assert " " not in response["Cache-Tag"] and "," not in response["Surrogate-Key"]
    # A hit says the same.
    again = reader.get(story.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert names(again["Cache-Tag"]) == shown


def test_a_page_that_follows_the_generation_is_tagged_site(reader, newsroom):
    response = reader.get(reverse("sitemap-index"))
    assert response["Cache-Tag"] == "site"
    assert response["Surrogate-Key"] == "site"


def test_tags_that_would_not_fit_fall_back_to_site():
    many = [(f"article:{number}", 1) for number in range(2000)]
    assert cdn.header_tags(many) == ["site"]
    assert cdn.header_tags([("article:1", 1)]) == ["article:1"]


@pytest.mark.parametrize(
    ("config", "path", "sent_tags"),
    [
        (
            {"provider": "cloudflare", "zone": "z1", "token": "cf-token"},
            "/zones/z1/purge_cache",
            lambda headers, body: json.loads(body)["tags"],
        ),
        (
            {"provider": "fastly", "service": "s1", "token": "fastly-key"},
            "/service/s1/purge",
            lambda headers, body: headers["Surrogate-Key"].split(),
        ),
        (
            {"provider": "url", "url": "{base}/purge?tags={tags}", "token": "own-token"},
            "/purge?tags=article:7,site",
            lambda headers, body: json.loads(body)["tags"],
        ),
    ],
    ids=["cloudflare", "fastly", "url"],
)
def test_the_purge_asks_the_cdn_for_exactly_the_tags(settings, fake_cdn, config, path, sent_tags):
    if "url" in config:
        config = {**config, "url": config["url"].replace("{base}", fake_cdn)}
    else:
        config = {**config, "api_url": fake_cdn}
    settings.CDN_PURGE = config

    assert cdn.purge.call(["article:7", "site"]) == 1

    [(got_path, headers, body)] = FakeCdn.received
    assert got_path == path
    assert sorted(sent_tags(headers, body)) == ["article:7", "site"]
    token = config["token"]
    assert token in (headers.get("Authorization", "") + headers.get("Fastly-Key", ""))


def test_many_tags_go_in_batches_the_cdn_accepts(settings, fake_cdn):
    settings.CDN_PURGE = {"provider": "cloudflare", "zone": "z1", "api_url": fake_cdn}
    tags = [f"article:{number}" for number in range(65)]

    assert cdn.purge.call(tags) == 3

    sent = [json.loads(body)["tags"] for _, _, body in FakeCdn.received]
    assert [len(batch) for batch in sent] == [30, 30, 5]
    assert sorted(tag for batch in sent for tag in batch) == sorted(tags)


def test_a_refused_purge_fails_the_task_so_staff_see_it(settings, fake_cdn):
    settings.CDN_PURGE = {"provider": "fastly", "service": "s1", "api_url": fake_cdn}
    FakeCdn.status = 403
    with pytest.raises(OSError):
        cdn.purge.call(["site"])


def purged(received):
    return [json.loads(body)["tags"] for _, _, body in received]


def test_a_change_asks_the_cdn_to_purge_the_tags_it_touched(
    settings, fake_cdn, newsroom, django_capture_on_commit_callbacks
):
    # The tests' task backend runs a task as it is queued: the purge reaches the fake CDN.
    settings.CDN_PURGE = {"provider": "cloudflare", "zone": "z1", "api_url": fake_cdn}
    story = Article.objects.get(pk=newsroom.story.pk)
    story.dek = "A new standfirst."

    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(story)

    assert purged(FakeCdn.received) == [[f"article:{story.pk}", "site"]]


def test_nothing_is_purged_without_a_cdn(fake_cdn, newsroom, django_capture_on_commit_callbacks):
    story = Article.objects.get(pk=newsroom.story.pk)
    story.dek = "A new standfirst."
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(story)
    assert FakeCdn.received == []


def test_the_cdn_is_configured_from_the_environment():
    assert cdn_purge_from_env({}) is None
    assert cdn_purge_from_env(
        {"CDN_PURGE_PROVIDER": "cloudflare", "CDN_PURGE_ZONE": "z1", "CDN_PURGE_TOKEN": "t"}
    ) == {"provider": "cloudflare", "zone": "z1", "token": "t"}
    with pytest.raises(ImproperlyConfigured, match="needs CDN_PURGE_SERVICE"):
        cdn_purge_from_env({"CDN_PURGE_PROVIDER": "fastly"})
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        cdn_purge_from_env({"CDN_PURGE_PROVIDER": "akamai"})
