"""The final allow-list pass over the inlined HTML."""

from bs4 import BeautifulSoup

from newsletter import export
from newsletter.export import html as export_html
from tests.newsletter.export.helpers import EXTERNAL, add_item, make_issue

RICH_INTRO = (
    "<h2>This week</h2><p><strong>Ports</strong>, <em>cables</em><br>and "
    f'<a href="{EXTERNAL}" title="The report" rel="nofollow">a report</a>.</p>'
    '<h3>Also</h3><ul><li>one</li></ul><ol start="3"><li>three</li></ol>'
    "<blockquote><p>A quote.</p></blockquote>"
)


def declarations(style):
    """A style attribute as {property: value}, spacing and quote marks aside."""
    pairs = (rule.split(":", 1) for rule in style.split(";") if rule.strip())
    return {name.strip(): "".join(value.split()).replace("'", '"') for name, value in pairs}


def test_the_final_cleaning_keeps_everything_a_normal_issue_shows(newsletter, monkeypatch):
    issue = make_issue(newsletter, intro=RICH_INTRO)
    add_item(issue, position=2, blurb="Why it matters.", image=False)
    inlined = []
    clean_email = export.clean_email

    def keep_inlined(document, rewrite_href):
        inlined.append(document)
        return clean_email(document, rewrite_href)

    monkeypatch.setattr(export_html, "clean_email", keep_inlined)
    cleaned = BeautifulSoup(export.render_html(issue), "html5lib")
    [document] = inlined
    before = BeautifulSoup(document, "html5lib")

    assert cleaned.get_text() == before.get_text()
    pairs = list(zip(before.find_all(True), cleaned.find_all(True), strict=True))
    for old, new in pairs:
        assert new.name == old.name
        assert set(new.attrs) == set(old.attrs), old
        for name, value in old.attrs.items():
            if name == "style":
                assert declarations(new["style"]) == declarations(value), old
            elif name != "href":
                assert new[name] == value, old
    links = [(old["href"], new["href"]) for old, new in pairs if old.name == "a"]
    assert len(links) == 14
    for old, new in links:
        assert (
            new == old
            or new.startswith(f"{old}?utm_")
            or old.startswith(export.UNSUBSCRIBE_PLACEHOLDER)
        )
