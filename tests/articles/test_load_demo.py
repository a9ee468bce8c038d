import email
import email.policy
import json
import re
import shutil
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from articles.demo import content
from articles.models import Article, Author, Byline, DonationAppeal, Image, RelatedStory, Section
from newsletter.models import Issue, IssueItem, Newsletter, Subscription
from tests.factories import DonationAppealFactory

pytestmark = pytest.mark.django_db

MODELS = [
    Section,
    Author,
    Image,
    Article,
    Byline,
    RelatedStory,
    DonationAppeal,
    Newsletter,
    Issue,
    IssueItem,
    Subscription,
]


def run():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loads_a_whole_magazine():
    output = run()
    assert set(Section.objects.values_list("name", flat=True)) >= {
        "Asia-Pacific",
        "Middle East",
        "Military Industrial Complex",
    }
    assert Author.objects.count() >= 4
    assert Article.objects.published().count() >= 15
    kinds = set(Article.objects.published().values_list("kind", flat=True))
    assert kinds == set(Article.Kind.values)
    assert RelatedStory.objects.exists()
    assert DonationAppeal.objects.current().exists()
    for image in Image.objects.all():
        assert image.alt_text and image.caption
        assert image.credit or image.no_credit_needed
        assert image.width and image.height
    assert Article.objects.filter(top_image__isnull=True).count() == 0
    assert Article.objects.exclude(topic__isnull=True).count() == Article.objects.count()
    assert "editor" in output
    newsletter = Newsletter.objects.get(slug="weekly-round-up")
    issue = newsletter.issues.get(number=1)
    items = list(issue.ordered_items())
    assert len(items) == 6
    assert all(item.article.is_public for item in items)
    assert newsletter.subscriptions.confirmed().count() == 40


def test_each_demo_account_logs_in_with_its_printed_password():
    output = run()
    passwords = dict(re.findall(r"as “(\w+)” with password: (\S+)", output))
    assert set(passwords) == {"editor", "writer", "newsletter"}
    # With the request, as the login form calls it: django-axes refuses a login without one.
    login = RequestFactory().post("/")
    editor = authenticate(login, username="editor", password=passwords["editor"])
    assert editor is not None and editor.is_staff and not editor.is_superuser
    assert editor.groups.filter(name="Editors").exists()
    assert editor.has_perm("articles.publish_article")
    assert editor.has_perm("articles.add_image")
    writer = authenticate(login, username="writer", password=passwords["writer"])
    assert writer is not None and writer.groups.filter(name="Writers").exists()
    assert writer.has_perm("articles.add_article")
    assert not writer.has_perm("articles.publish_article")
    staff = authenticate(login, username="newsletter", password=passwords["newsletter"])
    assert staff is not None and staff.is_staff and not staff.is_superuser
    assert staff.groups.filter(name="Newsletter staff").exists()
    assert staff.has_perm("newsletter.export_issue")
    assert staff.has_perm("newsletter.export_subscribers")
    assert not staff.has_perm("articles.change_article")


def test_running_twice_duplicates_nothing_and_keeps_the_password():
    first_output = run()
    before = counts()
    users = get_user_model().objects.filter(username__in=["editor", "writer", "newsletter"])
    password_hashes = dict(users.values_list("username", "password"))
    second_output = run()
    assert counts() == before
    assert dict(users.values_list("username", "password")) == password_hashes
    assert "with password" in first_output and "with password" not in second_output
    assert "reset it with `manage.py changepassword newsletter`" in second_output


def test_does_not_overwrite_an_editors_changes():
    run()
    article = Article.objects.get(slug=content.load().articles[0].slug)
    article.headline = "An editor rewrote this"
    article.save()
    run()
    article.refresh_from_db()
    assert article.headline == "An editor rewrote this"


def test_demo_text_is_varied_and_substantial():
    bodies = [spec.body for spec in content.load().articles if spec.kind != "qiosk"]
    assert len(set(bodies)) == len(bodies)
    assert all(len(body) > 1500 for body in bodies)


def test_a_malformed_entry_in_the_demo_data_is_named_in_the_error(tmp_path):
    shutil.copytree(content.CONTENT_DIR, tmp_path, dirs_exist_ok=True)
    articles = tmp_path / "articles.toml"
    data = articles.read_text(encoding="utf-8")
    malformed = re.sub(r"^hours_ago = .*$", 'hours_ago = "yesterday"', data, count=1, flags=re.M)
    articles.write_text(malformed, encoding="utf-8")
    first = content.load().articles[0].slug
    with pytest.raises(content.ContentError) as caught:
        content.load(tmp_path)
    assert str(caught.value) == (
        f"{articles}: article 1 ({first}): “hours_ago” should be a number, not 'yesterday'"
    )


def test_export_issue_writes_the_demo_issue_in_all_four_formats(tmp_path, settings):
    settings.SITE_URL = "https://review.example.org"
    run()
    written = {}
    for fmt in ("html", "text", "eml", "json"):
        target = tmp_path / f"issue.{fmt}"
        call_command(
            "export_issue",
            "weekly-round-up",
            "1",
            "--format",
            fmt,
            "--to",
            "proof@example.org",
            "-o",
            str(target),
            stdout=StringIO(),
            stderr=StringIO(),
        )
        written[fmt] = target.read_bytes()
    headlines = [item.article.headline for item in Issue.objects.get(number=1).ordered_items()]
    soup = BeautifulSoup(written["html"], "html.parser")
    assert set(headlines) <= {a.get_text(strip=True) for a in soup.select("a")}
    message = email.message_from_bytes(written["eml"], policy=email.policy.default)
    assert message["To"] == "proof@example.org"
    assert message.get_content_type() == "multipart/alternative"
    data = json.loads(written["json"])
    assert [item["headline"] for item in data["items"]] == headlines
    text = written["text"].decode()
    assert all(headline in text for headline in headlines)


def test_an_editors_running_appeal_is_left_showing():
    DonationAppealFactory(title="Spring drive", ends_at=None)
    run()
    assert [appeal.title for appeal in DonationAppeal.objects.current()] == ["Spring drive"]
    assert DonationAppeal.objects.count() == 2
