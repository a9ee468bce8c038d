"""Who may move an article from one status to another."""

from django.core.exceptions import ValidationError

from articles.models import Article

Status = Article.Status

# Every move the newsroom makes. A scheduled article (published, with a time still ahead) can
# also go back to draft or review: readers have not seen it.
TRANSITIONS = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.UNPUBLISHED},
    Status.UNPUBLISHED: {Status.PUBLISHED, Status.DRAFT},
}
SCHEDULED_TRANSITIONS = {Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED}
# What a writer, who cannot publish, may do with their own draft.
WRITER_TRANSITIONS = {Status.DRAFT: {Status.REVIEW}}


def can_publish(user):
    return user.has_perm("articles.publish_article")


def readable(articles, user):
    """Of `articles`, those `user` may open in the newsroom (list, form, history, compare,
    share links, autocomplete).

    Editors (who may publish) read everything. Writers (who may start an article) read their
    own articles, the ones they started, as the workflow counts them (has_change_permission),
    and what readers can see; not a colleague's draft, a story in review or a scheduled one.
    Everyone else with view_article (newsletter staff, picking stories for an issue) reads
    what is published or scheduled."""
    if can_publish(user):
        return articles
    if user.has_perm("articles.add_article"):
        return articles.filter(created_by=user.pk) | articles.published()
    return articles.filter(status=Status.PUBLISHED)


def submittable(articles, user):
    """Of `articles`, the drafts `user` may submit for review: a writer, only their own."""
    drafts = articles.filter(status=Status.DRAFT)
    if not can_publish(user):
        drafts = drafts.filter(created_by=user)
    return drafts


def next_statuses(article, user):
    """The statuses `user` may move `article` to, not counting the one it has."""
    current = Status(article.status)
    if not can_publish(user):
        return set(WRITER_TRANSITIONS.get(current, set()))
    allowed = set(TRANSITIONS[current])
    if article.is_scheduled:
        allowed |= SCHEDULED_TRANSITIONS
    return allowed


def status_choices(article, user):
    """Choices for the status field: the current status, then the moves `user` may make."""
    allowed = next_statuses(article, user) | {Status(article.status)}
    return [(status.value, status.label) for status in Status if status in allowed]


def check_transition(article, new_status, user):
    """Raise ValidationError unless `user` may move `article` to `new_status`."""
    if new_status == article.status:
        return
    if new_status in next_statuses(article, user):
        return
    if new_status in (Status.PUBLISHED, Status.UNPUBLISHED) and not can_publish(user):
        raise ValidationError(
            "Only editors can publish, schedule or unpublish. Submit the article for review.",
            code="needs_editor",
        )
    raise ValidationError(
        "An article cannot go from “%(old)s” to “%(new)s”.",
        code="transition",
        params={"old": Status(article.status).label, "new": Status(new_status).label},
    )
