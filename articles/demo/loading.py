"""The demo magazine written into the database: only what is missing, so that running it again
duplicates nothing and overwrites nothing an editor changed."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.demo.images import draw_picture
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    DonationAppeal,
    Image,
    RelatedStory,
    Section,
)
from articles.tasks import make_renditions_later
from newsletter.models import Issue, IssueItem, Newsletter, Subscription
from rs_cms import pagecache

# Demo logins, one per role: the newsroom's two and the newsletter's.
DEMO_ACCOUNTS = {"editor": "Editors", "writer": "Writers", "newsletter": "Newsletter staff"}
DEMO_SUBSCRIBERS = 40


@dataclass
class Loaded:
    """What the magazine load left in place, for the command to report."""

    sections: dict
    authors: dict
    created: int
    newsletter: Newsletter
    # A new account's password, or None for an account that was there already.
    passwords: dict


def load_magazine(magazine):
    """Write what is missing of `magazine` (a content.Magazine), in one transaction."""
    with transaction.atomic(), pagecache.changes():
        sections = load_sections(magazine.sections)
        authors = load_authors(magazine.authors)
        created = load_articles(magazine.articles, sections, authors)
        load_appeal(magazine.appeal)
        newsletter = load_newsletter(magazine.newsletter, magazine.issue)
        passwords = {
            username: load_account(username, group) for username, group in DEMO_ACCOUNTS.items()
        }
        # Bulk-created bylines and picks send no signals: a running site's cached pages
        # must not outlive the load.
        pagecache.content_changed()
    return Loaded(sections, authors, created, newsletter, passwords)


def load_image(spec, name, square=False):
    image = Image.objects.filter(alt_text=spec.alt_text, caption=spec.caption).first()
    if image:
        return image
    image = Image(
        alt_text=spec.alt_text,
        caption=spec.caption,
        credit=spec.credit,
        no_credit_needed=spec.no_credit_needed,
    )
    picture = draw_picture(spec.palette, spec.motif, seed=name, square=square)
    image.file.save(f"{name}.jpg", ContentFile(picture), save=False)
    image.full_clean()
    image.save()
    make_renditions_later(image)
    return image


def load_sections(specs):
    sections = {}
    for spec in specs:
        section, _ = Section.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "position": spec.position,
            },
        )
        sections[section.slug] = section
    return sections


def load_authors(specs):
    authors = {}
    for spec in specs:
        author = Author.objects.filter(slug=spec.slug).first()
        if author is None:
            photo = load_image(spec.photo, f"author-{spec.slug}", square=True)
            author = Author.objects.create(
                name=spec.name, slug=spec.slug, bio=spec.bio, photo=photo
            )
        authors[author.slug] = author
    return authors


def load_articles(specs, sections, authors):
    """The articles not there yet, with their bylines, tags, corrections and picks."""
    now = timezone.now()
    created = {}
    for spec in specs:
        if Article.objects.filter(slug=spec.slug).exists():
            continue
        # "scheduled" is a published article whose time (a negative hours_ago) is ahead.
        status = Article.Status(spec.status.replace("scheduled", "published"))
        moment = now - timedelta(hours=spec.hours_ago)
        published_at = moment if status == Article.Status.PUBLISHED else None
        article = Article.objects.create(
            headline=spec.headline,
            slug=spec.slug,
            dek=spec.dek,
            kind=spec.kind,
            section=sections[spec.section],
            body=spec.body,
            top_image=load_image(spec.image, spec.slug),
            status=status,
            published_at=published_at,
            updated_at=moment,
        )
        if published_at is None:
            # Work in progress was started `hours_ago`: the dashboard's stale drafts show it.
            Article.objects.filter(pk=article.pk).update(created_at=moment)
        for correction in spec.corrections:
            # save() moves the article's modified date to the correction's.
            Correction.objects.create(
                article=article,
                note=correction.note,
                published_at=now - timedelta(hours=correction.hours_ago),
            )
        article.tags.add(*spec.tags)
        article.topic = Tag.objects.get(slug=slugify(spec.topic))
        article.save(update_fields=["topic"])
        Byline.objects.bulk_create(
            Byline(article=article, author=authors[slug], position=position)
            for position, slug in enumerate(spec.authors)
        )
        created[article.slug] = (article, spec.related)
    # Picks refer to other articles, so they are made once every article exists.
    for article, related_slugs in created.values():
        RelatedStory.objects.bulk_create(
            RelatedStory(article=article, related=related, position=position)
            for position, related in enumerate(
                Article.objects.get(slug=slug) for slug in related_slugs
            )
        )
    return len(created)


def load_appeal(spec):
    now = timezone.now()
    starts_at = now - timedelta(days=spec.starts_days_ago)
    ends_at = now + timedelta(days=spec.ends_days_from_now)
    if DonationAppeal.objects.filter(title=spec.title).exists():
        return
    # One appeal at a time: an editor's own campaign takes precedence over the demo's.
    DonationAppeal.objects.create(
        title=spec.title,
        message=spec.message,
        button_label=spec.button_label,
        url=spec.url,
        starts_at=starts_at,
        ends_at=ends_at,
        is_active=not DonationAppeal.objects.overlapping(starts_at, ends_at).exists(),
    )


def load_newsletter(spec, issue_spec):
    newsletter, _ = Newsletter.objects.get_or_create(
        slug=spec.slug, defaults={"name": spec.name, "description": spec.description}
    )
    if not newsletter.issues.exists():
        issue = Issue.objects.create(
            newsletter=newsletter,
            number=issue_spec.number,
            subject=issue_spec.subject.format(newsletter=newsletter.name, number=issue_spec.number),
            preheader=issue_spec.preheader,
            intro=issue_spec.intro,
        )
        stories = Article.objects.published().exclude(kind=Article.Kind.QIOSK)
        IssueItem.objects.bulk_create(
            IssueItem(issue=issue, article=article, position=position)
            for position, article in enumerate(stories[: issue_spec.stories])
        )
    if not newsletter.subscriptions.exists():
        # Readers who joined over the last three months, so the weekly chart has a shape.
        now = timezone.now()
        Subscription.objects.bulk_create(
            Subscription(
                newsletter=newsletter,
                email=f"reader{n}@example.org",
                status=Subscription.Status.CONFIRMED,
                source_url="/",
                created_at=now - timedelta(days=90 - n * 2, hours=1),
                confirmed_at=now - timedelta(days=90 - n * 2),
            )
            for n in range(DEMO_SUBSCRIBERS)
        )
    return newsletter


def load_account(username, group_name):
    """A new staff login in `group_name` and its password, or None if `username` exists."""
    # The roles come from the articles app's migration.
    group = Group.objects.get(name=group_name)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        return None
    password = secrets.token_urlsafe(12)
    user = user_model.objects.create_user(
        username, email=f"{username}@example.org", password=password, is_staff=True
    )
    user.groups.add(group)
    return password
