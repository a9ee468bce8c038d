from django import forms
from django.core.exceptions import ValidationError

from newsletter.models import Subscription
from newsletter.validators import CONTROL_CHARACTERS, ENCODED_WORD

SOURCE_MAX_LENGTH = Subscription._meta.get_field("source_url").max_length


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
