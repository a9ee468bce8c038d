"""The change form's share-preview links: the panel, and making and revoking a link."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from articles import previews
from articles.models import PreviewLink
from articles.previews import links_for, url_for


class PreviewLinkForm(forms.Form):
    LIFETIMES = [(1, "1 day"), (3, "3 days"), (7, "7 days"), (30, "30 days")]

    lifetime = forms.TypedChoiceField(
        label="Link works for", choices=LIFETIMES, coerce=int, initial=3
    )


class PreviewLinksMixin:
    """Share-preview links on an article's change form: listed there, made and revoked from it."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["preview_links"] = links_for(obj)
            context["preview_link_form"] = PreviewLinkForm(auto_id="share-link-%s")
            context["can_share_preview"] = self.has_change_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def shareable_article(self, request, object_id):
        """The article behind the URL; 404 if it is not there, 403 if the user may not edit it."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if not request.user.has_perm("articles.add_previewlink"):
            raise PermissionDenied
        return article

    def back_to_preview_links(self, article):
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[article.pk],
            current_app=self.admin_site.name,
        )
        return redirect(f"{url}#preview-links")

    @method_decorator(require_POST)
    def create_preview_link_view(self, request, object_id):
        article = self.shareable_article(request, object_id)
        if article.is_public:
            self.message_user(
                request,
                "This article is already published: send readers its own address instead.",
                messages.ERROR,
            )
            return self.back_to_preview_links(article)
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            choices = ", ".join(label for _, label in PreviewLinkForm.LIFETIMES)
            self.message_user(
                request,
                f"No share link was made: choose how long it should work ({choices}).",
                messages.ERROR,
            )
            return self.back_to_preview_links(article)
        link = previews.share(article, request.user, form.cleaned_data["lifetime"])
        expires = date_format(timezone.localtime(link.expires_at), "j F Y, H:i T")
        self.message_user(
            request,
            f"Share link created. Anyone with it can read this draft until {expires}: "
            f"{url_for(link)}",
            messages.SUCCESS,
        )
        return self.back_to_preview_links(article)

    @method_decorator(require_POST)
    def revoke_preview_link_view(self, request, object_id, link_id):
        article = self.shareable_article(request, object_id)
        link = get_object_or_404(PreviewLink, pk=link_id, article=article)
        if not link.is_valid():
            self.message_user(
                request, "That share link had already stopped working.", messages.WARNING
            )
            return self.back_to_preview_links(article)
        previews.revoke(link)
        self.message_user(
            request, "Share link revoked: it no longer shows the article.", messages.SUCCESS
        )
        return self.back_to_preview_links(article)
