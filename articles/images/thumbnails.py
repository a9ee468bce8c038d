"""Thumbnails of library images for the newsroom's pages (lists, inlines, the issue builder):
always a stripped copy, since the original is private."""

from django.utils.html import format_html

from articles.images.models import Rendition, stored_renditions


def thumbnail_url(image, width=80):
    """A stripped copy of `image` for a thumbnail `width` pixels wide: the narrowest JPEG
    rendition that stays sharp on a 2× screen, or the display copy; "" with neither. The
    original is private."""
    jpegs = [
        rendition
        for rendition in stored_renditions(image)
        if rendition.format == Rendition.Format.JPEG
    ]
    sharp = [rendition for rendition in jpegs if rendition.width >= 2 * width]
    if sharp:
        return sharp[0].url
    if image.display_file:
        return image.display_file.url
    return jpegs[-1].url if jpegs else ""


def thumbnail(image, width=80):
    url = thumbnail_url(image, width) if image is not None else ""
    if not url:
        return "—"
    return format_html(
        '<img src="{}" width="{}" alt="{}" class="rs-thumb" loading="lazy">',
        url,
        width,
        image.alt_text,
    )


def credit_label(image):
    """The picture's credit as staff see it beside a thumbnail: what is owed, or why not."""
    if image is None:
        return "—"
    return image.credit or "Own graphic (no credit needed)"
