"""The admin's article form: the version an editor started from, the status rules, tags."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from reversion.models import Version
from taggit.models import Tag

from articles import workflow
from articles.models import Article

SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
# Room for the “_2” taggit adds to a slug another tag already has.
TAG_SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length - 4
# The editor's teaser stands in for the opening of the story: a paragraph, not a chapter.
TEASER_MAX_LENGTH = 1000


def slug_for(headline):
    """An address-safe slug (ASCII letters, digits, hyphens) for `headline`.

    A headline with nothing Latin in it (Arabic, say) gets “story-” and a digest of itself:
    the same headline always gives the same slug, and it needs no transliteration table."""
    slug = slugify(headline)[:SLUG_MAX_LENGTH].strip("-_")
    if slug:
        return slug
    return "story-" + hashlib.sha256(headline.encode()).hexdigest()[:12]


class ArticleAdminForm(forms.ModelForm):
    """The article form, with the version the editor started from and the status rules."""

    # Set by the admin for the request being served.
    user = None

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # The admin's fieldsets decide the rest.
        fields = ["status", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        if "status" in self.fields and self.user is not None:
            self.fields["status"].choices = workflow.status_choices(self.instance, self.user)
        if "slug" in self.fields:
            # Left empty, the slug comes from the headline (clean_slug): the admin's own script
            # fills it only from Latin letters.
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Leave empty to make one from the headline."
        if "teaser" in self.fields:
            self.fields["teaser"].max_length = TEASER_MAX_LENGTH
            self.fields["teaser"].validators.append(MaxLengthValidator(TEASER_MAX_LENGTH))
            self.fields["teaser"].widget.attrs["maxlength"] = str(TEASER_MAX_LENGTH)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if not slug:
            headline = self.cleaned_data.get("headline")
            if not headline:
                raise ValidationError(self.fields["slug"].error_messages["required"], "required")
            slug = slug_for(headline)
        in_trash = Article.objects.trashed().filter(slug=slug).exclude(pk=self.instance.pk)
        if in_trash.exists():
            raise ValidationError(
                "An article in the trash has this slug. Restore it, or choose another slug."
            )
        return slug

    def clean_tags(self):
        """Refuse, by name, a tag too long for its column or that could have no page."""
        names = self.cleaned_data["tags"]
        problems = []
        for name in names:
            slug = Tag().slugify(name)
            if len(name) > TAG_MAX_LENGTH:
                problems.append(
                    ValidationError(
                        "The tag “%(start)s…” has %(length)d characters; a tag can have at "
                        "most %(limit)d.",
                        code="tag_too_long",
                        params={"start": name[:30], "length": len(name), "limit": TAG_MAX_LENGTH},
                    )
                )
            elif not slug:
                problems.append(
                    ValidationError(
                        "The tag “%(name)s” needs at least one letter or digit, for its page's "
                        "address.",
                        code="tag_without_slug",
                        params={"name": name},
                    )
                )
            elif len(slug) > TAG_SLUG_MAX_LENGTH:
                problems.append(
                    ValidationError(
                        "The tag “%(start)s…” makes too long an address for its page; shorten it.",
                        code="tag_slug_too_long",
                        params={"start": name[:30]},
                    )
                )
        if problems:
            raise ValidationError(problems)
        return names

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.user is not None:
            workflow.check_transition(self.instance, status, self.user)
        return status

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and cleaned_data.get("version") != self.instance.version:
            self.refuse_as_conflict(cleaned_data.get("version"))
        return cleaned_data

    def refuse_as_conflict(self, started_from):
        """Refuse the save, keep every word the editor typed, and say what happened."""
        current = self.instance.version
        latest = Version.objects.get_for_object(self.instance).select_related("revision__user")
        latest = latest.first()
        who = "another editor"
        when = ""
        if latest is not None:
            revision = latest.revision
            who = revision.user.get_username() if revision.user else "someone"
            when = date_format(timezone.localtime(revision.date_created), "j F Y, H:i")
        compare_url = reverse("admin:articles_article_compare", args=[self.instance.pk])
        self.conflict = {
            "who": who,
            "when": when,
            "started_from": started_from,
            "current": current,
            "compare_url": f"{compare_url}?since={started_from or ''}",
        }
        # The next save is a deliberate overwrite, made after reading this message.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(current)
        # The notice at the top of the form (change_form.html) gives the details and the link.
        raise ValidationError(
            "Not saved: %(who)s saved this article first. Your text is kept below.",
            params={"who": who},
            code="conflict",
        )
