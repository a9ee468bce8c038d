"""What each change touches, as the page cache's tags (rs_cms/pagecache/tags.py): an article's
page is kept until something it shows changes, not whenever anything does.

- `article:<pk>`: its text, bylines, picks, tags and corrections;
- `image:<pk>`, `author:<pk>`, `tag:<pk>`: a picture (credit, caption, renditions), a
  byline's name, a tag's name, wherever shown;
- `lists`: which articles the lists show (LATEST, QIOSK, a section's or topic's newest,
  related teasers): moved by publishing, unpublishing, scheduling, trashing and moves;
- `sections`: the navigation; `appeal`: the running donation appeal."""

LISTS = "lists"
SECTIONS = "sections"
APPEAL = "appeal"
# The fields that decide which lists show an article (by attribute name).
LISTING_FIELDS = ("status", "published_at", "deleted_at", "section_id", "kind", "topic_id")
LISTING_FIELD_NAMES = frozenset(LISTING_FIELDS) | {"section", "topic"}


def article(pk):
    return f"article:{pk}"


def image(pk):
    return f"image:{pk}"


def author(pk):
    return f"author:{pk}"


def tag(pk):
    return f"tag:{pk}"


def listing_state(instance):
    """The article's listing fields as they stand (deferred ones as None)."""
    return tuple(instance.__dict__.get(name) for name in LISTING_FIELDS)


def of_article_saved(instance, created):
    """An article saved: its own tag, and the lists' when it may have entered or left one."""
    changed = {article(instance.pk)}
    state = listing_state(instance)
    if created or getattr(instance, "loaded_listing", None) != state:
        changed.add(LISTS)
    instance.loaded_listing = state
    return changed


def of_row(instance):
    """The tags a saved or deleted row of a model public pages show touches."""
    name = instance._meta.concrete_model._meta.model_name
    match name:
        case "article":
            return {article(instance.pk), LISTS}
        case "image":
            return {image(instance.pk)}
        case "rendition":
            return {image(instance.image_id)}
        case "author":
            return {author(instance.pk)}
        case "tag":
            return {tag(instance.pk)}
        case "taggeditem":
            return {article(instance.object_id), LISTS}
        case "byline" | "relatedstory" | "correction":
            return {article(instance.article_id)}
        case "section":
            return {SECTIONS, LISTS}
        case "donationappeal":
            return {APPEAL}
    return set()


def of_links(instance, pk_set, reverse):
    """authors.add(), tags.add() and their kin: the articles on either side (from an author's
    or a tag's side, a clear() names none: the author's or tag's own tag covers it)."""
    if not reverse:
        return {article(instance.pk), LISTS}
    return {article(pk) for pk in pk_set or ()} | of_row(instance) | {LISTS}


def of_article_page(instance):
    """What an article's own page shows of it: itself, its top image, its bylines and tags
    (prefetched); the body's pictures, the chrome and the related teasers add theirs."""
    shown = {article(instance.pk)}
    if instance.top_image_id:
        shown.add(image(instance.top_image_id))
    if instance.topic_id:
        shown.add(tag(instance.topic_id))
    shown.update(author(byline.author_id) for byline in instance.bylines.all())
    shown.update(tag(item.pk) for item in instance.tags.all())
    return shown


def of_teasers(stories):
    """Teasers of `stories` (with their top images), chosen from the lists."""
    shown = {LISTS}
    for story in stories:
        shown.add(article(story.pk))
        if story.top_image_id:
            shown.add(image(story.top_image_id))
    return shown


def of_chrome(chrome):
    """The site chrome: the navigation, the appeal, and LATEST's and QIOSK's one-line links."""
    shown = {SECTIONS, APPEAL, LISTS}
    shown.update(article(story.pk) for story in [*chrome.latest, *chrome.qiosk])
    return shown


def of_listing(stories):
    """A list of teasers (bylines prefetched): each story, its picture and its authors; the
    lists' membership; the sections their labels name."""
    shown = of_teasers(stories) | {SECTIONS}
    shown.update(author(byline.author_id) for story in stories for byline in story.bylines.all())
    return shown


def of_feed(stories):
    """A feed's entries: a list's teasers, with their tags as categories."""
    return of_listing(stories) | {tag(item.pk) for story in stories for item in story.tags.all()}
