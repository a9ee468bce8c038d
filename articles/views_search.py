from articles.forms import SearchForm
from articles.search import search_articles
from articles.views import PaginatedListView


class SearchView(PaginatedListView):
    """/search/?q=…&section=…&kind=…: public articles, best match first. A filter that is not
    valid is dropped, not reported: the page shows what the search did."""

    template_name = "articles/search.html"
    context_object_name = "results"

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        # is_valid() fills cleaned_data with the fields that are valid, and only those.
        self.form.is_valid()
        filters = self.form.cleaned_data
        self.section = filters.get("section")
        self.kind = filters.get("kind") or None
        return search_articles(filters.get("q", ""), section=self.section, kind=self.kind)

    def paginate_queryset(self, queryset, page_size):
        # Unlike the listings, search is never stored by the page cache (rs_cms/pagecache), so
        # a stale page number may show a real page: get_page() turns ?page=abc into the first
        # and ?page=999 into the last.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            query=self.object_list.query,
            is_filtered=bool(self.section or self.kind),
            **kwargs,
        )
