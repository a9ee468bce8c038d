"""Related-story teasers: the editor's picks, then the newest public stories on the article's
topic, then in its section; the newest of each topic and section kept in the shared cache."""

import math

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from taggit.models import TaggedItem

from articles import cache_tags
from articles.chrome import site_chrome
from articles.models import Article, RelatedStory
from rs_cms import pagecache


def related_stories(article, limit=3, chrome=None):
    """Editor's picks in order, then the newest public stories on the same topic, then
    in the same section; never this article, an unpublished one, or one twice.

    The newest stories of each section and topic are the same for every article in it:
    they come from the shared cache (related_candidates), so a page asks the database
    only for its picks and the few stories it shows, in one query."""
    candidates = related_candidates(article, limit + 1, chrome or site_chrome())
    on_topic = candidates.get("topic", [])
    in_section = candidates.get("section", [])
    picks = RelatedStory.objects.filter(article=article)
    stories = (
        Article.objects.published()
        .exclude(pk=article.pk)
        # One IN over a UNION: an OR of two would have PostgreSQL read the whole table.
        .in_any(
            [
                picks.values("related_id"),
                Article.objects.filter(pk__in=on_topic + in_section).values("pk"),
            ]
        )
        .annotate(
            pick_position=Subquery(picks.filter(related=OuterRef("pk")).values("position")[:1])
        )
        .select_related("section", "top_image")
        .defer("body")
    )

    def place(story):
        if story.pick_position is not None:
            return (0, story.pick_position, 0)
        if story.pk in on_topic:
            return (1, on_topic.index(story.pk), 0)
        return (2, in_section.index(story.pk), 0)

    shown = sorted(stories, key=lambda story: (*place(story), story.pk))[:limit]
    # The lists they came from: the topic's always (a story joining it may push one out); the
    # section's when the picks and the topic left room for it.
    lists = {"topics": [article.topic_id]}
    if sum(place(story)[0] < 2 for story in shown) < limit:
        lists["sections"] = [article.section_id]
    pagecache.shows(*cache_tags.of_teasers(shown), *cache_tags.of_lists(**lists))
    return shown


RELATED_KEY = "articles:related:"


def related_candidates(article, count, chrome):
    """{"topic": ids, "section": ids}: the newest `count` public stories (QIOSK aside) on the
    article's topic (its primary tag, or tagged with it) and in its section, newest first.

    Kept in the shared cache with the site chrome's generation and expiry: any change readers
    could see, or a scheduled story going out, retires them, as it does the chrome."""
    wanted = {"section": f"{RELATED_KEY}section:{article.section_id}:{count}"}
    if article.topic_id:
        wanted["topic"] = f"{RELATED_KEY}topic:{article.topic_id}:{count}"
    found = cache.get_many(wanted.values())
    candidates, missing = {}, []
    for kind, key in wanted.items():
        entry = found.get(key)
        if entry is not None and entry[0] == chrome.generation:
            candidates[kind] = entry[1]
        else:
            missing.append(kind)
    if missing:
        loaded = load_related_candidates(article, count, missing)
        seconds = max(1, math.ceil((chrome.good_until - timezone.now()).total_seconds()))
        cache.set_many(
            {wanted[kind]: (chrome.generation, loaded[kind]) for kind in missing}, seconds
        )
        candidates |= loaded
    return candidates


def load_related_candidates(article, count, kinds):
    """The lists related_candidates() lacks, in one query: each part read from its own index."""
    fill = (
        Article.objects.published()
        .exclude(kind=Article.Kind.QIOSK)
        .order_by("-published_at", "-pk")
    )
    parts = {"section": [fill.filter(section_id=article.section_id)]}
    if article.topic_id:
        parts["topic"] = [fill.filter(topic_id=article.topic_id), fill.tagged(article.topic_id)]
    queries = [query.values("pk")[:count] for kind in kinds for query in parts[kind]]
    tagged = TaggedItem.objects.filter(
        tag_id=article.topic_id,
        content_type=Article.objects.content_type(),
        object_id=OuterRef("pk"),
    )
    rows = (
        Article.objects.in_any(queries)
        .annotate(on_topic=Q(topic_id=article.topic_id) | Q(Exists(tagged)))
        .order_by("-published_at", "-pk")
        .values_list("pk", "section_id", "on_topic")
    )
    lists = {"section": [], "topic": []}
    for pk, section_id, on_topic in rows:
        if section_id == article.section_id:
            lists["section"].append(pk)
        if on_topic and article.topic_id:
            lists["topic"].append(pk)
    return {kind: lists[kind][:count] for kind in kinds}
