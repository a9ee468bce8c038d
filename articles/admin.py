from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Article, Author, Byline, DonationAppeal, Image, RelatedStory, Section


def thumbnail(image, width=80):
    if image is None or not image.file:
        return "—"
    return format_html(
        '<img src="{}" width="{}" alt="{}" class="rs-thumb" loading="lazy">',
        image.file.url,
        width,
        image.alt_text,
    )


def credit_line(image):
    if image is None:
        return "—"
    return image.credit or "Own graphic (no credit needed)"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "alt_text", "caption", "credit_column", "dimensions", "created_at"]
    list_display_links = ["preview", "alt_text"]
    list_filter = ["no_credit_needed", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["preview_large", "dimensions"]
    fields = [
        "file",
        "preview_large",
        "alt_text",
        "caption",
        "credit",
        "no_credit_needed",
        "source_url",
        "dimensions",
    ]

    def get_urls(self):
        card = self.admin_site.admin_view(self.card_view)
        return [
            path("<int:pk>/card/", card, name="articles_image_card"),
            *super().get_urls(),
        ]

    def card_view(self, request, pk):
        """The picked image's thumbnail and credit, for the article form's live preview."""
        image = get_object_or_404(Image, pk=pk)
        if not self.has_view_or_change_permission(request, image):
            raise PermissionDenied
        return JsonResponse(
            {
                "thumbnail": image.file.url,
                "alt_text": image.alt_text,
                "caption": image.caption,
                "credit": credit_line(image),
            }
        )

    @admin.display(description="Image")
    def preview(self, obj):
        return thumbnail(obj)

    @admin.display(description="Credit", ordering="credit")
    def credit_column(self, obj):
        return credit_line(obj)

    @admin.display(description="Preview")
    def preview_large(self, obj):
        return thumbnail(obj, width=320)

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "—"


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["position", "author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"


class RelatedStoryInline(admin.TabularInline):
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
        return format_html("{} {}", thumbnail(image, width=60), credit_line(image))


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["thumb", "headline", "section", "kind", "status", "published_at"]
    list_display_links = ["thumb", "headline"]
    list_filter = ["status", "kind", "section", "published_at"]
    list_select_related = ["section", "top_image"]
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "top_image", "topic"]
    readonly_fields = ["top_image_preview", "created_at", "updated_at"]
    inlines = [BylineInline, RelatedStoryInline]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "kind", "section", "topic", "tags"]}),
        ("Top image", {"fields": ["top_image", "top_image_preview"]}),
        ("Story", {"fields": ["body", "teaser"]}),
        ("Publishing", {"fields": ["status", "published_at", "show_donation_appeal"]}),
        (
            "Search engines",
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["js/admin-tags.js", "js/admin-image-card.js"]
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Image")
    def thumb(self, obj):
        return thumbnail(obj.top_image, width=60)

    @admin.display(description="Selected image")
    def top_image_preview(self, obj):
        card_url = reverse("admin:articles_image_card", kwargs={"pk": 0})
        if obj.top_image_id is None:
            return format_html(
                '<div class="rs-image-card" data-card-url="{}">No top image yet.</div>', card_url
            )
        return format_html(
            '<div class="rs-image-card" data-card-url="{}">{}'
            '<p class="rs-credit">Caption: {}<br>Credit: {}</p></div>',
            card_url,
            thumbnail(obj.top_image, width=240),
            obj.top_image.caption or "—",
            credit_line(obj.top_image),
        )

    def save_model(self, request, obj, form, change):
        if change and Article.EDITORIAL_FIELDS.intersection(form.changed_data):
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        # The topic is the article's primary tag, so the article must carry it.
        if article.topic_id and not article.tags.filter(pk=article.topic_id).exists():
            article.tags.add(article.topic)

    @admin.action(description="Publish selected articles now", permissions=["change"])
    def publish_now(self, request, queryset):
        count = queryset.publish_now()
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.unpublish()
        self.message_user(request, f"Unpublished {count} article(s).", messages.SUCCESS)


@admin.register(DonationAppeal)
class DonationAppealAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "ends_at", "is_active", "live_now"]
    list_filter = ["is_active"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"

    @admin.display(description="Showing now", boolean=True)
    def live_now(self, obj):
        return obj.is_live()
