"""Paths on this site as redirects store them: one canonical form however an editor typed one
(percent-encoded or not) and however a request spells it."""

from urllib.parse import quote, unquote_to_bytes

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.encoding import repercent_broken_unicode


def validate_link(value):
    """Accept a path on this site (“/donate/”) or an absolute http(s) URL."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


def validate_site_path(value):
    """A path on this site: starts with one slash, no scheme, host, query or fragment."""
    if not value.startswith("/") or value.startswith("//") or any(c in value for c in "?#\\ "):
        raise ValidationError(
            "Enter a path on this site starting with “/”, such as /asia-pacific/old-slug/."
        )


def path_as_stored(path):
    """A decoded path (request.path) in the form SitePathField stores it: as it is, but for
    "%" and what a typed path cannot hold as it is (space, ?, #, \\, control characters),
    which stay percent-encoded, so that decoding it again gives it back unchanged."""
    return "".join(
        quote(character, safe="")
        if character in "%?# \\" or not character.isprintable()
        else character
        for character in path
    )


def canonical_site_path(value):
    """A path on this site however it was typed (as the address bar shows it, percent-encoded
    in capitals or not, or with its letters) in one form: decoded as Django decodes
    request.path, then path_as_stored(). A full URL is left as it is."""
    if not value.startswith("/") or value.startswith("//"):
        return value
    return path_as_stored(repercent_broken_unicode(unquote_to_bytes(value)).decode())


class SitePathField(models.CharField):
    """A CharField holding a path on this site (or a full URL), always in canonical_site_path()'s
    form: when cleaned, saved and compared in a query alike."""

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_site_path(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return canonical_site_path(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = self.get_prep_value(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


SITE_PATH_HELP = (
    "Paste the address as the browser shows it, or type it with its letters: "
    "percent-encoded characters (such as %D8%B9) are stored decoded, so both are one address."
)
