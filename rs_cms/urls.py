from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from articles import feeds, sitemaps

# The 503 page when the database is down, wherever in the request it failed; 500 otherwise.
handler500 = "rs_cms.faults.server_error"

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"

feed_patterns = [
    path("", feeds.feed_directory, name="index"),
    path("rss/", feeds.ArticleFeed(), name="site-rss"),
    path("atom/", feeds.SiteAtomFeed(), name="site-atom"),
    path("section/<slug:slug>/rss/", feeds.SectionFeed(), name="section-rss"),
    path("section/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-atom"),
    # Tag slugs may be in any script, as the tag pages' (articles/urls.py).
    re_path(r"^tag/(?P<slug>[-\w]+)/rss/\Z", feeds.TagFeed(), name="tag-rss"),
    re_path(r"^tag/(?P<slug>[-\w]+)/atom/\Z", feeds.TagAtomFeed(), name="tag-atom"),
    path("author/<slug:slug>/rss/", feeds.AuthorFeed(), name="author-rss"),
    path("author/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author-atom"),
]

urlpatterns = [
    # Configurable (ADMIN_PATH): link to the admin with reverse("admin:…"), never "/admin/".
    path(settings.ADMIN_PATH, admin.site.urls),
    path("newsletter/", include("newsletter.urls")),
    # Before the articles' URLs: a section lives at /<slug>/, and these names are reserved.
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("favicon.ico"))),
    # Before sitemap-<section>.xml, which would otherwise take "news" for a section.
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.NEWS_SITEMAPS, "template_name": sitemaps.NEWS_TEMPLATE},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS, "template_name": sitemaps.SITEMAP_TEMPLATE},
        name="sitemap-section",
    ),
    path("feeds/", include((feed_patterns, "feeds"))),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
