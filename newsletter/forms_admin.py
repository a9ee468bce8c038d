"""Forms of the newsletter admin's own pages: the round-up builder, preview and export."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from articles.models import Section
from newsletter import export
from newsletter.models import Newsletter

DATETIME_INPUT = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
)
DIALECT_LABELS = {
    "generic": "Generic (plain links, no merge tags)",
    "mailchimp": "Mailchimp merge tags",
    "none": "One recipient (links for that address)",
}
FORMAT_LABELS = {
    "html": "HTML (.html)",
    "text": "Plain text (.txt)",
    "eml": "Email message (.eml)",
    "json": "JSON (.json)",
}


def dialect_choices():
    return [(dialect, DIALECT_LABELS.get(dialect, dialect)) for dialect in export.DIALECTS]


class BuildIssueForm(forms.Form):
    """A new draft issue from the articles published in a period."""

    newsletter = forms.ModelChoiceField(Newsletter.objects.all(), empty_label=None)
    start = forms.DateTimeField(label="From", widget=DATETIME_INPUT)
    end = forms.DateTimeField(label="To", widget=DATETIME_INPUT)
    sections = forms.ModelMultipleChoiceField(
        Section.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one section."},
    )
    subject = forms.CharField(
        max_length=150,
        required=False,
        help_text="Leave empty for “<newsletter name> #<number>”.",
    )

    def __init__(self, *args, newsletter=None, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            now = now or timezone.now()
            self.fields["start"].initial = now - timedelta(days=7)
            self.fields["end"].initial = now
            # Every section starts ticked: a round-up covers the whole magazine unless told not.
            self.fields["sections"].initial = list(Section.objects.values_list("pk", flat=True))
        if newsletter is not None:
            self.fields["newsletter"].initial = newsletter.pk
            self.fields["subject"].widget.attrs["placeholder"] = newsletter.default_subject()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end must come after the start.")
        return cleaned


class PreviewForm(forms.Form):
    dialect = forms.ChoiceField(choices=dialect_choices, initial="generic")
    recipient = forms.EmailField(
        required=False, help_text="Only the one-recipient dialect uses it; yours when empty."
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=lambda: [(fmt, FORMAT_LABELS.get(fmt, fmt)) for fmt in export.FORMATS]
    )
    dialect = forms.ChoiceField(choices=dialect_choices, initial="generic")
    recipient = forms.EmailField(
        required=False,
        help_text="For an .eml file or the one-recipient dialect; yours when empty.",
    )

    def recipient_for(self, user):
        """The address to write into the export, or None when the export needs none."""
        data = self.cleaned_data
        if data["recipient"]:
            return data["recipient"]
        if data["format"] == "eml" or data["dialect"] == "none":
            return user.email or None
        return None
