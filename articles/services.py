"""The newsroom's workflows on articles, each in one place: save, publish, unpublish, submit,
trash and restore from the trash, restore a revision, correct.

Every way in calls these: the admin's form, its actions and its history page, load_demo, the
coming importer, a shell. Each runs in one transaction, keeps a revision of what it changed
(joining the caller's when one is being recorded), and moves the page cache's generation once.
What one row must always hold stays in the model (constraints, clean(), save()'s derived
fields); the permission rules stay in workflow.py."""

from contextlib import ExitStack

import reversion
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from articles import moves, previews, workflow
from articles.history import records
from articles.history.restore import Restored, restore_fields, restore_parts, restore_tags
from articles.history.snapshots import saved_at, saved_by, snapshots
from articles.models import Article, Correction
from rs_cms import pagecache

# The fields whose change says something about an article beyond its text.
WORKFLOW_FIELDS = frozenset({"status", "published_at"})


class EditConflict(Exception):
    """Someone else saved the article between this editor's form check and its save."""


# Saving one article.


def save_article(
    article, *, user=None, changed=None, expected_version=None, save_parts=None, comment=None
):
    """Save `article` (new or changed) with the newsroom's rules:

    - the version moves on by one, in a conditional UPDATE: EditConflict if someone saved
      since `expected_version` (by default, the version the row has now);
    - a change to the text (Article.EDITORIAL_FIELDS) dates the article as updated;
    - a new article records who started it; a move to review records when;
    - with a `user`, the status may only move as workflow.py allows them;
    - `save_parts()` (bylines, picks, tags, corrections, as a form saves them) runs after
      the row; then the topic is one of the tags, and a later correction dates the update;
    - an article readers could see and no longer can is taken down for share links too.

    `changed` names the fields the caller changed (a form's changed_data); by default they are
    found by comparing with the stored row."""
    with ExitStack() as stack:
        stack.enter_context(transaction.atomic())
        stack.enter_context(pagecache.changes())
        if not reversion.is_active():
            if not article._state.adding:
                records.record_baselines([article])
            stack.enter_context(records.revision(user, comment or "Saved outside the form."))
        stored = stored_state(article)
        if changed is None:
            changed = changed_fields(article, stored)
        apply_rules(article, stored, set(changed), user, expected_version)
        article.save()
        if save_parts is not None:
            save_parts()
            # Corrections come only with the parts (the form's inline); correct() dates its own.
            date_corrections(article)
        carry_topic(article)
        if stored is not None and stored.is_public and not article.is_public:
            previews.revoke_links([article])
    return article


def stored_state(article):
    """The article as stored (the fields the rules compare), or None for a new one."""
    if article._state.adding:
        return None
    return (
        Article.objects.filter(pk=article.pk)
        .only(*Article.EDITORIAL_FIELDS, *WORKFLOW_FIELDS, "version", "deleted_at")
        .first()
    )


def changed_fields(article, stored):
    """The editorial and workflow fields whose value differs from the stored row."""
    if stored is None:
        return set()
    return {
        name
        for name in Article.EDITORIAL_FIELDS | WORKFLOW_FIELDS
        if getattr(article, Article._meta.get_field(name).attname)
        != getattr(stored, Article._meta.get_field(name).attname)
    }


def apply_rules(article, stored, changed, user, expected_version):
    now = timezone.now()
    if stored is None:
        if article.created_by_id is None and user is not None:
            article.created_by = user
    else:
        if user is not None and "status" in changed:
            workflow.check_transition(stored, article.status, user)
        expected = stored.version if expected_version is None else expected_version
        # The database decides who saved first: a conditional UPDATE on the version.
        if not Article.objects.claim_version(article.pk, expected):
            raise EditConflict
        article.version = expected + 1
        if Article.EDITORIAL_FIELDS & changed:
            article.updated_at = now
    if "status" in changed and article.status == Article.Status.REVIEW:
        article.submitted_at = now


