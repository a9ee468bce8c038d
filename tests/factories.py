import io
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, Author, Byline, DonationAppeal, Image, RelatedStory, Section
from newsletter.models import Issue, IssueItem, Newsletter, Subscription


def jpeg_bytes(width=32, height=18, colour=(90, 110, 140)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image
        skip_postgeneration_save = True

    file = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    alt_text = factory.Sequence(lambda n: f"A harbour crane at dusk, number {n}")
    caption = "Cranes over the container terminal."
    credit = factory.Sequence(lambda n: f"Photo: Photographer {n} / Test Agency")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    dek = "A sentence that says why this matters."
    kind = Article.Kind.ANALYSIS
    section = factory.SubFactory(SectionFactory)
    body = "<p>First paragraph of the story.</p><p>Second paragraph, with more detail.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, author in enumerate(extracted):
                Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class RelatedStoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedStory
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    related = factory.SubFactory(ArticleFactory)


class DonationAppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonationAppeal
        skip_postgeneration_save = True

    title = "Keep us independent"
    message = "<p>We are funded by readers like you.</p>"
    button_label = "Give now"
    url = "https://donate.example.org/"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Newsletter
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = "The Weekly Round-up"
    slug = "weekly-round-up"
    description = "The week's best, every Friday."


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    newsletter = factory.SubFactory(NewsletterFactory)
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = Subscription.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
    unsubscribed_at = factory.LazyAttribute(
        lambda subscription: (
            timezone.now() if subscription.status == Subscription.Status.UNSUBSCRIBED else None
        )
    )
    source_url = "/"


def subscriptions_in_every_state(newsletter):
    """confirmed@, pending@ and left@example.org (unsubscribed) on `newsletter`; new@ is not."""
    SubscriptionFactory(newsletter=newsletter, email="confirmed@example.org")
    SubscriptionFactory(
        newsletter=newsletter,
        email="pending@example.org",
        status=Subscription.Status.PENDING,
        confirmed_at=None,
    )
    SubscriptionFactory(
        newsletter=newsletter,
        email="left@example.org",
        status=Subscription.Status.UNSUBSCRIBED,
    )


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue
        skip_postgeneration_save = True

    newsletter = factory.SubFactory(NewsletterFactory)
    number = factory.Sequence(lambda n: n + 1)
    subject = factory.LazyAttribute(lambda issue: f"The Weekly Round-up #{issue.number}")
    preheader = "Five stories worth your Friday."


class IssueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueItem
        skip_postgeneration_save = True

    issue = factory.SubFactory(IssueFactory)
    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)
