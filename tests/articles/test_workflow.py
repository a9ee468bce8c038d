"""Statuses, who may move an article between them, and what each role may do in the admin."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory
from tests.forms import form_data, soup_of

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")

# (from, to) → may an editor make the move? Every pair of distinct statuses is listed.
EDITOR_MOVES = {
    (Status.DRAFT, Status.REVIEW): True,
    (Status.DRAFT, Status.PUBLISHED): True,
    (Status.DRAFT, Status.UNPUBLISHED): False,
    (Status.REVIEW, Status.DRAFT): True,
    (Status.REVIEW, Status.PUBLISHED): True,
    (Status.REVIEW, Status.UNPUBLISHED): False,
    (Status.PUBLISHED, Status.DRAFT): False,
    (Status.PUBLISHED, Status.REVIEW): False,
    (Status.PUBLISHED, Status.UNPUBLISHED): True,
    (Status.UNPUBLISHED, Status.DRAFT): True,
    (Status.UNPUBLISHED, Status.REVIEW): False,
    (Status.UNPUBLISHED, Status.PUBLISHED): True,
}
WRITER_MOVES = {pair: pair == (Status.DRAFT, Status.REVIEW) for pair in EDITOR_MOVES}


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_in(status, **kwargs):
    was_out = status in (Status.PUBLISHED, Status.UNPUBLISHED)
    published_at = timezone.now() - timedelta(days=1) if was_out else None
    return ArticleFactory(status=status, published_at=published_at, **kwargs)


def post_change(client, article, **changes):
    data = form_data(client.get(change_url(article)), "article_form")
    data.update(changes)
    return client.post(change_url(article), data)


def errors_of(response, field):
    row = soup_of(response).select_one(f".form-row.field-{field}")
    return [item.get_text(strip=True) for item in row.select(".errorlist li")]


def action_names(response):
    select = soup_of(response).find("select", attrs={"name": "action"})
    return {option["value"] for option in select.find_all("option") if option["value"]}


def run_action(client, action, articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [article.pk for article in articles]},
        follow=True,
    )


class TestTransitionRules:
    def test_every_move_is_listed(self):
        assert len(EDITOR_MOVES) == len(Status) * (len(Status) - 1)

    @pytest.mark.parametrize(("move", "allowed"), EDITOR_MOVES.items(), ids=str)
    def test_editor_moves(self, editor, move, allowed):
        old, new = move
        article = article_in(old)
        if allowed:
            workflow.check_transition(article, new, editor)
        else:
            with pytest.raises(ValidationError):
                workflow.check_transition(article, new, editor)

    @pytest.mark.parametrize(("move", "allowed"), WRITER_MOVES.items(), ids=str)
    def test_writer_moves(self, writer, move, allowed):
        old, new = move
        article = article_in(old, created_by=writer)
        if allowed:
            workflow.check_transition(article, new, writer)
        else:
            with pytest.raises(ValidationError):
                workflow.check_transition(article, new, writer)

    def test_a_writer_trying_to_publish_is_told_to_submit_for_review(self, writer):
        article = article_in(Status.DRAFT, created_by=writer)
        with pytest.raises(ValidationError) as refused:
            workflow.check_transition(article, Status.PUBLISHED, writer)
        assert refused.value.code == "needs_editor"

    @pytest.mark.parametrize("new", [Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED])
    def test_a_scheduled_article_can_be_pulled_back(self, editor, new):
        article = ArticleFactory(published_at=timezone.now() + timedelta(hours=3))
        assert article.is_scheduled
        workflow.check_transition(article, new, editor)

    def test_staying_put_is_always_allowed(self, writer):
        for status in Status:
            workflow.check_transition(article_in(status), status, writer)


class TestStatusesThroughTheAdmin:
    @pytest.mark.parametrize(("move", "allowed"), EDITOR_MOVES.items(), ids=str)
    def test_editor_form_offers_and_accepts_exactly_the_allowed_moves(
        self, editor_client, move, allowed
    ):
        old, new = move
        article = article_in(old)
        page = editor_client.get(change_url(article))
        offered = {o["value"] for o in soup_of(page).select("#id_status option")}
        assert (new in offered) is allowed

        response = post_change(editor_client, article, status=new)
        article.refresh_from_db()
        if allowed:
            assert response.status_code == 302, soup_of(response).select(".errorlist")
            assert article.status == new
        else:
            assert response.status_code == 200
            assert errors_of(response, "status")
            assert article.status == old

    def test_publishing_without_a_time_publishes_now(self, editor_client):
        article = article_in(Status.REVIEW)
        before = timezone.now()
        post_change(editor_client, article, status=Status.PUBLISHED)
        article.refresh_from_db()
        assert article.is_public
        assert article.published_at >= before

    def test_a_writer_offered_only_draft_and_review_on_a_new_article(self, writer_client):
        page = writer_client.get(ADD)
        offered = {o["value"] for o in soup_of(page).select("#id_status option")}
        assert offered == {Status.DRAFT, Status.REVIEW}
        assert soup_of(page).select_one("[name=published_at_0]") is None


class TestScheduling:
    def test_scheduled_article_appears_at_its_time_and_not_a_second_before(
        self, client, time_machine
    ):
        when = timezone.now() + timedelta(minutes=30)
        article = ArticleFactory(published_at=when)
        home = reverse("articles:home")

        time_machine.move_to(when - timedelta(seconds=1))
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.headline not in headlines_on(client.get(home))

        time_machine.move_to(when + timedelta(seconds=1))
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.headline in headlines_on(client.get(home))

    def test_editor_schedules_through_the_form(self, editor_client):
        article = article_in(Status.REVIEW)
        when = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
        local = timezone.localtime(when)
        response = post_change(
            editor_client,
            article,
            status=Status.PUBLISHED,
            published_at_0=f"{local:%Y-%m-%d}",
            published_at_1=f"{local:%H:%M:%S}",
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.is_scheduled
        assert article.published_at == when


def headlines_on(response):
    return {link.get_text(strip=True) for link in soup_of(response).select("main a")}


class TestWriters:
    def test_a_writer_creates_a_draft_that_is_theirs(self, writer_client, writer):
        data = form_data(writer_client.get(ADD), "article_form")
        data.update(
            {
                "headline": "Ports and power",
                "slug": "ports-and-power",
                "section": SectionFactory().pk,
            }
        )
        response = writer_client.post(ADD, data)
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        article = Article.objects.get(slug="ports-and-power")
        assert article.created_by == writer
        assert article.status == Status.DRAFT

    def test_a_writer_edits_their_own_draft_and_submits_it(self, writer_client, writer):
        article = article_in(Status.DRAFT, created_by=writer)
        response = post_change(writer_client, article, headline="Sharper", status=Status.REVIEW)
        assert response.status_code == 302, soup_of(response).select(".errorlist")
        article.refresh_from_db()
        assert (article.headline, article.status) == ("Sharper", Status.REVIEW)

    def test_submitting_records_when_the_wait_began(self, writer_client, writer, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        by_form = article_in(Status.DRAFT, created_by=writer)
        by_action = article_in(Status.DRAFT, created_by=writer)
        post_change(writer_client, by_form, status=Status.REVIEW)
        time_machine.shift(timedelta(hours=2))
        run_action(writer_client, "submit_for_review", [by_action])
        by_form.refresh_from_db()
        by_action.refresh_from_db()
        assert by_action.submitted_at - by_form.submitted_at == timedelta(hours=2)

    def test_a_writer_cannot_publish_even_by_forging_the_form(self, writer_client, writer):
        article = article_in(Status.DRAFT, created_by=writer)
        response = post_change(writer_client, article, status=Status.PUBLISHED)
        assert response.status_code == 200
        assert errors_of(response, "status")
        article.refresh_from_db()
        assert article.status == Status.DRAFT

    def test_a_writer_cannot_schedule_by_forging_the_time(self, writer_client, writer):
        article = article_in(Status.DRAFT, created_by=writer)
        response = post_change(
            writer_client, article, published_at_0="2030-01-01", published_at_1="09:00:00"
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.published_at is None

    def test_a_writer_only_reads_other_peoples_published_articles(self, writer_client, make_staff):
        someone_else = make_staff("colleague", "Writers")
        theirs = article_in(Status.PUBLISHED, created_by=someone_else)
        page = writer_client.get(change_url(theirs))
        assert page.status_code == 200
        assert soup_of(page).select_one("input[name=headline]") is None
        response = writer_client.post(change_url(theirs), {"headline": "Hijacked"})
        assert response.status_code == 403
        theirs.refresh_from_db()
        assert theirs.headline != "Hijacked"

    @pytest.mark.parametrize("status", [Status.REVIEW, Status.PUBLISHED, Status.UNPUBLISHED])
    def test_a_submitted_article_is_the_editors(self, writer_client, writer, status):
        article = article_in(status, created_by=writer)
        assert writer_client.post(change_url(article), {"headline": "Late edit"}).status_code == 403
        article.refresh_from_db()
        assert article.headline != "Late edit"

    def test_a_writer_cannot_delete(self, writer_client, writer):
        article = article_in(Status.DRAFT, created_by=writer)
        delete_url = reverse("admin:articles_article_delete", args=[article.pk])
        assert writer_client.post(delete_url, {"post": "yes"}).status_code == 403
        article.refresh_from_db()
        assert not article.is_trashed

    def test_a_writer_sees_only_the_submit_action(self, writer_client):
        article_in(Status.DRAFT)
        assert action_names(writer_client.get(CHANGELIST)) == {"submit_for_review"}

    @pytest.mark.parametrize("action", ["publish_now", "unpublish", "move_to_trash"])
    def test_a_writer_cannot_run_an_editors_action(self, writer_client, writer, action):
        draft = article_in(Status.DRAFT, created_by=writer)
        public = article_in(Status.PUBLISHED, created_by=writer)
        run_action(writer_client, action, [draft, public])
        for article, status in [(draft, Status.DRAFT), (public, Status.PUBLISHED)]:
            article.refresh_from_db()
            assert article.status == status
            assert not article.is_trashed

    def test_submitting_for_review_takes_only_the_writers_own_drafts(
        self, writer_client, writer, make_staff
    ):
        mine = article_in(Status.DRAFT, created_by=writer)
        submitted = article_in(Status.REVIEW, created_by=writer)
        # Not even listed for this writer (test_who_reads_drafts.py): a forged selection.
        theirs = article_in(Status.DRAFT, created_by=make_staff("other", "Writers"))
        response = run_action(writer_client, "submit_for_review", [mine, submitted, theirs])
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert mine.status == Status.REVIEW
        assert theirs.status == Status.DRAFT
        notes = [li.get_text(strip=True) for li in soup_of(response).select(".messagelist li")]
        assert any("Left 1 article" in note for note in notes)

    def test_a_writer_finds_their_own_articles(self, writer_client, writer, make_staff):
        article_in(Status.DRAFT, created_by=writer, headline="Mine")
        article_in(Status.DRAFT, created_by=make_staff("other", "Writers"), headline="Theirs")
        page = soup_of(writer_client.get(CHANGELIST, {"owner": "mine"}))
        rows = page.select("#result_list .field-headline")
        assert [row.get_text(strip=True) for row in rows] == ["Mine"]

    def test_writers_cannot_open_the_trash(self, writer_client):
        trash = reverse("admin:articles_trashedarticle_changelist")
        assert writer_client.get(trash).status_code == 403


class TestEditors:
    def test_an_editor_has_every_editorial_action(self, editor_client):
        article_in(Status.DRAFT)
        assert action_names(editor_client.get(CHANGELIST)) == {
            "publish_now",
            "unpublish",
            "submit_for_review",
            "move_to_trash",
        }

    def test_an_editor_edits_anyones_article(self, editor_client, writer):
        article = article_in(Status.REVIEW, created_by=writer)
        response = post_change(editor_client, article, headline="Edited by the desk")
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.headline == "Edited by the desk"

    def test_publish_and_unpublish_actions(self, editor_client):
        draft = article_in(Status.DRAFT)
        run_action(editor_client, "publish_now", [draft])
        draft.refresh_from_db()
        assert draft.is_public
        run_action(editor_client, "unpublish", [draft])
        draft.refresh_from_db()
        assert draft.status == Status.UNPUBLISHED

    def test_bulk_actions_move_the_version_on(self, editor_client):
        draft = article_in(Status.DRAFT)
        run_action(editor_client, "publish_now", [draft])
        draft.refresh_from_db()
        assert draft.version == 2


class TestNewsletterStaff:
    def test_they_read_articles_and_change_nothing(self, client, make_staff):
        client.force_login(make_staff("news", "Newsletter staff"))
        article = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
        page = client.get(change_url(article))
        assert page.status_code == 200
        assert soup_of(page).select_one("input[name=headline]") is None
        assert client.post(change_url(article), {"headline": "No"}).status_code == 403
        assert client.get(ADD).status_code == 403
        changelist = soup_of(client.get(CHANGELIST))
        assert changelist.find("select", attrs={"name": "action"}) is None
        run_action(client, "publish_now", [article])
        article.refresh_from_db()
        assert not article.is_public