def carry_topic(article):
    """The topic is the article's primary tag, so the article must carry it."""
    if article.topic_id and not article.tags.filter(pk=article.topic_id).exists():
        article.tags.add(article.topic)


def date_corrections(article):
    """A correction is an editorial change: readers see the article as updated at its date."""
    latest = article.corrections.aggregate(latest=Max("published_at"))["latest"]
    if latest is not None and latest > article.updated_at:
        Article.objects.filter(pk=article.pk).update(updated_at=latest)
        article.updated_at = latest


def correct(article, note, *, user=None, published_at=None):
    """Add a dated correction to a published article (and date its update)."""
    with transaction.atomic(), pagecache.changes():
        correction = Correction(article=article, note=note, created_by=user)
        if published_at is not None:
            correction.published_at = published_at
        correction.full_clean()
        correction.save()
        date_corrections(article)
    return correction


def restore_revision(article, version, user):
    """Bring `article`'s content, bylines, related picks and tags back to what `version` stored,
    through save_article()'s rules.

    Other articles in the same revision (a bulk action's) are left alone; the workflow fields
    stay as they are now; the version number moves on, so open forms see a conflict."""
    [old] = snapshots(article, [version])
    revision = version.revision
    comment = f"Restored the version of {saved_at(revision)}"
    if revision.user:
        comment += f" by {saved_by(revision)}"
    left_out = []
    with (
        transaction.atomic(),
        pagecache.changes(),
        reversion.create_revision(manage_manually=True),
    ):
        current = Article.objects.select_for_update().get(pk=article.pk)
        tag_ids = restore_tags(old, left_out)
        changed = restore_fields(current, old, tag_ids, left_out)
        save_article(
            current,
            changed=changed,
            save_parts=lambda: restore_parts(current, old, tag_ids, left_out),
        )
        reversion.set_user(user)
        reversion.set_comment(f"{comment}.")
        # Added last, so the revision follows the bylines, picks and tags as restored.
        reversion.add_to_revision(current)
    return Restored(current, left_out)


# Moving many articles at once (the admin's actions; scripts).


def publish_now(articles, user, comment="Published now (bulk action)."):
    """Publish what readers cannot see yet of `articles` (a queryset); returns how many."""
    chosen = list(articles)
    with transaction.atomic(), pagecache.changes(), records.revised(user, chosen, comment):
        count = articles.publish_now()
        published = Article.objects.filter(pk__in=[article.pk for article in chosen])
        moves.take_over(published.select_related("section"))
    return count


def unpublish(articles, user, comment="Unpublished (bulk action)."):
    chosen = list(articles.filter(status=Article.Status.PUBLISHED))
    with transaction.atomic(), pagecache.changes(), records.revised(user, chosen, comment):
        count = articles.unpublish()
        previews.revoke_links(chosen)
    return count


def submit_for_review(articles, user, comment="Submitted for review (bulk action)."):
    """Submit the drafts among `articles` that `user` may submit; returns how many."""
    drafts = workflow.submittable(articles, user)
    chosen = list(drafts)
    with transaction.atomic(), pagecache.changes(), records.revised(user, chosen, comment):
        return drafts.submit_for_review()


def move_to_trash(articles, user, comment="Moved to the trash (bulk action)."):
    """Move `articles` to the trash (their share links stop working); whatever has waited out
    its time in the trash goes for good. Returns how many were moved."""
    chosen = list(articles)
    with transaction.atomic(), pagecache.changes(), records.revised(user, chosen, comment):
        count = articles.move_to_trash(user)
        previews.revoke_links(chosen)
    Article.objects.expired_from_trash().delete()
    return count


def restore_from_trash(articles, user, comment="Restored from the trash."):
    """Bring back those of `articles` still inside the trash's window; returns how many."""
    chosen = list(articles.restorable())
    with transaction.atomic(), pagecache.changes():
        count = articles.restore_from_trash()
        records.record_revisions(user, chosen, comment)
    return count
