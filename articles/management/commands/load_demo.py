import secrets
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles import demo_content, demo_scale
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
from rs_cms import pagecache

# Demo logins, one per role: the newsroom's two and the newsletter's.
DEMO_ACCOUNTS = {"editor": "Editors", "writer": "Writers", "newsletter": "Newsletter staff"}
DEMO_SUBSCRIBERS = 40
# Generated articles are written this many at a time, each batch in its own transaction.
BATCH_SIZE = 2000


class Command(BaseCommand):
    help = (
        "Load the demo magazine: sections, authors, illustrated articles, related picks, a "
        "running donation appeal and one login per role (editor, writer, newsletter). Safe to "
        "run again: nothing is duplicated and nothing an editor changed is overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            metavar="N",
            help=(
                "Then add generated articles until there are N in all (for trying the site at "
                "scale, e.g. 100000). Running again with the same N adds nothing."
            ),
        )

    def handle(self, *args, **options):
        if options["articles"] is not None and options["articles"] < 0:
            raise CommandError("--articles takes a number of articles, 0 or more.")
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
            # Bulk-created bylines and picks send no signals: a running site's cached pages
            # must not outlive the load.
            pagecache.content_changed()
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
                        f"{username.capitalize()} account ({role}) created. "
                        f"Log in at {reverse('admin:index')} "
                        f"as “{username}” with password: {password}"
                    )
                )
            else:
                self.stdout.write(
                    f"The “{username}” account already exists; its password is unchanged "
                    f"(reset it with `manage.py changepassword {username}`)."
                )
        if options["articles"]:
            self.load_generated(options["articles"], authors)

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

    def load_generated(self, total, authors):
        """Generated articles until there are `total`, written in bulk (no save(): what it would
        work out, the teaser and reading time, is set here)."""
        missing = total - Article.objects.count()
        if missing <= 0:
            self.stdout.write(f"There are {total} articles or more already: none generated.")
            return
        started = time.monotonic()
        writers = [*authors.values(), *self.load_generated_authors()]
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in demo_scale.all_tags()}
        sections = list(Section.objects.all())
        images = list(Image.objects.filter(top_of_articles__isnull=False).distinct())
        content_type = ContentType.objects.get_for_model(Article)
        number, made = Article.objects.count(), 0
        while made < missing:
            count = min(BATCH_SIZE, missing - made)
            stories = [demo_scale.story(n) for n in range(number, number + count)]
            number += count
            with transaction.atomic():
                made += self.write_batch(stories, sections, writers, tags, images, content_type)
            rate = made / (time.monotonic() - started)
            self.stdout.write(f"  {made} of {missing} generated articles ({rate:.0f} a second)")
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner and, outside a transaction, the visibility map
            # that lets counts read the indexes alone.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in (Article, Byline, TaggedItem, RelatedStory):
                    cursor.execute(f"{command} {model._meta.db_table}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made} articles in {time.monotonic() - started:.0f} s: "
                f"{Article.objects.count()} in all."
            )
        )

    def load_generated_authors(self):
        wanted = {slugify(name): name for name in demo_scale.author_names()}
        existing = set(Author.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        Author.objects.bulk_create(
            Author(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing
        )
        return list(Author.objects.filter(slug__in=wanted))

    def write_batch(self, stories, sections, writers, tags, images, content_type):
        """Write one batch of generated stories with their bylines, tags and a few picks."""
        now = timezone.now()
        articles = []
        for story in stories:
            article = self.generated_article(story, now)
            article.section = sections[story.number % len(sections)]
            article.top_image = images[story.number % len(images)] if images else None
            article.topic = tags[story.tags[0]]
            article.summarise(story.plain)
            articles.append(article)
        taken = set(
            Article.objects.filter(slug__in=[article.slug for article in articles]).values_list(
                "slug", flat=True
            )
        )
        pairs = [(a, s) for a, s in zip(articles, stories, strict=True) if a.slug not in taken]
        Article.objects.bulk_create([article for article, _ in pairs])
        Byline.objects.bulk_create(
            Byline(article=article, author=author, position=position)
            for article, story in pairs
            for position, author in enumerate(
                writers[(story.number * 7 + step * 31) % len(writers)]
                for step in range(story.author_count)
            )
        )
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=content_type, object_id=article.pk, tag=tags[name])
            for article, story in pairs
            for name in story.tags
        )
        # One story in ten has the editor's pick of an earlier one in the batch.
        RelatedStory.objects.bulk_create(
            RelatedStory(article=article, related=pairs[index - 1][0], position=0)
            for index, (article, story) in enumerate(pairs)
            if index and story.number % 10 == 0
        )
        return len(pairs)

    def generated_article(self, story, now):
        status, moment = story.status, now - timedelta(seconds=story.seconds_ago)
        if status == "scheduled":
            # Due some time in the next day: published, its time still ahead.
            status, moment = (
                Article.Status.PUBLISHED,
                now + timedelta(seconds=story.seconds_ago % 86400),
            )
        published_at = moment if status in ("published", "unpublished") else None
        return Article(
            headline=story.headline,
            slug=f"{slugify(story.headline)[:150]}-{story.number}",
            dek=story.dek,
            kind=story.kind,
            body=story.body,
            status=status,
            published_at=published_at,
            updated_at=moment + story.updated_after if story.updated_after else moment,
        )

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
