"""Donation appeals: campaigns shown on article pages, at most one at a time."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.fields import rich_text_field
from articles.redirects.paths import validate_link


class DonationAppealQuerySet(models.QuerySet):
    def current(self):
        """The appeal to show now: the newest active one whose window contains now."""
        now = timezone.now()
        return (
            self.filter(is_active=True, starts_at__lte=now)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .order_by("-starts_at", "-pk")
        )

    def scheduled(self):
        """Active appeals whose window has not opened yet."""
        return self.filter(is_active=True, starts_at__gt=timezone.now())

    def running_or_due(self, moment):
        """Active appeals that have not ended by `moment`: the running one and those to come."""
        return self.filter(is_active=True).exclude(ends_at__lte=moment)

    def ended(self):
        return self.filter(ends_at__lte=timezone.now())

    def overlapping(self, starts_at, ends_at=None):
        """Active appeals sharing a moment with the window [starts_at, ends_at); None: no end.

        The database refuses a second one (migration 0004); this finds it to say so in words."""
        overlap = Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at)
        if ends_at is not None:
            overlap &= Q(starts_at__lt=ends_at)
        return self.filter(overlap, is_active=True)


class DonationAppeal(models.Model):
    title = models.CharField(max_length=200)
    message = rich_text_field(help_text="A short letter to readers.")
    button_label = models.CharField(max_length=60, default="Donate")
    url = models.CharField(
        "donation page",
        max_length=500,
        validators=[validate_link],
        help_text="A path on this site, such as /donate/, or a full https:// address.",
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Leave empty for no end.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DonationAppealQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="articles_donationappeal_window",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The appeal must end after it starts."})
        if self.is_active and self.starts_at:
            clash = (
                DonationAppeal.objects.overlapping(self.starts_at, self.ends_at)
                .exclude(pk=self.pk)
                .order_by("starts_at")
                .first()
            )
            if clash is not None:
                raise ValidationError(
                    "This window overlaps “%(title)s” (%(window)s). Only one appeal can show at "
                    "a time: change the dates, or untick “Is active” on one of them.",
                    code="overlap",
                    params={"title": clash.title, "window": clash.window_label()},
                )

    def window_label(self):
        """The window in words: “1 Dec – 31 Dec 2026”, “from 1 Dec 2026, no end”."""
        start = timezone.localtime(self.starts_at)
        if self.ends_at is None:
            return f"from {start.day} {start:%b %Y}, no end"
        end = timezone.localtime(self.ends_at)
        first = (
            f"{start.day} {start:%b}" if start.year == end.year else f"{start.day} {start:%b %Y}"
        )
        return f"{first} – {end.day} {end:%b %Y}"

    def is_live(self, moment=None):
        """Whether it shows at `moment` (now): current()'s rule, for one row in hand."""
        moment = moment or timezone.now()
        return (
            self.is_active
            and self.starts_at <= moment
            and (self.ends_at is None or self.ends_at > moment)
        )

    @staticmethod
    def current_among(appeals, moment):
        """Of `appeals` (rows already read), the one current() would give at `moment`."""
        live = [appeal for appeal in appeals if appeal.is_live(moment)]
        return max(live, key=lambda appeal: (appeal.starts_at, appeal.pk), default=None)
