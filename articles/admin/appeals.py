from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import DonationAppeal


def moment(value):
    return date_format(timezone.localtime(value), "j M Y, H:i")


def showing_now():
    """What readers see at this moment, in one line."""
    appeal = DonationAppeal.objects.current().first()
    if appeal is None:
        return "No appeal is showing now"
    if appeal.ends_at is None:
        return f"Showing now: {appeal.title}, with no end date"
    return f"Showing now: {appeal.title}, until {moment(appeal.ends_at)}"


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("scheduled", "Scheduled"), ("live", "Showing now"), ("ended", "Ended")]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "live":
            return queryset.current()
        if self.value() == "ended":
            return queryset.ended()
        return queryset


@admin.register(DonationAppeal)
class DonationAppealAdmin(admin.ModelAdmin):
    list_display = ["title", "window", "is_active", "live_now"]
    list_filter = [WhenFilter, "is_active"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (None, {"fields": ["title", "message", "button_label", "url"]}),
        (
            "Schedule",
            {
                "fields": ["starts_at", "ends_at", "is_active"],
                "description": (
                    "The appeal shows from its start until its end. Only one active appeal can "
                    "show at a time: schedule the next one to start when this one ends."
                ),
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        # The admin shows a subtitle above the list: the appeal readers see right now.
        context = {"subtitle": showing_now(), **(extra_context or {})}
        return super().changelist_view(request, context)

    @admin.display(description="Window", ordering="starts_at")
    def window(self, obj):
        if obj.ends_at is None:
            return f"{moment(obj.starts_at)} – no end"
        return f"{moment(obj.starts_at)} – {moment(obj.ends_at)}"

    @admin.display(description="Showing now", boolean=True)
    def live_now(self, obj):
        return obj.is_live()
