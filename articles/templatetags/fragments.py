"""Parts of public pages kept under their own content's tags (rs_cms/pagecache/fragments.py):
the `{% fragment %}` block, what the article page's parts read, and teaser cards."""

from functools import partial

from django import template
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles import cache_tags
from articles.models import Byline
from rs_cms import pagecache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, args):
        self.nodelist, self.name, self.args = nodelist, name, args

    def render(self, context):
        name = self.name.resolve(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        return mark_safe(pagecache.fragment(name, args, partial(self.nodelist.render, context)))


@register.tag
def fragment(parser, token):
    """{% fragment "article" article.pk %}…{% endfragment %}: what it encloses, kept under its
    name and arguments (plain values: ids, flags) while everything it shows is unchanged.

    It must read nothing that its tags do not name (the time, the reader, the appeal)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment needs a name: {% fragment 'name' arg … %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, *args = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentNode(nodelist, name, args)


@register.simple_tag
def article_parts(article):
    """Read the article's bylines, tags and corrections (once a page, three queries) and say
    what its page shows of it: each fragment of the article's own page begins with this, so
    they are read only when one of them is rendered, not when all come from the cache."""
    prefetch_related_objects(
        [article],
        Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        "tags",
        "corrections",
    )
    # The page had the sections' names from the navigation; its fragments name them too
    # (the label line, the address in the metadata).
    pagecache.shows(*cache_tags.of_article_page(article), cache_tags.SECTIONS)
    return ""


def card(template_name, story, shown_by, options):
    pagecache.shows(*shown_by(story))
    return render_to_string(template_name, {"article": story, **options})


def cards(name, template_name, stories, shown_by, options):
    """Each story's card, kept per story and its `options`; the list's looked up at once."""
    variant = tuple(sorted(options.items()))
    parts = [
        ((story.pk, *variant), partial(card, template_name, story, shown_by, options))
        for story in stories
    ]
    return mark_safe("".join(pagecache.fragment_batch(name, parts)))


def teaser_card_tags(story):
    """A list's card of `story` (bylines prefetched), not which list it is in."""
    return cache_tags.of_listing([story]) - {cache_tags.LISTS}


def related_card_tags(story):
    """A related story's card: the story, its picture and its section's name."""
    return cache_tags.of_teasers([story]) | {cache_tags.SECTIONS}


@register.simple_tag
def teaser_cards(stories, **options):
    """{% teaser_cards articles level=2 %}: includes/teaser.html for each (`large`, `level`)."""
    return cards("teaser", "includes/teaser.html", stories, teaser_card_tags, options)


@register.simple_tag
def related_cards(stories):
    """{% related_cards stories %}: includes/related_story.html for each."""
    return cards("related-story", "includes/related_story.html", stories, related_card_tags, {})
