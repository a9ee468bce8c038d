import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles import demo_content
from articles.demo_images import draw_picture
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

# Demo logins, one per newsroom role.
DEMO_ACCOUNTS = {"editor": "Editors", "writer": "Writers"}
DEMO_SUBSCRIBERS = 40


class Command(BaseCommand):
    help = (
        "Load the demo magazine: sections, authors, illustrated articles, related picks, a "
        "running donation appeal and an `editor` account. Safe to run again: nothing is "
        "duplicated and nothing an editor changed is overwritten."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            sections = self.load_sections()
            authors = self.load_authors()
            created = self.load_articles(sections, authors)
            self.load_appeal()
            newsletter = self.load_newsletter()
            passwords = {
                username: self.load_account(username, group)
                for username, group in DEMO_ACCOUNTS.items()
            }
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(sections)} sections, {len(authors)} authors, "
                f"{Article.objects.count()} articles ({created} new)."
            )
        )
        self.stdout.write(
            f"Newsletter “{newsletter.name}”: {newsletter.issues.count()} issue(s), "
            f"{newsletter.subscriptions.confirmed().count()} confirmed demo subscribers. "
            f"Try: manage.py export_issue {newsletter.slug} 1 --format html -o issue.html"
        )
        for username, password in passwords.items():
            role = DEMO_ACCOUNTS[username]
            if password:
                self.stdout.write(
                    self.style.WARNING(
                        f"{username.capitalize()} account ({role}) created. Log in at /admin/ "
                        f"as “{username}” with password: {password}"
                    )
                )
            else:
                self.stdout.write(
                    f"The “{username}” account already exists; its password is unchanged "
                    f"(reset it with `manage.py changepassword {username}`)."
                )

    def load_image(self, spec, name, square=False):
        image = Image.objects.filter(alt_text=spec["alt_text"], caption=spec["caption"]).first()
        if image:
            return image
        image = Image(
            alt_text=spec["alt_text"],
            caption=spec["caption"],
            credit=spec.get("credit", ""),
            no_credit_needed=spec.get("no_credit_needed", False),
        )
        palette = spec.get("palette") or [spec.get("color", "#8895a7"), "#2b3440"]
        picture = draw_picture(palette, spec.get("motif", "portrait"), seed=name, square=square)
        image.file.save(f"{name}.jpg", ContentFile(picture), save=False)
        image.full_clean()
        image.save()
        make_renditions_later(image)
        return image

    def load_sections(self):
        sections = {}
        for spec in demo_content.SECTIONS:
            section, _ = Section.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "description": spec["description"],
                    "position": spec["position"],
                },
            )
            sections[section.slug] = section
        return sections

    def load_authors(self):
        authors = {}
        for spec in demo_content.AUTHORS:
            author = Author.objects.filter(slug=spec["slug"]).first()
            if author is None:
                photo = self.load_image(
                    {**spec["photo"], "motif": "portrait"}, f"author-{spec['slug']}", square=True
                )
                author = Author.objects.create(
                    name=spec["name"], slug=spec["slug"], bio=spec["bio"], photo=photo
                )
            authors[author.slug] = author
        return authors

    def load_articles(self, sections, authors):
        now = timezone.now()
        created = {}
        for spec in demo_content.ARTICLES:
            if Article.objects.filter(slug=spec["slug"]).exists():
                continue
            # "scheduled" is a published article whose time (a negative hours_ago) is ahead.
            status = Article.Status(
                spec.get("status", "published").replace("scheduled", "published")
            )
            moment = now - timedelta(hours=spec["hours_ago"])
            published_at = moment if status == Article.Status.PUBLISHED else None
            article = Article.objects.create(
                headline=spec["headline"],
                slug=spec["slug"],
                dek=spec["dek"],
                kind=spec["kind"],
                section=sections[spec["section"]],
                body=spec["body"],
                top_image=self.load_image(spec["image"], spec["slug"]),
                status=status,
                published_at=published_at,
                updated_at=moment,
            )
            if published_at is None:
                # Work in progress was started `hours_ago`: the dashboard's stale drafts show it.
                Article.objects.filter(pk=article.pk).update(created_at=moment)
            for correction in spec.get("corrections", []):
                # save() moves the article's modified date to the correction's.
                Correction.objects.create(
                    article=article,
                    note=correction["note"],
                    published_at=now - timedelta(hours=correction["hours_ago"]),
                )
            article.tags.add(*spec["tags"])
            article.topic = Tag.objects.get(slug=slugify(spec["topic"]))
            article.save(update_fields=["topic"])
            Byline.objects.bulk_create(
                Byline(article=article, author=authors[slug], position=position)
                for position, slug in enumerate(spec["authors"])
            )
            created[article.slug] = (article, spec.get("related", []))
        # Picks refer to other articles, so they are made once every article exists.
        for article, related_slugs in created.values():
            RelatedStory.objects.bulk_create(
                RelatedStory(article=article, related=related, position=position)
                for position, related in enumerate(
                    Article.objects.get(slug=slug) for slug in related_slugs
                )
            )
        return len(created)

    def load_appeal(self):
        spec = demo_content.DONATION_APPEAL
        now = timezone.now()
        starts_at, ends_at = now - timedelta(days=3), now + timedelta(days=45)
        if DonationAppeal.objects.filter(title=spec["title"]).exists():
            return
        # One appeal at a time: an editor's own campaign takes precedence over the demo's.
        DonationAppeal.objects.create(
            title=spec["title"],
            message=spec["message"],
            button_label=spec["button_label"],
            url=spec["url"],
            starts_at=starts_at,
            ends_at=ends_at,
            is_active=not DonationAppeal.objects.overlapping(starts_at, ends_at).exists(),
        )

    def load_newsletter(self):
        spec = demo_content.NEWSLETTER
        newsletter, _ = Newsletter.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "description": spec["description"]}
        )
        if not newsletter.issues.exists():
            issue = Issue.objects.create(
                newsletter=newsletter,
                number=1,
                subject=f"{newsletter.name} #1: ports, patrols and procurement",
                preheader="Six stories from the week, picked by our editors.",
                intro=(
                    "<p>This week our writers followed the shipping lanes, the money behind "
                    "Europe's ammunition drive and the quiet diplomacy of the Gulf.</p>"
                ),
            )
            stories = Article.objects.published().exclude(kind=Article.Kind.QIOSK)[:6]
            IssueItem.objects.bulk_create(
                IssueItem(issue=issue, article=article, position=position)
                for position, article in enumerate(stories)
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

    def load_account(self, username, group_name):
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
