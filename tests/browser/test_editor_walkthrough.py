"""An editor, new to the newsroom, illustrates and publishes a story in a real browser."""

import re

import pytest

from articles.models import Article, Image
from tests.conftest import STAFF_PASSWORD
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def pick(page, field_id, term, choice):
    """Choose `choice` in the admin's autocomplete (Select2) for the field `field_id`."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", term)
    page.click(f".select2-results__option:text-is('{choice}')")


def test_editor_uploads_a_credited_image_and_publishes_an_article(
    page, live_server, editor, tmp_path
):
    section = SectionFactory(name="Middle East", slug="middle-east")
    AuthorFactory(name="Leila Mansour")
    older = ArticleFactory(
        section=section, headline="Water and power on the Tigris", tags=["Gulf states"]
    )
    ArticleFactory(section=section, headline="Gulf ports race to expand")
    photo = tmp_path / "port.jpg"
    photo.write_bytes(jpeg_bytes(640, 360))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")

    # Upload a photo: without a credit the form says what is missing and stores nothing.
    page.goto(f"{live_server.url}/admin/articles/image/add/")
    page.set_input_files("#id_file", str(photo))
    page.fill("#id_alt_text", "Container cranes at a Gulf port at dusk")
    page.fill("#id_caption", "Cranes at the new terminal.")
    page.click("input[name=_save]")
    assert "Add the credit" in page.inner_text(".errorlist")
    assert Image.objects.count() == 0
    page.set_input_files("#id_file", str(photo))
    page.fill("#id_credit", "Photo: Sami Haddad / Gulf Wire")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    image = Image.objects.get()
    assert (image.width, image.height, image.credit) == (640, 360, "Photo: Sami Haddad / Gulf Wire")

    # Write the article.
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially("Desalination diplomacy in the Gulf")
    assert page.input_value("#id_slug") == "desalination-diplomacy-in-the-gulf"
    page.fill("#id_dek", "Water plants have become instruments of statecraft.")
    page.select_option("#id_kind", "analysis")
    pick(page, "id_section", "Mid", "Middle East")
    pick(page, "id_top_image", "Cranes", str(image))
    page.wait_for_selector(".rs-image-card img")
    assert "Photo: Sami Haddad / Gulf Wire" in page.inner_text(".rs-image-card")
    # Tags: typing suggests the newsroom's existing tags.
    page.locator("#id_tags").press_sequentially("Water, Gul")
    page.click(".rs-tag-suggestions button:text-is('Gulf states')")
    assert page.input_value("#id_tags") == 'Water, "Gulf states", '
    pick(page, "id_topic", "Gulf", "Gulf states")
    editor_area = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor_area.click()
    page.keyboard.type("The first plants were built for thirsty cities.")
    page.keyboard.press("Enter")
    page.keyboard.type("Now they are bargaining chips.")
    pick(page, "id_bylines-0-author", "Lei", "Leila Mansour")
    pick(page, "id_related_picks-0-related", "Tigris", str(older))
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    article = Article.objects.get(slug="desalination-diplomacy-in-the-gulf")
    assert article.is_public
    assert article.body == (
        "<p>The first plants were built for thirsty cities.</p>"
        "<p>Now they are bargaining chips.</p>"
    )
    assert sorted(article.tags.names()) == ["Gulf states", "Water"]
    assert article.topic.name == "Gulf states"

    # The reader's view: the story with its credit, byline and the editor's related pick.
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page.inner_text("h1") == "Desalination diplomacy in the Gulf"
    assert page.text_content(".article__topic").strip() == "Gulf states"
    assert page.inner_text(".article__byline") == "By Leila Mansour"
    assert re.search(r"Photo: Sami Haddad / Gulf Wire", page.inner_text(".article__image-credit"))
    teasers = page.locator(".related-story__headline")
    assert teasers.first.inner_text() == "Water and power on the Tigris"
    assert teasers.count() == 2  # the pick, then the fill from the same section

    # "Keep reading" opens and closes with the keyboard, no script needed.
    summary = page.locator(".keep-reading summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".keep-reading").first.get_attribute("open") is not None
    page.keyboard.press("Enter")
    assert page.locator(".keep-reading").first.get_attribute("open") is None
