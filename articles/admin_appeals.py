from django.contrib import admin

from articles.models import DonationAppeal


@admin.register(DonationAppeal)
class DonationAppealAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "ends_at", "is_active", "live_now"]
    list_filter = ["is_active"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"

    @admin.display(description="Showing now", boolean=True)
    def live_now(self, obj):
        return obj.is_live()
