"""The pictures an email shows: which stored copy to send, its size in the column, its credit."""

import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from articles.images.models import Rendition, stored_renditions
from newsletter.export.errors import ExportError

COLUMN_WIDTH = 600
# A picture fills the column; 2× screens get one twice as wide where the client reads srcset.
RETINA_WIDTH = 2 * COLUMN_WIDTH


def email_files(image):
    """(url, width, height) of the picture for the column, and of the one for 2× screens or
    None: JPEG renditions (what every mail client shows), the narrowest at least as wide as
    each; until they exist the display copy alone. None when it has neither. Never the
    original, which is private and may be a camera's full-size file."""
    jpegs = [
        (rendition.url, rendition.width, rendition.height)
        for rendition in stored_renditions(image)
        if rendition.format == Rendition.Format.JPEG
    ]
    if jpegs:
        column = next((jpeg for jpeg in jpegs if jpeg[1] >= COLUMN_WIDTH), jpegs[-1])
        retina = next((jpeg for jpeg in jpegs if jpeg[1] >= RETINA_WIDTH), jpegs[-1])
        return column, retina if retina[1] > column[1] else None
    if image.display_file:
        return (image.display_file.url, image.display_width, image.display_height), None
    return None


def credit_line(image):
    """“Photo: …” from the credit readers see (Image.credit_line), whether or not the editor
    typed “Photo:” already."""
    credit = re.sub(r"^photo\s*:\s*", "", image.credit_line, flags=re.I)
    return f"Photo: {credit}"


def picture(article, base):
    """The article's top picture as the email template shows it, sized to the column."""
    image = article.top_image
    files = email_files(image)
    if files is None or not all(files[0][1:]):
        raise ExportError(
            f"The picture of “{article.headline}” has no copy fit to send yet; "
            "upload it again in the photo library."
        )
    (url, width, height), retina = files
    src = urljoin(base, url)
    if not settings.DEBUG and urlsplit(src).scheme != "https":
        raise ExportError(f"The picture of “{article.headline}” is served from {src}, not https.")
    return {
        "src": src,
        "srcset": f"{src} 1x, {urljoin(base, retina[0])} 2x" if retina else "",
        "width": COLUMN_WIDTH,
        "height": round(COLUMN_WIDTH * height / width),
        "alt": image.alt_text,
        "credit_line": credit_line(image),
    }
