from pathlib import PurePosixPath

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from articles.images.thumbnails import credit_label, thumbnail, thumbnail_url
from articles.images.uploads import ImageForm
from articles.models import Image
from articles.tasks import make_renditions_later


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
