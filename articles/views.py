from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles import cache_tags, previews, workflow
from articles.chrome import site_chrome
from articles.models import Article, Author, Section
from rs_cms import pagecache


def can_preview(user):
    """Staff who may read articles may see them before they are public."""
    return user.is_staff and user.has_perm("articles.view_article")


class PublicArticlesMixin:
    """The public article queryset with what a teaser needs."""

    def public_articles(self):
        return Article.objects.published().for_listing()


class PaginatedListView(PublicArticlesMixin, ListView):
    """Public articles, a page at a time. A page that does not exist (?page=abc, ?page=999
    past the last, ?page=0) is a 404, as in Django's ListView: never a copy of another page,
    which the page cache would store once for every made-up number."""

    paginate_by = 12
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    # A tag or an author is named to readers only by a public article: one used only on
    # drafts has no page (404). A section may show its empty state.
    needs_public_articles = False

    def paginate_queryset(self, queryset, page_size):
        paginator, page, articles, is_paginated = super().paginate_queryset(queryset, page_size)
        # The paginator's own count, already made: no query of its own.
        if self.needs_public_articles and not paginator.count:
            raise Http404("No public articles.")
        pagecache.tag_page(*cache_tags.of_listing(page.object_list), *self.heading_tags())
        return paginator, page, articles, is_paginated

    def heading_tags(self):
        """What the page's heading shows, as cache tags (the teasers' are the list's)."""
        return []


class HomeView(PublicArticlesMixin, TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        stories = self.public_articles().exclude(kind=Article.Kind.QIOSK)
        front, section_rows = stories.front_page(site_chrome().sections, lead=7, per_section=4)
        shown = [*front, *(story for _, row in section_rows for story in row)]
        pagecache.tag_page(*cache_tags.of_listing(shown))
        return super().get_context_data(
            lead=front[0] if front else None,
            latest=front[1:],
            section_rows=section_rows,
            **kwargs,
        )


class SectionView(PaginatedListView):
    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return self.public_articles().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            current_section=self.section,
            title=self.section.name,
            description=self.section.description,
            label="Section",
            **kwargs,
        )


class TagView(PaginatedListView):
    needs_public_articles = True

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.public_articles().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.tag.name, label="Topic", **kwargs)

    def heading_tags(self):
        return [cache_tags.tag(self.tag.pk)]


class AuthorView(PaginatedListView):
    template_name = "articles/author_detail.html"
    needs_public_articles = True

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.select_related("photo"),
            slug=self.kwargs["slug"],
        )
        return self.public_articles().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            author=self.author, title=self.author.name, label="Author", **kwargs
        )

    def heading_tags(self):
        photo = [cache_tags.image(self.author.photo_id)] if self.author.photo_id else []
        return [cache_tags.author(self.author.pk), *photo]


class KindView(PaginatedListView):
    def get_queryset(self):
        if self.kwargs["kind"] not in Article.Kind.values:
            raise Http404("No such kind of article.")
        self.kind = Article.Kind(self.kwargs["kind"])
        return self.public_articles().filter(kind=self.kind)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.kind.label, label="Kind", **kwargs)


def article_page_rows(articles):
    """What the article page reads up front: the row with its section (for the address), its
    picture and topic. Its bylines, tags and corrections wait for the fragments that show
    them ({% article_parts %}): a page rebuilt from cached fragments never reads them."""
    return articles.select_related("section", "top_image", "topic")


# The {% fragment %} blocks of articles/article_detail.html, each under the article's pk.
ARTICLE_FRAGMENTS = ("article-meta", "article", "article-foot", "related-stories")


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        user = self.request.user
        # Staff see before readers what the newsroom lets them open (workflow.readable): a
        # writer their own drafts, never a colleague's.
        articles = (
            workflow.readable(Article.objects.live(), user)
            if can_preview(user)
            else Article.objects.published()
        )
        return article_page_rows(articles)

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section=self.object.section, **kwargs)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.section.slug != kwargs["section"]:
            return redirect(self.object, permanent=True)
        if self.object.is_public:
            # Whole with what its fragments show ({% article_parts %}, the related stories,
            # the chrome), whether they are rendered or come from the cache.
            pagecache.tag_page(cache_tags.article(self.object.pk))
            # Its template's fragments, read in one trip.
            pagecache.prefetch_fragments((name, (self.object.pk,)) for name in ARTICLE_FRAGMENTS)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_public:
            # A staff preview: never stored by any cache, never indexed.
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def as_private_preview(response):
    """A share-preview answer: never cached, never indexed, and the token never sent on."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in this page's address: links out of it must not carry it as a Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response


def preview_unavailable(request, status):
    return as_private_preview(render(request, "articles/preview_unavailable.html", status=status))


@require_safe
def shared_preview(request, token):
    """An unpublished article, for whoever holds a working share link."""
    link = previews.find_link(token)
    if link is None:
        return preview_unavailable(request, status=404)
    # The article page's own queryset (ArticleDetailView), drafts included.
    article = article_page_rows(Article.objects.live()).filter(pk=link.article_id).first()
    if article is None:
        # In the trash: not found, whatever the link (the trash revokes links anyway).
        return preview_unavailable(request, status=404)
    if article.is_public:
        # Published since the link was made: readers may see it anyway, link or no link.
        return as_private_preview(redirect(article))
    if not link.is_valid():
        return preview_unavailable(request, status=410)
    context = {
        "article": article,
        "current_section": article.section,
        "preview_link": link,
        "can_edit": can_preview(request.user),
    }
    return as_private_preview(render(request, "articles/article_detail.html", context))
