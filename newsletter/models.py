from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from articles.fields import rich_text_field
from articles.models import Article, Byline
from newsletter.validators import validate_header_text


class Newsletter(models.Model):
    # The name and the sender name go into the From and Subject of every email.
    name = models.CharField(max_length=150, validators=[validate_header_text])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    from_name = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_header_text],
        help_text="Sender name; the site name when empty.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletter:detail", kwargs={"slug": self.slug})

    def next_issue_number(self):
        last = self.issues.aggregate(last=models.Max("number"))["last"]
        return (last or 0) + 1

    def default_subject(self, number=None):
        return f"{self.name} #{number or self.next_issue_number()}"


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscription.Status.CONFIRMED)

    def for_email(self, email):
        return self.filter(email__iexact=email.strip())


class Subscription(models.Model):
    """One address on one newsletter, and nothing else about the reader."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.PROTECT, related_name="subscriptions"
    )
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    source_url = models.CharField(
        "source page", max_length=500, blank=True, help_text="The page the reader signed up on."
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(
        "consent given at", null=True, blank=True, help_text="When the reader confirmed."
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The confirmation mail: when the one on its way was first queued (the worker's claim, so
    # a message is never sent twice), and when the last one went out.
    confirmation_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("export_subscribers", "Can export subscribers")]
        constraints = [
            models.UniqueConstraint(
                "newsletter", Lower("email"), name="newsletter_subscription_unique_email"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_at__isnull=False),
                name="newsletter_subscription_confirmed_has_consent",
            ),
            # When the reader left is what outranks older confirmation links: never unknown.
            models.CheckConstraint(
                condition=~models.Q(status="unsubscribed")
                | models.Q(unsubscribed_at__isnull=False),
                name="newsletter_subscription_unsubscribed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["newsletter", "status"], name="subscription_status_idx"),
        ]

    def __str__(self):
        return f"{self.email} on {self.newsletter}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip()
        super().save(*args, **kwargs)


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        READY = "ready", "Ready to send"
        SENT = "sent", "Sent"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    number = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    subject = models.CharField(max_length=150, validators=[validate_header_text])
    preheader = models.CharField(
        max_length=150,
        blank=True,
        validators=[validate_header_text],
        help_text="The line inboxes show after the subject. Keep it under about 100 characters.",
    )
    intro = rich_text_field(blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["newsletter", "-number"]
        permissions = [("export_issue", "Can export issues")]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "number"], name="newsletter_issue_unique_number"
            ),
        ]

    def __str__(self):
        if self.subject.startswith(self.newsletter.name):
            return self.subject
        return f"{self.newsletter} #{self.number}: {self.subject}"

    def get_absolute_url(self):
        return reverse(
            "newsletter:issue", kwargs={"slug": self.newsletter.slug, "number": self.number}
        )

    @property
    def campaign(self):
        """The `utm_campaign` value of this issue's links."""
        return f"{self.newsletter.slug}-{self.number}"

    def ordered_items(self):
        """Items in order, with what the email shows of each article, in three queries."""
        return self.items.select_related("article__section", "article__top_image").prefetch_related(
            models.Prefetch(
                "article__bylines",
                queryset=Byline.objects.select_related("author"),
            )
        )


class IssueItem(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="issue_items")
    position = models.PositiveSmallIntegerField(default=0)
    blurb = models.TextField(
        blank=True, help_text="Optional; replaces the article's teaser in this issue."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="newsletter_issueitem_unique")
        ]

    def __str__(self):
        return f"{self.issue} — {self.article}"

    def get_blurb(self):
        return self.blurb or self.article.teaser_text
