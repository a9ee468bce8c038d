import json
from pathlib import PurePosixPath

import reversion
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import format_html

from articles import previews, services, workflow
from articles.admin_appeals import DonationAppealAdmin  # noqa: F401 (registers it)
from articles.admin_redirects import RedirectAdmin  # noqa: F401 (registers it)
from articles.forms import ArticleAdminForm
from articles.history import records
from articles.history import views as history
from articles.images.thumbnails import credit_label, thumbnail, thumbnail_url
from articles.images.uploads import ImageForm
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    Image,
    RelatedStory,
    Section,
    TrashedArticle,
)
from articles.tasks import make_renditions_later


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["preview", "alt_text", "caption", "credit_column", "dimensions", "created_at"]
    list_display_links = ["preview", "alt_text"]
    list_filter = ["no_credit_needed", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["original", "preview_large", "dimensions"]
    fields = [
        "file",
        "original",
        "preview_large",
        "alt_text",
        "caption",
        "credit",
        "no_credit_needed",
        "source_url",
        "dimensions",
    ]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return [field for field in fields if field != "original"]
        if not self.has_change_permission(request, obj):
            # Read-only, Django would show the file as a link to its address, which a private
            # original does not have; "original" names it and links to the download.
            return [field for field in fields if field != "file"]
        return fields

    def save_model(self, request, obj, form, change):
        # Saving makes the display copy (Image.save), here in the editor's request.
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            # Resized copies for <picture>, made after the commit (by the task worker).
            make_renditions_later(obj, replace=change)

    def get_urls(self):
        card = self.admin_site.admin_view(self.card_view)
        original = self.admin_site.admin_view(self.original_view)
        return [
            path("<int:pk>/card/", card, name="articles_image_card"),
            path("<int:pk>/original/", original, name="articles_image_original"),
            *super().get_urls(),
        ]

    def original_view(self, request, pk):
        """The uploaded original, camera data and all, as a download for staff who may see
        the image: it has no address of its own."""
        image = get_object_or_404(Image, pk=pk)
        if not self.has_view_or_change_permission(request, image):
            raise PermissionDenied
        try:
            original = image.file.storage.open(image.file.name, "rb")
        except FileNotFoundError:
            raise Http404("The original of this picture is missing.") from None
        response = FileResponse(
            original, as_attachment=True, filename=PurePosixPath(image.file.name).name
        )
        # Not kept by the browser's cache or any cache between.
        response["Cache-Control"] = "private, no-store"
        return response

    def card_view(self, request, pk):
        """The picked image's thumbnail and credit, for the article form's live preview."""
        image = get_object_or_404(Image, pk=pk)
        if not self.has_view_or_change_permission(request, image):
            raise PermissionDenied
        return JsonResponse(
            {
                "thumbnail": thumbnail_url(image, 240),
                "alt_text": image.alt_text,
                "caption": image.caption,
                "credit": credit_label(image),
            }
        )

    @admin.display(description="Image")
    def preview(self, obj):
        return thumbnail(obj)

    @admin.display(description="Credit", ordering="credit")
    def credit_column(self, obj):
        return credit_label(obj)

    @admin.display(description="Original")
    def original(self, obj):
        if not obj.file:
            return "—"
        return format_html(
            '{} <a href="{}" class="rs-download-original">Download original</a>',
            PurePosixPath(obj.file.name).name,
            reverse("admin:articles_image_original", kwargs={"pk": obj.pk}),
        )

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


class OwnerFilter(admin.SimpleListFilter):
    title = "written by"
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("mine", "Started by me")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(created_by=request.user)
        return queryset


def draft_owner(user):
    """Who the browser's unsaved copies of an article form belong to (admin-draft-keeper.js):
    a digest of the user's id, so that a key in localStorage names nobody."""
    return salted_hmac("articles.draft-keeper", str(user.pk), algorithm="sha256").hexdigest()[:20]


def revision_comment(message):
    """The admin's own change message (“Changed headline and body.”) as a revision comment."""
    return LogEntry(change_message=json.dumps(message)).get_change_message()


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["thumb", "headline", "section", "kind", "status", "published_at"]
    list_display_links = ["thumb", "headline"]
    list_filter = ["status", OwnerFilter, "kind", "section", "published_at"]
    list_select_related = ["section", "top_image"]
    search_fields = ["headline", "dek", "slug"]
    # “12 results (100,000 total)” would count the whole table again on every search.
    show_full_result_count = False
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "top_image", "topic"]
    readonly_fields = [
        "top_image_preview",
        "created_at",
        "updated_at",
        "submitted_at",
        "created_by",
    ]
    inlines = [BylineInline, RelatedStoryInline, CorrectionInline]
    actions = ["publish_now", "unpublish", "submit_for_review", "move_to_trash"]
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    delete_confirmation_template = "admin/articles/article/delete_confirmation.html"
    object_history_template = "admin/articles/article/object_history.html"
    fieldsets = [
        (
            None,
            {"fields": ["headline", "slug", "dek", "kind", "section", "topic", "tags", "version"]},
        ),
        ("Top image", {"fields": ["top_image", "top_image_preview"]}),
        ("Story", {"fields": ["body", "teaser"]}),
        ("Publishing", {"fields": ["status", "published_at", "show_donation_appeal"]}),
        (
            "Search engines",
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        (
            "History",
            {
                "fields": ["created_by", "created_at", "submitted_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        js = ["js/admin-tags.js", "js/admin-image-card.js", "js/admin-draft-keeper.js"]
        css = {"all": ["css/admin.css"]}

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name=f"{prefix}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(self.restore_view),
                name=f"{prefix}_restore",
            ),
            path(
                "<path:object_id>/preview-links/",
                wrap(self.create_preview_link_view),
                name=f"{prefix}_preview_link",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                wrap(self.revoke_preview_link_view),
                name=f"{prefix}_revoke_preview_link",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        # Every view of an article goes through here: the list, the form, history, compare,
        # share links and the autocomplete of any field that picks an article.
        return workflow.readable(super().get_queryset(request).live(), request.user)

    def get_inlines(self, request, obj):
        # A draft has nothing to correct: the inline appears once the article is out.
        return [
            inline
            for inline in self.inlines
            if inline is not CorrectionInline or CorrectionInline.applies_to(obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            readonly.append("published_at")
        return readonly

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Deleting goes through the trash: “Move to trash” replaces Django's bulk delete.
        actions.pop("delete_selected", None)
        return actions

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or workflow.can_publish(request.user):
            return True
        # Writers edit their own drafts; once submitted, the article is the editors'.
        return obj.created_by_id == request.user.pk and obj.status == Article.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_publish(request.user)

    # Views: saving (with its revision and the conflict check), history, previews.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id is not None:
            article = self.get_object(request, unquote(object_id))
            if article is not None and self.has_change_permission(request, article):
                records.record_baselines([article])
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                return super().changeform_view(request, object_id, form_url, extra_context)
        except services.EditConflict:
            # Lost the race inside the database: everything was rolled back. Answer as the
            # form's own check does now that the other save is visible.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["conflict"] = getattr(form, "conflict", None)
        context["draft_owner"] = draft_owner(request.user)
        if obj is not None and obj.pk:
            context["preview_links"] = previews.links_for(obj)
            context["preview_link_form"] = previews.PreviewLinkForm(auto_id="share-link-%s")
            context["can_share_preview"] = self.has_change_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if reversion.is_active():
            reversion.set_comment(revision_comment(message) or "No fields changed.")
        return message

    def history_view(self, request, object_id, extra_context=None):
        return history.history_view(self, request, object_id, extra_context)

    def compare_view(self, request, object_id):
        return history.compare_view(self, request, object_id)

    def restore_view(self, request, object_id, version_id):
        return history.restore_view(self, request, object_id, version_id)

    def create_preview_link_view(self, request, object_id):
        return previews.create_link_view(self, request, object_id)

    def revoke_preview_link_view(self, request, object_id, link_id):
        return previews.revoke_link_view(self, request, object_id, link_id)

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
            credit_label(obj.top_image),
        )

    def save_model(self, request, obj, form, change):
        """Saved with its bylines, picks and corrections in save_related(), in one call of
        services.save_article(): the newsroom's rules apply to the article and its parts."""

    def save_related(self, request, form, formsets, change):
        def save_parts():
            super(ArticleAdmin, self).save_model(request, obj, form, change)
            super(ArticleAdmin, self).save_related(request, form, formsets, change)

        obj = form.instance
        services.save_article(
            obj,
            user=request.user,
            changed=form.changed_data,
            expected_version=form.cleaned_data["version"] if change else None,
            save_parts=save_parts,
        )

    def delete_model(self, request, obj):
        services.move_to_trash(
            Article.objects.filter(pk=obj.pk), request.user, "Moved to the trash."
        )

    def render_delete_form(self, request, context):
        context["trash_days"] = Article.TRASH_KEEPS_FOR.days
        return super().render_delete_form(request, context)

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted: the article goes to the trash with everything attached to it.
        perms_needed = set()
        if not all(self.has_delete_permission(request, obj) for obj in objs):
            perms_needed.add(self.opts.verbose_name)
        return [str(obj) for obj in objs], {}, perms_needed, []

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction_form in formset.forms:
                if correction_form.instance.pk is None:
                    correction_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        count = services.publish_now(queryset, request.user)
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = services.unpublish(queryset, request.user)
        self.message_user(request, f"Unpublished {count} article(s).", messages.SUCCESS)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = services.submit_for_review(queryset, request.user)
        skipped = len(queryset) - count
        self.message_user(request, f"Submitted {count} draft(s) for review.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} article(s) as they were: only your own drafts can be submitted.",
                messages.WARNING,
            )

    @admin.action(description="Move selected articles to the trash", permissions=["delete"])
    def move_to_trash(self, request, queryset):
        count = services.move_to_trash(queryset, request.user)
        self.message_user(
            request,
            f"Moved {count} article(s) to the trash. They can be restored from the trash "
            f"for {Article.TRASH_KEEPS_FOR.days} days.",
            messages.SUCCESS,
        )


@admin.register(TrashedArticle)
class TrashAdmin(admin.ModelAdmin):
    """Deleted articles: restore within the window, or delete for good."""

    list_display = ["headline", "section", "status", "deleted_at", "deleted_by", "restorable_until"]
    list_display_links = None
    list_filter = ["section", "status"]
    list_select_related = ["section", "deleted_by"]
    search_fields = ["headline", "slug"]
    actions = ["restore", "delete_selected"]
    ordering = ["-deleted_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).trashed()

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.delete_article")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("articles.delete_article")

    def has_restore_permission(self, request):
        return request.user.has_perm("articles.delete_article")

    @admin.display(description="Restorable until")
    def restorable_until(self, obj):
        if obj.trash_expires_at <= timezone.now():
            return "Expired: will be deleted for good"
        return obj.trash_expires_at

    @admin.action(description="Restore selected articles", permissions=["restore"])
    def restore(self, request, queryset):
        count = services.restore_from_trash(queryset, request.user)
        self.message_user(request, f"Restored {count} article(s).", messages.SUCCESS)
        expired = len(queryset) - count
        if expired:
            self.message_user(
                request,
                f"{expired} article(s) had been in the trash for more than "
                f"{Article.TRASH_KEEPS_FOR.days} days and can no longer be restored.",
                messages.ERROR,
            )
