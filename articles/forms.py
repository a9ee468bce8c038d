"""The public site's forms."""

from django import forms

from articles.models import Article, Section


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, widget=forms.SearchInput)
    section = forms.ModelChoiceField(
        Section.objects.all(), required=False, to_field_name="slug", empty_label="All sections"
    )
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Article.Kind.choices], required=False)
