import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from articles import demo_content
from articles.models import Article, Author, Byline, DonationAppeal, Image, RelatedStory, Section
from newsletter.models import Issue, IssueItem, Newsletter, Subscription

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


def test_editor_account_can_log_in_with_the_printed_password():
    output = run()
    password = re.search(r"with password: (\S+)", output).group(1)
    user = authenticate(username="editor", password=password)
    assert user is not None and user.is_staff and not user.is_superuser
    assert user.groups.filter(name="Editors").exists()
    assert user.has_perm("articles.change_article")
    assert user.has_perm("articles.add_image")


def test_running_twice_duplicates_nothing_and_keeps_the_password():
    first_output = run()
    before = counts()
    password_hash = get_user_model().objects.get(username="editor").password
    second_output = run()
    assert counts() == before
    assert get_user_model().objects.get(username="editor").password == password_hash
    assert "with password" in first_output and "with password" not in second_output


def test_does_not_overwrite_an_editors_changes():
    run()
    article = Article.objects.get(slug=demo_content.ARTICLES[0]["slug"])
    article.headline = "An editor rewrote this"
    article.save()
    run()
    article.refresh_from_db()
    assert article.headline == "An editor rewrote this"


def test_demo_text_is_varied_and_substantial():
    bodies = [spec["body"] for spec in demo_content.ARTICLES if spec["kind"] != "qiosk"]
    assert len(set(bodies)) == len(bodies)
    assert all(len(body) > 1500 for body in bodies)
