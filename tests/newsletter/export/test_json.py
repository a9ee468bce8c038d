"""The JSON export."""

import json

from django.utils import timezone

from newsletter import export
from tests.newsletter.export.helpers import SITE, UTM, add_item, make_issue, utm_of


def test_json_describes_the_issue_and_its_items_in_order(newsletter):
    issue = make_issue(newsletter, items=0)
    second = add_item(issue, position=2, blurb="Second, by position.")
    first = add_item(issue, position=1)
    data = json.loads(export.issue_json(issue))

    assert data["newsletter"] == {"name": "The Weekly Round-up", "slug": "weekly-round-up"}
    assert data["number"] == 12
    assert data["subject"] == issue.subject
    assert data["preheader"] == issue.preheader
    assert data["intro_html"] == issue.intro
    assert data["status"] == "draft"
    assert data["campaign"] == "weekly-round-up-12"
    assert data["web_url"] == f"{SITE}/newsletter/weekly-round-up/12/"
    generated = timezone.datetime.fromisoformat(data["generated_at"])
    assert generated.tzinfo is not None
    # The one form every machine-readable date takes (articles.dates): whole seconds.
    assert generated.microsecond == 0
    assert [item["headline"] for item in data["items"]] == [
        first.article.headline,
        second.article.headline,
    ]
    entry = data["items"][1]
    assert entry["position"] == 2
    assert entry["dek"] == second.article.dek
    assert entry["blurb"] == "Second, by position."
    assert entry["url"].split("?")[0] == f"{SITE}{second.article.get_absolute_url()}"
    assert utm_of(entry["url"]) == UTM
    assert entry["section"] == second.article.section.name
    assert entry["authors"] == ["Writer 2"]
    image = second.article.top_image
    assert entry["image"] == {
        "url": f"{SITE}{image.display_file.url}",
        "width": 32,
        "height": 18,
        "url_2x": None,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }
