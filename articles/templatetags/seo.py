from django import template
from django.conf import settings
from django.urls import reverse

from articles import seo

register = template.Library()

# Pages that list articles: each is its own canonical address, page by page.
LISTING_VIEWS = frozenset(
    {"articles:home", "articles:section", "articles:tag", "articles:author", "articles:kind"}
)
FEED_FORMATS = [("rss", "RSS", "application/rss+xml"), ("atom", "Atom", "application/atom+xml")]


def _view_name(context):
    match = getattr(context.get("request"), "resolver_match", None)
    return (match.view_name, match.kwargs) if match else (None, {})


@register.simple_tag
def article_json_ld(article):
    return seo.json_ld_script(seo.article_json_ld(article))


@register.simple_tag
def article_card(article):
    """{% article_card article as card %}: the facts for OpenGraph and Twitter tags."""
    return seo.social_card(article)


@register.simple_tag(takes_context=True)
def page_feeds(context):
    """The feeds a page advertises: the whole site's, and its section's, tag's or author's."""
    view_name, kwargs = _view_name(context)
    scopes = [(settings.SITE_NAME, "site", {})]
    section = context.get("current_section")
    if section is not None:
        scopes.append((f"{section.name} | {settings.SITE_NAME}", "section", {"slug": section.slug}))
    elif view_name in {"articles:tag", "articles:author"}:
        name = context.get("title", kwargs["slug"])
        scope = view_name.removeprefix("articles:")
        scopes.append((f"{name} | {settings.SITE_NAME}", scope, {"slug": kwargs["slug"]}))
    return [
        {
            "title": f"{title} ({label})",
            "type": mime_type,
            "href": seo.absolute_url(reverse(f"feeds:{scope}-{suffix}", kwargs=slug)),
        }
        for title, scope, slug in scopes
        for suffix, label, mime_type in FEED_FORMATS
    ]


@register.simple_tag(takes_context=True)
def listing_canonical(context):
    """A listing page's absolute address, with its page number past the first; else ""."""
    view_name, _ = _view_name(context)
    if view_name not in LISTING_VIEWS:
        return ""
    url = seo.absolute_url(context["request"].path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


@register.filter
def w3c(moment):
    """A date and time as sitemaps want it: 2026-03-02T09:30:00+00:00."""
    return seo.iso(moment)
