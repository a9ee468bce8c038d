"""The article's history, compare and restore pages in the admin."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from articles import services
from articles.history.compare import (
    UnreadableChoice,
    body_diff,
    chosen_versions,
    field_rows,
    text_diffs,
)
from articles.history.snapshots import article_versions, saved_at, saved_by, snapshots


class ArticleHistoryMixin:
    """The history page (with its pages of versions), compare and restore, for an article admin."""

    history_per_page = 50
    compare_template = "admin/articles/article/compare.html"

    def article_or_404(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No article with that id.")
        return article

    def history_page_context(self, request, article, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": article,
            "original": article,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
        }

    def history_view(self, request, object_id, extra_context=None):
        """Every saved version of the article, newest first, to compare or restore."""
        article = self.article_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Paginator(article_versions(article), self.history_per_page)
        page = versions.get_page(request.GET.get("p"))
        context = {
            **self.history_page_context(request, article, f"History: {article}"),
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "can_restore": self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, object_id):
        """Two saved versions of the article side by side, as a word-by-word diff."""
        article = self.article_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        context = self.history_page_context(request, article, f"Compare versions: {article}")
        request.current_app = self.admin_site.name
        try:
            versions, note = chosen_versions(article_versions(article), request.GET)
        except UnreadableChoice as error:
            context["error"] = str(error)
            return TemplateResponse(request, self.compare_template, context, status=400)
        context["note"] = note
        if len(versions) == 2:
            old, new = snapshots(article, versions)
            context.update(
                before=old,
                after=new,
                texts=text_diffs(old, new),
                body=body_diff(old.fields.get("body", ""), new.fields.get("body", "")),
                rows=field_rows(old, new),
            )
        else:
            context["only"] = versions[0] if versions else None
        return TemplateResponse(request, self.compare_template, context)

    @method_decorator(require_POST)
    def restore_view(self, request, object_id, version_id):
        """Restore the article's content from one of its saved versions."""
        article = self.article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(article_versions(article), pk=version_id)
        restored = services.restore_revision(article, version, request.user)
        who = f" by {saved_by(version.revision)}" if version.revision.user else ""
        self.message_user(
            request,
            f"Restored the version of {saved_at(version.revision)}{who}. "
            "Its status and publication time are unchanged.",
            messages.SUCCESS,
        )
        for note in restored.left_out:
            self.message_user(request, note, messages.WARNING)
        return redirect(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", quote(article.pk)
        )
