"""Fields and validators the newsroom's models share."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from articles.sanitize import RichTextField, sanitizer

# Section pages live at /<section-slug>/, so a section may not take a slug the site uses.
RESERVED_SLUGS = frozenset(
    {"admin", "author", "kind", "tag", "feeds", "newsletter", "media", "static", "search"}
    | {"preview", "sitemap.xml", "robots.txt", "donate", "api", "accounts"}
)


def validate_section_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            "“%(value)s” is used by the site itself; choose another slug.",
            params={"value": value},
        )


def staff_member():
    """Who did something to a record: kept as history, cleared if the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


def rich_text_field(extensions=None, **kwargs):
    """A WYSIWYG field whose toolbar and nh3 allow-list come from one setting.

    Size and nesting are capped first, and every save sanitises, not only the admin's forms."""
    extensions = extensions or settings.RICH_TEXT_EXTENSIONS
    return RichTextField(
        config={"extensions": extensions}, sanitize=sanitizer(extensions), **kwargs
    )
