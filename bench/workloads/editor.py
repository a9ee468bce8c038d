"""The workload's editor, a process of its own with the site's settings: every few seconds it
changes the dek of a published story, now and then it publishes a new one.

    python -m bench.workloads.editor --save-every 30 --publish-every 300 --seed 1

Run from the repository with the server's environment (DATABASE_URL, CACHE_URL,
PAGE_CACHE_TAGS). It prints one JSON line per thing done, and runs until it is stopped."""

import argparse
import json
import random
import re
import secrets
import time

# How many of the newest stories count as recent: half the saves go to one of them.
RECENT = 200
UPDATE_MARK = re.compile(r" \(update \d+\)$")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--save-every", type=float, default=30)
    parser.add_argument("--publish-every", type=float, default=300)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


class Editor:
    """The newsroom's side of the workload, through articles.services as the admin's is."""

    def __init__(self, seed):
        from articles.models import Article, Section

        self.random = random.Random(seed)
        published = Article.objects.published().order_by("-published_at", "-pk")
        self.ids = list(published.values_list("pk", flat=True))
        self.recent = self.ids[:RECENT]
        self.sections = list(Section.objects.order_by("pk"))
        self.saves = 0
        self.publishes = 0

    def save_one(self):
        """Change the dek of a recent story or, as often, of any story, and save it."""
        from articles.models import Article
        from articles.services import save_article

        chosen = self.recent if self.random.random() < 0.5 else self.ids
        article = Article.objects.get(pk=self.random.choice(chosen))
        self.saves += 1
        stem = UPDATE_MARK.sub("", article.dek)
        suffix = f" (update {self.saves})"
        article.dek = stem[: 300 - len(suffix)] + suffix
        save_article(article, comment="Saved by the workload benchmark's editor.")
        return article

    def publish_one(self):
        """A new story in a random section, with a topic, copied from a published one."""
        from django.utils.text import slugify

        from articles.models import Article, Byline
        from articles.services import publish_now, save_article

        source = (
            Article.objects.published()
            .filter(
                topic__isnull=False, pk__in=self.random.sample(self.ids, min(50, len(self.ids)))
            )
            .prefetch_related("tags", "bylines")
            .first()
        )
        if source is None:
            return None
        self.publishes += 1
        headline = f"{source.headline} (follow-up {self.publishes})"[:200]
        article = Article(
            headline=headline,
            slug=f"{slugify(headline)[:180]}-{secrets.token_hex(4)}",
            dek=source.dek,
            kind=source.kind,
            section=self.random.choice(self.sections),
            topic=source.topic,
            body=source.body,
            top_image=source.top_image,
            teaser=source.teaser,
        )

        def save_parts():
            article.tags.set(source.tags.all())
            Byline.objects.bulk_create(
                Byline(article=article, author_id=byline.author_id, position=byline.position)
                for byline in source.bylines.all()
            )

        save_article(article, save_parts=save_parts, comment="Written by the workload's editor.")
        publish_now(
            Article.objects.filter(pk=article.pk),
            None,
            comment="Published by the workload benchmark's editor.",
        )
        self.recent = [article.pk, *self.recent[: RECENT - 1]]
        self.ids.append(article.pk)
        return article

    def work(self, save_every, publish_every):
        """Save and publish on time until stopped, one line per thing done."""
        started = time.monotonic()
        # The first story halfway through the first interval: a phase as long as one sees one.
        next_save, next_publish = started + save_every, started + publish_every / 2
        while True:
            time.sleep(max(0.0, min(next_save, next_publish) - time.monotonic()))
            now = time.monotonic()
            if now >= next_publish:
                next_publish += publish_every
                self.report("publish", self.publish_one, now)
            if now >= next_save:
                next_save += save_every
                self.report("save", self.save_one, now)

    def report(self, action, do, started):
        article = do()
        print(
            json.dumps(
                {
                    "action": action,
                    "at": time.time(),
                    "article": article.pk if article else None,
                    "ms": round((time.monotonic() - started) * 1000, 1),
                }
            ),
            flush=True,
        )


def main(argv=None):
    args = parse_args(argv)
    import django

    django.setup()
    print(json.dumps({"action": "ready", "at": time.time()}), flush=True)
    Editor(args.seed).work(args.save_every, args.publish_every)


def count_actions(log_text, start, end):
    """Saves and publishes an editor's log records between the wall-clock times `start`, `end`."""
    counts = {"save": 0, "publish": 0}
    for line in log_text.splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        if entry["action"] in counts and start <= entry["at"] <= end:
            counts[entry["action"]] += 1
    return counts


if __name__ == "__main__":
    main()
