"""Links: the issue's UTM parameters, and what is never tagged."""

from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

from newsletter import export
from newsletter.tokens import unsubscribe_url
from tests.newsletter.export.helpers import (
    EXTERNAL,
    PRE_TAGGED,
    SITE,
    UTM,
    hrefs,
    make_issue,
    own_links,
    soup_of,
    text_of,
    utm_of,
)


def test_own_links_carry_the_issue_utm_parameters_exactly_once(newsletter):
    soup = soup_of(make_issue(newsletter), dialect="none", recipient="reader@example.org")

    tagged = [
        href
        for href in own_links(hrefs(soup))
        if "/unsubscribe/" not in href and not href.startswith(PRE_TAGGED.split("?")[0])
    ]
    # Browser and site links twice each, “the team”, and per item its picture, section, headline.
    assert len(tagged) == 11
    for href in tagged:
        assert utm_of(href) == UTM, href


def test_utm_tagging_keeps_other_parameters_and_fragments(newsletter):
    soup = soup_of(make_issue(newsletter))

    about = soup.find("a", string="the team")["href"]
    assert parse_qs(urlsplit(about).query) == {"lang": ["en"], **UTM}
    assert urlsplit(about).fragment == "team"


def test_a_link_already_tagged_is_not_tagged_again(newsletter):
    soup = soup_of(make_issue(newsletter))

    assert soup.find("a", string="our archive")["href"] == PRE_TAGGED


def test_links_to_other_sites_are_untouched(newsletter):
    soup = soup_of(make_issue(newsletter))

    assert soup.find("a", string="an outside report")["href"] == EXTERNAL


def test_the_unsubscribe_link_is_never_tagged(newsletter, time_machine):
    # The recipient's unsubscribe token is timestamped: both renderings share one second.
    time_machine.move_to(timezone.now(), tick=False)
    issue = make_issue(newsletter)
    soup = soup_of(issue, dialect="none", recipient="reader@example.org")

    href = soup.find("a", string="Unsubscribe")["href"]
    assert urlsplit(href).path.startswith("/newsletter/unsubscribe/")
    assert urlsplit(href).query == ""
    lines = text_of(issue, dialect="none", recipient="reader@example.org").splitlines()
    assert lines[lines.index("Unsubscribe:") + 1] == href


def test_tag_url_rules(newsletter):
    issue = make_issue(newsletter, items=0)

    tagged = export.tag_url("/asia/?page=2#latest", issue)
    assert tagged.startswith(f"{SITE}/asia/?page=2&utm_source=weekly-round-up&")
    assert tagged.endswith("#latest")
    assert export.tag_url(tagged, issue) == tagged
    assert export.tag_url("mailto:desk@review.example.org", issue).startswith("mailto:")
    assert export.tag_url("*|UNSUB|*", issue) == "*|UNSUB|*"
    unsubscribe = unsubscribe_url(newsletter, "reader@example.org")
    assert export.tag_url(unsubscribe, issue) == unsubscribe
