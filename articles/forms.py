from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from articles import workflow
from articles.models import Article


class EditConflict(Exception):
    """Someone else saved the article between this editor's form check and its save."""


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

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        in_trash = Article.objects.trashed().filter(slug=slug).exclude(pk=self.instance.pk)
        if in_trash.exists():
            raise ValidationError(
                "An article in the trash has this slug. Restore it, or choose another slug."
            )
        return slug

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
