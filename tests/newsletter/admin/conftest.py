import pytest
from django.contrib.auth.models import Group

from newsletter.models import IssueItem
from tests.factories import ArticleFactory, ImageFactory, IssueFactory, NewsletterFactory
from tests.newsletter.admin.helpers import STAFF_GROUP


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://review.example.org"


@pytest.fixture
def newsletter():
    return NewsletterFactory()


@pytest.fixture
def staff(django_user_model):
    """Someone in the "Newsletter staff" group the migration creates, and nothing more."""
    user = django_user_model.objects.create_user(
        username="nadia", email="nadia@example.org", is_staff=True
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def ready_issue(newsletter):
    """An issue of two published articles, with top photos."""
    issue = IssueFactory(newsletter=newsletter, number=7, subject="Ports, pipelines and power")
    for position, headline in enumerate(["Shipping lanes under strain", "The pipeline politics"]):
        article = ArticleFactory(headline=headline, top_image=ImageFactory())
        IssueItem.objects.create(issue=issue, article=article, position=position)
    return issue
