from django.contrib import admin, messages
from django.utils import timezone

from articles import services
from articles.models import Article, TrashedArticle


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
