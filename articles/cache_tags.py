"""What each change touches, as the page cache's tags (rs_cms/pagecache/tags.py): an article's
page is kept until something it shows changes, not whenever anything does.

- `article:<pk>`: its text, bylines, picks, tags and corrections;
- `image:<pk>`, `author:<pk>`, `tag:<pk>`: a picture (credit, caption, renditions), a
  byline's name, a tag's name, wherever shown;
- `lists`: which articles the site's lists show (LATEST, QIOSK, the home page, the section,
  topic, author and kind pages, the feeds): moved by publishing, unpublishing, scheduling,
  trashing and moves;
- `list:section:<pk>`, `list:topic:<pk>`: which stories a section's or a topic's newest are,
  where related teasers come from: moved with `lists`, for the article's sections and topics
  only, so publishing a story refreshes the pages of its section and topics, not every page;
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


def section_list(pk):
    return f"list:section:{pk}"


def topic_list(pk):
    return f"list:topic:{pk}"


def listing_state(instance):
    """The article's listing fields as they stand (deferred ones as None)."""
    return tuple(instance.__dict__.get(name) for name in LISTING_FIELDS)


def listing_moved(instance, created):
    """Whether a saved article may have entered or left a list, and the listing state it was
    loaded with (None when new or unknown); the instance now holds its saved state."""
    before = None if created else getattr(instance, "loaded_listing", None)
    state = listing_state(instance)
    instance.loaded_listing = state
    return created or before != state, before


def of_lists(sections=(), topics=(), hosts=()):
    """These sections' and topics' lists, and the pages of `hosts` (the articles whose editors
    picked a story that came or went)."""
    changed = set()
    changed.update(section_list(pk) for pk in sections if pk is not None)
    changed.update(topic_list(pk) for pk in topics if pk is not None)
    changed.update(article(pk) for pk in hosts)
    return changed


def of_listing_state(state):
    """The section and topic lists an article held in `state` (listing_state()) is in."""
    if state is None:
        return set()
    values = dict(zip(LISTING_FIELDS, state, strict=True))
    return of_lists([values["section_id"]], [values["topic_id"]])


def of_row(instance):
    """The tags a saved or deleted row of a model public pages show touches."""
    name = instance._meta.concrete_model._meta.model_name
    match name:
        case "article":
            return {article(instance.pk)} | of_listing_state(listing_state(instance)) | {LISTS}
        case "image":
            return {image(instance.pk)}
        case "rendition":
            return {image(instance.image_id)}
        case "author":
            return {author(instance.pk)}
        case "tag":
            return {tag(instance.pk)}
        case "taggeditem":
            return {article(instance.object_id), LISTS, *of_lists(topics=[instance.tag_id])}
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
    # Tags are rows of TaggedItem, saved and deleted one by one: their own signals name the
    # topics' lists (of_row).
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
    """Teasers of `stories` (with their top images); which stories, the lists say."""
    shown = set()
    for story in stories:
        shown.add(article(story.pk))
        if story.top_image_id:
            shown.add(image(story.top_image_id))
    return shown


def of_chrome():
    """The site chrome around every page: the navigation and the appeal."""
    return {SECTIONS, APPEAL}


def of_rail(chrome):
    """LATEST's and QIOSK's one-line links: which stories, and their headlines."""
    return {LISTS, SECTIONS, *(article(story.pk) for story in [*chrome.latest, *chrome.qiosk])}


def of_listing(stories):
    """A list of teasers (bylines prefetched): each story, its picture and its authors; the
    lists' membership; the sections their labels name."""
    shown = of_teasers(stories) | {LISTS, SECTIONS}
    shown.update(author(byline.author_id) for story in stories for byline in story.bylines.all())
    return shown


def of_feed(stories):
    """A feed's entries: a list's teasers, with their tags as categories."""
    return of_listing(stories) | {tag(item.pk) for story in stories for item in story.tags.all()}
