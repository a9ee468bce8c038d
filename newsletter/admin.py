from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header

from articles.images.thumbnails import credit_label, thumbnail
from newsletter import export, services, subscribers
from newsletter.forms_admin import BuildIssueForm, ExportForm, PreviewForm
from newsletter.models import Issue, IssueItem, Newsletter, Subscription
from newsletter.views import default_newsletter

CHART_HEIGHT = 120
CHART_STEP = 20  # one bar and the gap after it
CHART_BAR = 14
CHART_MARGIN = 24


def weekly_chart(weeks):
    """Bar geometry for an inline SVG chart of `(monday, count)` pairs."""
    peak = max((count for _, count in weeks), default=0)
    bars = []
    for index, (monday, count) in enumerate(weeks):
        height = round(CHART_HEIGHT * count / peak) if peak else 0
        bars.append(
            {
                "monday": monday,
                "count": count,
                "x": index * CHART_STEP,
                "y": CHART_HEIGHT - height,
                "height": height,
                "label_x": index * CHART_STEP + CHART_BAR // 2,
                "is_labelled": index % 4 == 0,
            }
        )
    return {
        "bars": bars,
        "peak": peak,
        "total": sum(count for _, count in weeks),
        "weeks": len(weeks),
        "width": len(weeks) * CHART_STEP,
        "height": CHART_HEIGHT,
        "bar_width": CHART_BAR,
        "label_y": CHART_HEIGHT + 14,
        # Room on the left for the scale, and for the first week's label to centre on its bar.
        "view_x": -CHART_MARGIN,
        "view_width": len(weeks) * CHART_STEP + CHART_MARGIN,
        "view_height": CHART_HEIGHT + 20,
    }


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "confirmed_count", "pending_count", "unsubscribed_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        css = {"all": ["css/admin-newsletter.css"]}

    def get_queryset(self, request):
        counts = {
            f"{status}_count": Count("subscriptions", filter=Q(subscriptions__status=status))
            for status in Subscription.Status.values
        }
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description="Confirmed", ordering="confirmed_count")
    def confirmed_count(self, obj):
        return obj.confirmed_count

    @admin.display(description="Pending", ordering="pending_count")
    def pending_count(self, obj):
        return obj.pending_count

    @admin.display(description="Unsubscribed", ordering="unsubscribed_count")
    def unsubscribed_count(self, obj):
        return obj.unsubscribed_count

    def get_urls(self):
        return [
            path(
                "<path:object_id>/subscribers.csv",
                self.admin_site.admin_view(self.subscribers_csv_view),
                name="newsletter_newsletter_subscribers",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["weekly_chart"] = weekly_chart(subscribers.weekly_confirmations(obj))
            context["can_export_subscribers"] = request.user.has_perm(
                "newsletter.export_subscribers"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def subscribers_csv_view(self, request, object_id):
        """Every subscription of the list, streamed as CSV: the list may be long."""
        if not request.user.has_perm("newsletter.export_subscribers"):
            raise PermissionDenied
        newsletter = self.get_object(request, object_id)
        if newsletter is None:
            raise Http404("No such newsletter.")
        rows = subscribers.csv_rows(Subscription.objects.filter(newsletter=newsletter))
        filename = subscribers.csv_filename(newsletter)
        return StreamingHttpResponse(
            rows,
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )


class IssueItemInline(admin.TabularInline):
    model = IssueItem
    fields = ["position", "article", "blurb", "top_photo"]
    readonly_fields = ["top_photo"]
    autocomplete_fields = ["article"]
    extra = 1
    verbose_name = "article"
    verbose_name_plural = "articles (in order)"
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
    }

    def get_queryset(self, request):
        # The row's title (IssueItem.__str__) names the issue and its newsletter.
        return (
            super().get_queryset(request).select_related("issue__newsletter", "article__top_image")
        )

    @admin.display(description="Top photo")
    def top_photo(self, obj):
        if not obj.article_id:
            return "—"
        image = obj.article.top_image
        return format_html(
            '{}<span class="rs-credit">{}</span>', thumbnail(image, width=60), credit_label(image)
        )


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "newsletter", "status", "item_count", "updated_at"]
    list_display_links = ["number", "subject"]
    list_filter = ["newsletter", "status", "updated_at"]
    list_select_related = ["newsletter"]
    search_fields = ["subject", "preheader"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [IssueItemInline]
    fieldsets = [
        (None, {"fields": ["newsletter", "number", "subject", "preheader", "intro"]}),
        ("Sending", {"fields": ["status", "sent_at"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css", "css/admin-newsletter.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description="Items", ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        chosen = str(initial.get("newsletter", ""))
        if chosen.isdigit():
            newsletter = Newsletter.objects.filter(pk=chosen).first()
        else:
            newsletter = default_newsletter(None)
        if newsletter is not None:
            initial.setdefault("newsletter", newsletter.pk)
            initial.setdefault("number", newsletter.next_issue_number())
        return initial

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("build/", view(self.build_view), name="newsletter_issue_build"),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="newsletter_issue_preview",
            ),
            path(
                "<path:object_id>/export/", view(self.export_view), name="newsletter_issue_export"
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_export_issue"] = self.has_export_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_export_permission(self, request, obj=None):
        return request.user.has_perm(
            "newsletter.export_issue"
        ) and self.has_view_or_change_permission(request, obj)

    def exportable_issue(self, request, object_id):
        issue = self.get_object(request, object_id)
        if issue is None:
            raise Http404("No such issue.")
        if not self.has_export_permission(request, issue):
            raise PermissionDenied
        return issue

    def page_context(self, request, title, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
            **context,
        }

    def build_view(self, request):
        """A new draft issue from the week's articles, ready to reorder and trim."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BuildIssueForm(request.POST or None, newsletter=default_newsletter(None))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            issue = services.build_issue(
                data["newsletter"], data["start"], data["end"], data["sections"], data["subject"]
            )
            if issue is None:
                form.add_error(
                    None,
                    "No published articles in those sections between those times; "
                    "no issue was created.",
                )
            else:
                self.log_addition(request, issue, [{"added": {}}])
                count = issue.items.count()
                self.message_user(
                    request,
                    f"Created {issue.newsletter} #{issue.number} with {count} "
                    f"article{'s' if count != 1 else ''}. Reorder, trim and add blurbs below.",
                    messages.SUCCESS,
                )
                return redirect("admin:newsletter_issue_change", issue.pk)
        context = self.page_context(request, "New issue from the last 7 days", form=form)
        return TemplateResponse(request, "admin/newsletter/issue/build.html", context)

    def preview_view(self, request, object_id):
        """The HTML and plain-text parts side by side, as the export will write them."""
        issue = self.exportable_issue(request, object_id)
        form = PreviewForm(request.GET or None)
        dialect, recipient = "generic", None
        if form.is_valid():
            dialect = form.cleaned_data["dialect"]
            recipient = form.cleaned_data["recipient"] or None
        if dialect == "none" and recipient is None:
            recipient = request.user.email or None
        parts, errors = {}, []
        for fmt in ("html", "text"):
            try:
                content, _, _ = export.export_issue(
                    issue, fmt, dialect=dialect, recipient=recipient
                )
            except export.ExportError as error:
                if str(error) not in errors:
                    errors.append(str(error))
            else:
                parts[fmt] = content.decode()
        export_form = ExportForm(
            initial={"dialect": dialect, "recipient": recipient or request.user.email}
        )
        context = self.page_context(
            request,
            f"Preview: {issue}",
            issue=issue,
            original=issue,
            form=form,
            export_form=export_form,
            dialect=dialect,
            html=parts.get("html"),
            text=parts.get("text"),
            errors=errors,
        )
        return TemplateResponse(request, "admin/newsletter/issue/preview.html", context)

    def export_view(self, request, object_id):
        """The issue as a download, in the format and dialect the email service wants."""
        issue = self.exportable_issue(request, object_id)
        back = reverse("admin:newsletter_issue_preview", args=[issue.pk])
        form = ExportForm(request.GET)
        if not form.is_valid():
            problems = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
            )
            self.message_user(request, f"Could not export: {problems}", messages.ERROR)
            return redirect(back)
        data = form.cleaned_data
        try:
            content, content_type, filename = export.export_issue(
                issue,
                data["format"],
                dialect=data["dialect"],
                recipient=form.recipient_for(request.user),
            )
        except export.ExportError as error:
            self.message_user(request, f"Could not export {issue}: {error}", messages.ERROR)
            return redirect(f"{back}?dialect={data['dialect']}")
        return HttpResponse(
            content,
            content_type=content_type,
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Consent records: staff may read them; only a superuser may touch one."""

    list_display = ["email", "newsletter", "status", "created_at", "consent", "source_url"]
    list_filter = ["newsletter", "status"]
    list_select_related = ["newsletter"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = [
        "newsletter",
        "email",
        "status",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "source_url",
    ]
    # Status and its timestamps record what the reader did; nobody rewrites that by hand.
    readonly_fields = ["status", "created_at", "confirmed_at", "unsubscribed_at", "source_url"]

    @admin.display(description="consent", ordering="confirmed_at")
    def consent(self, obj):
        return obj.confirmed_at

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
