from django.db import models
from django.db.models import Q

from articles.redirects.paths import (
    SITE_PATH_HELP,
    SitePathField,
    validate_link,
    validate_site_path,
)


class Redirect(models.Model):
    """An old address that answers 301 with a new one: made when an article or section moves,
    or by an editor."""

    old_path = SitePathField(
        max_length=500,
        unique=True,
        validators=[validate_site_path],
        help_text=f"e.g. /old/path/. {SITE_PATH_HELP}",
    )
    new_path = SitePathField(
        max_length=500,
        validators=[validate_link],
        help_text=f"A path on this site, or a full https:// address. {SITE_PATH_HELP}",
    )
    is_automatic = models.BooleanField(
        default=False, editable=False, help_text="Made when an article or section moved."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_path=models.F("new_path")), name="articles_redirect_not_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def get_absolute_url(self):
        return self.old_path
