import re

from django import forms
from django.core.exceptions import ValidationError

from newsletter.models import Issue, Newsletter, Subscription

# `=?charset?q?…?=`: mail programs decode this inside a header, so a literal one typed into a
# subject or an address could smuggle a line break (an encoded CR LF) into what they show.
ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bq]\?[^?\s]*\?=", re.IGNORECASE)
# C0 and C1 controls, and the Unicode line and paragraph separators: no header text needs one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SOURCE_MAX_LENGTH = Subscription._meta.get_field("source_url").max_length


def validate_header_text(value):
    """Refuse text that becomes an email header if it could start a header of its own."""
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            "Keep this to one line: line breaks and control characters cannot go into an "
            "email header.",
            code="header_control",
        )
    if ENCODED_WORD.search(value):
        raise ValidationError(
            "Mail programs read “=?…?=” as encoded text; take it out.", code="header_encoded"
        )


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Email address")
    newsletter = forms.SlugField(required=False, widget=forms.HiddenInput)
    # The page the block sat on: a hint for staff, never a reason to refuse a reader.
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(required=False, label="Leave this empty")

    def clean_email(self):
        """Only an address our confirmation email can carry in its To header, as one address."""
        email = self.cleaned_data["email"]
        invalid = ValidationError("Enter a valid email address.", code="invalid")
        if CONTROL_CHARACTERS.search(email) or ENCODED_WORD.search(email):
            raise invalid
        try:
            email.rpartition("@")[2].encode("idna")
        except UnicodeError:
            raise invalid from None
        return email

    def clean_source(self):
        """A path on this site, on one line, cut to fit its column; anything else is dropped."""
        source = self.cleaned_data["source"]
        if not source.startswith("/") or source.startswith("//"):
            return ""
        return CONTROL_CHARACTERS.sub("", source)[:SOURCE_MAX_LENGTH]

    def is_bot(self):
        return bool(self.data.get("website"))


class NewsletterAdminForm(forms.ModelForm):
    """The list's name and sender name go into the From and Subject of every email."""

    class Meta:
        model = Newsletter
        fields = ["name", "slug", "description", "from_name"]

    def clean_name(self):
        validate_header_text(self.cleaned_data["name"])
        return self.cleaned_data["name"]

    def clean_from_name(self):
        validate_header_text(self.cleaned_data["from_name"])
        return self.cleaned_data["from_name"]


class IssueAdminForm(forms.ModelForm):
    """The subject is a header; the preheader is what inboxes show beside it."""

    class Meta:
        model = Issue
        fields = ["newsletter", "number", "subject", "preheader", "intro", "status", "sent_at"]

    def clean_subject(self):
        validate_header_text(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_preheader(self):
        validate_header_text(self.cleaned_data["preheader"])
        return self.cleaned_data["preheader"]
