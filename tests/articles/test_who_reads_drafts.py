"""Who may read what in the newsroom (issue 13, defect 13).

Editors read everything; a writer their own articles and what readers see; newsletter staff
what is published or scheduled. Each boundary is tried for each role: the list, the change
form, the history, the comparison, share links and the autocomplete of a field that picks an
article."""

from datetime import timedelta

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory
from tests.forms import soup_of

pytestmark = pytest.mark.django_db

Status = Article.Status
ROLES = {"editor": "Editors", "writer": "Writers", "newsletter": "Newsletter staff"}
# Headline of each article → the roles that may read it.
READERS = {
    "Writer's own draft": {"editor", "writer"},
    "Writer's own story in review": {"editor", "writer"},
    "A colleague's draft": {"editor"},
    "A colleague's story in review": {"editor"},
    "Scheduled for tomorrow": {"editor", "newsletter"},
    "Published story": {"editor", "writer", "newsletter"},
    "Taken-down story": {"editor"},
}


@pytest.fixture
def people(make_staff):
    return {name: make_staff(name, role) for name, role in ROLES.items()} | {
        "colleague": make_staff("colleague", "Writers")
    }


@pytest.fixture
def articles(people):
    writer, colleague, editor = people["writer"], people["colleague"], people["editor"]
    now = timezone.now()
    unseen = {"status": Status.DRAFT, "published_at": None}
    in_review = {"status": Status.REVIEW, "published_at": None}
    made = {
        "Writer's own draft": {"created_by": writer, **unseen},
        "Writer's own story in review": {"created_by": writer, **in_review},
        "A colleague's draft": {"created_by": colleague, **unseen},
        "A colleague's story in review": {"created_by": colleague, **in_review},
        "Scheduled for tomorrow": {"created_by": editor, "published_at": now + timedelta(days=1)},
        "Published story": {"created_by": colleague},
        "Taken-down story": {"created_by": editor, "status": Status.UNPUBLISHED},
    }
    found = {}
    for headline, fields in made.items():
        with reversion.create_revision():
            found[headline] = ArticleFactory(headline=headline, **fields)
        with reversion.create_revision():
            found[headline].save()
    return found


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def readable_by(role):
    return {headline for headline, readers in READERS.items() if role in readers}


def url(name, article):
    return reverse(f"admin:articles_article_{name}", args=[article.pk])


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_each_role_only_what_it_may_read(people, articles, role):
    response = browser(people[role]).get(reverse("admin:articles_article_changelist"))

    assert response.status_code == 200
    listed = {cell.get_text(strip=True) for cell in soup_of(response).select(".field-headline")}
    assert listed == readable_by(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", ["change", "history", "compare"])
def test_each_article_page_opens_only_for_who_may_read_it(people, articles, role, view):
    client = browser(people[role])
    for headline, article in articles.items():
        response = client.get(url(view, article))
        shown = soup_of(response).get_text()
        if headline in readable_by(role):
            assert response.status_code == 200, (view, headline)
            assert headline in shown
        else:
            # The change form sends to the index (“perhaps it was deleted”); the others 404.
            assert response.status_code in {302, 404}, (view, headline)
            assert headline not in shown


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_preview_on_the_site_shows_only_what_the_role_may_read(people, articles, role):
    client = browser(people[role])
    for headline, article in articles.items():
        response = client.get(article.get_absolute_url())
        if headline in readable_by(role):
            assert response.status_code == 200, headline
            assert soup_of(response).h1.get_text(strip=True) == headline
        else:
            assert response.status_code == 404, headline


@pytest.mark.parametrize("role", ["writer", "newsletter"])
def test_a_compare_of_named_versions_is_refused_too(people, articles, role):
    draft = articles["A colleague's draft"]
    versions = list(reversion.models.Version.objects.get_for_object(draft))

    response = browser(people[role]).get(
        url("compare", draft), {"a": versions[1].pk, "b": versions[0].pk}
    )

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["writer", "newsletter"])
def test_no_share_link_for_an_article_the_role_may_not_read(people, articles, role):
    response = browser(people[role]).post(
        url("preview_link", articles["A colleague's draft"]), {"lifetime": "1"}
    )

    assert response.status_code == 404
    assert not articles["A colleague's draft"].preview_links.exists()


def autocomplete(client, app_label, model_name, field_name):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


@pytest.mark.parametrize("role", ["editor", "writer"])
def test_picking_a_related_story_lists_only_what_the_role_may_read(people, articles, role):
    listed = autocomplete(browser(people[role]), "articles", "relatedstory", "related")

    assert listed == readable_by(role)


def test_picking_a_story_for_a_newsletter_issue_lists_published_and_scheduled(people, articles):
    listed = autocomplete(browser(people["newsletter"]), "newsletter", "issueitem", "article")

    assert listed == readable_by("newsletter")


def test_a_writer_reads_a_draft_they_started_whoever_saved_it_last(people, articles):
    draft = articles["Writer's own draft"]
    draft.headline = "Writer's own draft, edited by the desk"
    draft.save()

    response = browser(people["writer"]).get(url("change", draft))

    assert response.status_code == 200
