"""Responsive pictures from our renditions, and the library images placed in article bodies."""

import re

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import cache_tags
from articles.images.models import Image, Rendition, stored_renditions
from rs_cms import pagecache

register = template.Library()

# The <source> elements, best format first; JPEG is the <img> itself.
SOURCE_TYPES = {
    Rendition.Format.AVIF: "image/avif",
    Rendition.Format.WEBP: "image/webp",
}
# The <img src> for the rare browser that ignores srcset: the widest rendition up to this.
FALLBACK_WIDTH = 1280

# An image from the library placed in a body: <figure data-image="123"></figure>.
PLACEHOLDER = re.compile(r'<figure\b[^>]*?\bdata-image="([^"]*)"[^>]*>.*?</figure>', re.DOTALL)
IMAGE_ID = re.compile(r"[0-9]{1,18}")
# Body images fill the text column (.wrap-narrow: 700px and its gutters).
BODY_SIZES = "(min-width: 764px) 700px, 100vw"


def srcset(renditions):
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


def upright_size(image, rendition):
    """The image's size as shown: its stored size is the file's, before EXIF turns it upright."""
    width, height = image.width, image.height
    if not (width and height):
        return rendition.width, rendition.height
    as_stored = abs(rendition.width * height - rendition.height * width)
    turned = abs(rendition.width * width - rendition.height * height)
    return (width, height) if as_stored <= turned else (height, width)


def picture_context(image, sizes, loading="lazy", fetchpriority="", alt=None, css_class=""):
    """What picture_html() needs: the renditions, or the display copy while they are missing;
    no picture at all without either. Never the original (private), and never an encoder: a
    reader's request shows what the upload made."""
    if image is None:
        return {"src": ""}
    by_format = {}
    for rendition in stored_renditions(image):
        by_format.setdefault(rendition.format, []).append(rendition)
    jpegs = by_format.get(Rendition.Format.JPEG)
    if jpegs:
        fallback = [rendition for rendition in jpegs if rendition.width <= FALLBACK_WIDTH]
        src = (fallback or jpegs)[-1].url
        width, height = upright_size(image, jpegs[-1])
        sources = [
            {"type": mime_type, "srcset": srcset(by_format[format])}
            for format, mime_type in SOURCE_TYPES.items()
            if format in by_format
        ]
    elif image.display_file:
        # Not made yet (the worker makes them after the upload), or lost.
        src, jpegs, sources = image.display_file.url, [], []
        width, height = image.display_width, image.display_height
    else:
        return {"src": ""}
    return {
        "src": src,
        "srcset": srcset(jpegs),
        "sources": sources,
        "sizes": sizes,
        "width": width,
        "height": height,
        "alt": image.alt_text if alt is None else alt,
        "css_class": css_class,
        "lazy": loading == "lazy",
        "fetchpriority": fetchpriority,
    }


def picture_html(context):
    """The <picture> for picture_context()'s answer: AVIF and WebP <source>s, a JPEG <img>.

    Written out here rather than by a template: a front page has some thirty of them, and an
    included template cost more than everything else about a picture."""
    if not context["src"]:
        return ""
    sizes = context["sizes"]
    sources = "".join(
        f'<source type="{escape(source["type"])}" srcset="{escape(source["srcset"])}"'
        f' sizes="{escape(sizes)}">'
        for source in context["sources"]
    )
    attributes = [("src", context["src"])]
    if context["srcset"]:
        attributes += [("srcset", context["srcset"]), ("sizes", sizes)]
    if context["width"] and context["height"]:
        attributes += [("width", context["width"]), ("height", context["height"])]
    attributes.append(("alt", context["alt"]))
    if context["css_class"]:
        attributes.append(("class", context["css_class"]))
    if context["lazy"]:
        attributes.append(("loading", "lazy"))
    attributes.append(("decoding", "async"))
    if context["fetchpriority"]:
        attributes.append(("fetchpriority", context["fetchpriority"]))
    img = "".join(f' {name}="{escape(value)}"' for name, value in attributes)
    return mark_safe(f"<picture>{sources}<img{img}></picture>")


@register.simple_tag
def picture(image, sizes="100vw", loading="lazy", fetchpriority="", alt=None, **attributes):
    """A <picture> with AVIF and WebP sources and a JPEG <img>.

    {% picture article.top_image sizes="100vw" loading="eager" fetchpriority="high" %};
    alt defaults to the image's alt text (alt="" for a decorative picture), class= goes on the
    <img>. Renditions come from the image's own row; until they exist, the display copy."""
    css_class = attributes.pop("class", "")
    if attributes:
        raise template.TemplateSyntaxError(
            f"picture got unexpected argument(s): {', '.join(sorted(attributes))}"
        )
    return picture_html(picture_context(image, sizes, loading, fetchpriority, alt, css_class))


def library_image_ids(body):
    return {int(value) for value in PLACEHOLDER.findall(body) if IMAGE_ID.fullmatch(value)}


@register.filter
def with_images(body):
    """The body, trusted as |safe is (sanitised on save), with each library image placeholder
    expanded into a figure: the picture, its caption and its credit. Unknown images vanish."""
    body = body or ""
    if not PLACEHOLDER.search(body):
        return mark_safe(body)
    ids = library_image_ids(body)
    pagecache.shows(*(cache_tags.image(pk) for pk in ids))
    images = {}
    if ids:
        images = Image.objects.filter(pk__in=ids).in_bulk()

    def expand(match):
        image = images.get(int(match[1])) if IMAGE_ID.fullmatch(match[1]) else None
        if image is None:
            return ""
        context = {
            "picture": picture_html(picture_context(image, BODY_SIZES)),
            "image": image,
            "site_name": settings.SITE_NAME,
        }
        return render_to_string("includes/body_image.html", context)

    return mark_safe(PLACEHOLDER.sub(expand, body))
