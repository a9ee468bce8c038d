from urllib.parse import unquote

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from taggit.models import Tag

from articles.models import Article, Author, Redirect, Section
from articles.redirects import serving
from articles.redirects.paths import canonical_site_path, validate_link, validate_site_path


def live_page(path):
    """What readers find at `path` (as a Redirect stores it) now, in words; None when nothing
    of ours answers there.

    Knows the article, section, tag, author and kind pages and the front page; other routes
    (the newsroom, the newsletter) are taken as answering."""
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return None
    slug = match.kwargs.get("slug")
    match match.view_name:
        case "articles:home":
            return "the front page"
        case "articles:article":
            # Readers find only a published article: a draft's address is free to redirect.
            article = Article.objects.published().filter(slug=slug).first()
            return f"the article “{article}”" if article else None
        case "articles:section":
            section = Section.objects.filter(slug=slug).first()
            return f"the section “{section}”" if section else None
        case "articles:tag":
            tag = Tag.objects.filter(slug=slug).first()
            return f"the topic “{tag}”" if tag else None
        case "articles:author":
            author = Author.objects.filter(slug=slug).first()
            return f"the author page of {author}" if author else None
        case "articles:kind":
            kind = match.kwargs["kind"]
            return f"the {Article.Kind(kind).label} page" if kind in Article.Kind.values else None
    return "a page of the site"


class RedirectForm(forms.ModelForm):
    """An editor's redirect: from an address nothing answers at, to one that answers."""

    class Meta:
        model = Redirect
        fields = ["old_path", "new_path"]
        error_messages = {
            "old_path": {
                "unique": "This address already redirects: change that redirect in the list."
            }
        }

    def clean_old_path(self):
        # Checked as typed (a “?” starts a query, not a path), then stored in one form.
        validate_site_path(self.cleaned_data["old_path"])
        old_path = canonical_site_path(self.cleaned_data["old_path"])
        page = live_page(old_path)
        if page is not None:
            raise ValidationError(
                "Readers already reach %(page)s at this address, so a redirect from it would "
                "never be used. To move an article or a section, change its slug or section "
                "instead: its old address then redirects by itself.",
                code="live",
                params={"page": page},
            )
        return old_path

    def clean_new_path(self):
        new_path = self.cleaned_data["new_path"]
        validate_link(new_path)
        return canonical_site_path(new_path)

    def clean(self):
        cleaned_data = super().clean()
        old_path, new_path = cleaned_data.get("old_path"), cleaned_data.get("new_path")
        if not old_path or not new_path:
            return cleaned_data
        if new_path == old_path:
            self.add_error("new_path", "A redirect cannot lead back to its own address.")
            return cleaned_data
        chain = serving.follow(new_path, ignore=self.instance)
        # A chain that never ends is a loop too, among redirects already there.
        looped = len(chain) == serving.LONGEST_CHAIN
        if looped or any(step.new_path == old_path for step in chain):
            self.add_error(
                "new_path",
                ValidationError(
                    "That would make a loop: “%(new)s” already redirects back to “%(old)s”.",
                    code="loop",
                    params={"new": new_path, "old": old_path},
                ),
            )
        elif chain:
            self.add_error(
                "new_path",
                ValidationError(
                    "“%(new)s” itself redirects to “%(final)s”: enter “%(final)s” instead, so "
                    "readers get there in one step.",
                    code="chain",
                    params={"new": new_path, "final": chain[-1].new_path},
                ),
            )
        elif (
            new_path.startswith("/")
            and not serving.is_file_path(new_path)
            and live_page(new_path) is None
        ):
            self.add_error(
                "new_path",
                ValidationError(
                    "Nothing on this site answers at “%(new)s”. Check the address: open the "
                    "page you mean and copy the part after the domain name.",
                    code="not_found",
                    params={"new": new_path},
                ),
            )
        return cleaned_data


class OriginFilter(admin.SimpleListFilter):
    title = "made"
    parameter_name = "made"

    def lookups(self, request, model_admin):
        return [("automatic", "When a page moved"), ("manual", "By an editor")]

    def queryset(self, request, queryset):
        if self.value() in {"automatic", "manual"}:
            return queryset.filter(is_automatic=self.value() == "automatic")
        return queryset


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_path", "new_path", "origin", "created_at"]
    list_filter = [OriginFilter]
    search_fields = ["old_path", "new_path"]
    date_hierarchy = "created_at"
    readonly_fields = ["origin", "created_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["old_path", "new_path"],
                "description": (
                    "Readers who open the old address are sent on to the new one, for good "
                    "(a permanent redirect, which search engines follow). When an article or a "
                    "section changes its address, the redirect is made by itself."
                ),
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [*self.fieldsets, ("Made", {"fields": ["origin", "created_at"]})]

    @admin.display(description="made", ordering="is_automatic")
    def origin(self, obj):
        return "When the page moved" if obj.is_automatic else "By an editor"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        serving.repoint_to(obj)
