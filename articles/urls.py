from django.urls import path, re_path

from articles import views, views_search

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # Tag slugs keep their letters, Arabic and all (taggit's slugify(allow_unicode=True)).
    re_path(r"^tag/(?P<slug>[-\w]+)/\Z", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("kind/<slug:kind>/", views.KindView.as_view(), name="kind"),
    path("preview/<str:token>/", views.shared_preview, name="preview"),
    path("search/", views_search.SearchView.as_view(), name="search"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
]
