"""The article admin: its list, form, save and actions; history and share links come as mixins."""

import json

import reversion
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.urls import path, reverse
from django.utils.crypto import salted_hmac
from django.utils.html import format_html

from articles import services, workflow
from articles.admin.forms import ArticleAdminForm
from articles.admin.history import ArticleHistoryMixin
from articles.admin.inlines import BylineInline, CorrectionInline, RelatedStoryInline
from articles.admin.previews import PreviewLinksMixin
from articles.history import records
from articles.images.thumbnails import credit_label, thumbnail
from articles.models import Article, Correction


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
class ArticleAdmin(ArticleHistoryMixin, PreviewLinksMixin, admin.ModelAdmin):
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

    # Saving, with its revision and the conflict check (history and share links: the mixins).

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
        return super().render_change_form(request, context, add, change, form_url, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if reversion.is_active():
            reversion.set_comment(revision_comment(message) or "No fields changed.")
        return message

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
