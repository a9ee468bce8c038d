"""The article's history, compare and restore pages in the admin."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from articles import services
from articles.history.compare import (
    UnreadableChoice,
    body_diff,
    chosen_versions,
    field_rows,
    text_diffs,
)
from articles.history.snapshots import article_versions, saved_at, saved_by, snapshots

HISTORY_PAGE_SIZE = 50


def article_or_404(model_admin, request, object_id):
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No article with that id.")
    return article


def page_context(model_admin, request, article, title):
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "module_name": str(capfirst(model_admin.opts.verbose_name_plural)),
        "object": article,
        "original": article,
        "opts": model_admin.opts,
        "preserved_filters": model_admin.get_preserved_filters(request),
    }


def history_view(model_admin, request, object_id, extra_context=None):
    """Every saved version of the article, newest first, to compare or restore."""
    article = article_or_404(model_admin, request, object_id)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    page = Paginator(article_versions(article), HISTORY_PAGE_SIZE).get_page(request.GET.get("p"))
    context = {
        **page_context(model_admin, request, article, f"History: {article}"),
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "can_restore": model_admin.has_change_permission(request, article),
        **(extra_context or {}),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, model_admin.object_history_template, context)


def compare_view(model_admin, request, object_id):
    """Two saved versions of the article side by side, as a word-by-word diff."""
    article = article_or_404(model_admin, request, object_id)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    context = page_context(model_admin, request, article, f"Compare versions: {article}")
    request.current_app = model_admin.admin_site.name
    template = "admin/articles/article/compare.html"
    try:
        versions, note = chosen_versions(article_versions(article), request.GET)
    except UnreadableChoice as error:
        context["error"] = str(error)
        return TemplateResponse(request, template, context, status=400)
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
    return TemplateResponse(request, template, context)


def restore_view(model_admin, request, object_id, version_id):
    """Restore the article's content from one of its saved versions (POST only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = article_or_404(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    version = get_object_or_404(article_versions(article), pk=version_id)
    restored = services.restore_revision(article, version, request.user)
    who = f" by {saved_by(version.revision)}" if version.revision.user else ""
    model_admin.message_user(
        request,
        f"Restored the version of {saved_at(version.revision)}{who}. "
        "Its status and publication time are unchanged.",
        messages.SUCCESS,
    )
    for note in restored.left_out:
        model_admin.message_user(request, note, messages.WARNING)
    opts = model_admin.opts
    return redirect(
        f"admin:{opts.app_label}_{opts.model_name}_change",
        quote(article.pk),
    )
