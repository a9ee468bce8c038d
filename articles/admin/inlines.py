"""The article form's parts: its byline, related stories and corrections."""

from django.contrib import admin
from django.utils.html import format_html

from articles.images.thumbnails import credit_label, thumbnail
from articles.models import Article, Byline, Correction, RelatedStory


class ArticlePartInline:
    """An inline that is editable exactly when its article is."""

    def article_is_editable(self, request, obj):
        article_admin = self.admin_site.get_model_admin(Article)
        return obj is None or article_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self.article_is_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.article_is_editable(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.article_is_editable(
            request, obj
        )


class BylineInline(ArticlePartInline, admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["position", "author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"


class RelatedStoryInline(ArticlePartInline, admin.TabularInline):
    model = RelatedStory
    fk_name = "article"
    autocomplete_fields = ["related"]
    fields = ["position", "related", "related_credit"]
    readonly_fields = ["related_credit"]
    extra = 1
    verbose_name_plural = "related stories (in order; the page fills up to three)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("related__top_image")

    @admin.display(description="Teaser photo")
    def related_credit(self, obj):
        if not obj.related_id:
            return "—"
        image = obj.related.top_image
        return format_html("{} {}", thumbnail(image, width=60), credit_label(image))


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["published_at", "note"]
    extra = 0
    verbose_name_plural = "corrections (shown, dated, at the foot of the published article)"

    def has_add_permission(self, request, obj):
        # Only a published article can be corrected; a draft is simply edited.
        published = obj is not None and obj.status == Article.Status.PUBLISHED
        return published and super().has_add_permission(request, obj)

    @staticmethod
    def applies_to(obj):
        return obj is not None and (
            obj.status == Article.Status.PUBLISHED or obj.corrections.exists()
        )
