"""Made-up articles in bulk, for trying the site at newsroom scale (`load_demo --articles N`).

Every sentence is put together from the fragments below, written for this project: the text
reads like a foreign-policy magazine at a glance and says nothing. Article number n is always
the same article, so loading more later adds to what is there."""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape

PLACES = [
    "the Baltic",
    "the Sahel",
    "the Horn of Africa",
    "the South Caucasus",
    "the Andes",
    "the Gulf",
    "the South China Sea",
    "the High North",
    "Central Asia",
    "the Western Balkans",
    "the Levant",
    "the Pacific islands",
    "the Red Sea",
    "the Black Sea",
    "the Mekong basin",
    "West Africa",
    "the Korean Peninsula",
    "the Eastern Mediterranean",
    "the Caribbean",
    "the Strait of Malacca",
    "the Danube corridor",
    "the Bay of Bengal",
    "the Southern Cone",
    "the Great Lakes region",
]
THEMES = [
    "Sanctions",
    "Arms control",
    "Energy security",
    "Shipping",
    "Alliances",
    "Climate",
    "Migration",
    "Trade policy",
    "Defence budgets",
    "Cyber security",
    "Space",
    "Nuclear diplomacy",
    "Food security",
    "Critical minerals",
    "Drones",
    "Peacekeeping",
    "Elections",
    "Sovereign debt",
    "Semiconductors",
    "Water security",
    "Ports",
    "Pipelines",
    "Export controls",
    "Intelligence",
    "Procurement",
    "Shipbuilding",
    "Development aid",
    "Border security",
]
ACTORS = [
    "ministers",
    "the ruling coalition",
    "regional governments",
    "defence planners",
    "shipping insurers",
    "finance ministries",
    "opposition parties",
    "career diplomats",
    "arms makers",
    "central bankers",
    "aid agencies",
    "port authorities",
    "armed groups",
    "parliaments",
    "the alliance",
    "foreign investors",
    "local mayors",
    "the navies",
    "border officials",
    "negotiators",
    "trade unions",
    "state-owned lenders",
]
VERBS = [
    "are quietly rewriting",
    "have underestimated",
    "keep returning to",
    "can no longer ignore",
    "are betting heavily on",
    "have misread",
    "are hedging against",
    "are paying for",
    "still depend on",
    "are testing",
    "have started to price in",
    "are trying to outlast",
    "want a say in",
    "have grown tired of",
    "are learning to live with",
    "disagree sharply about",
]
OBJECTS = [
    "the old rules",
    "a fragile ceasefire",
    "the cost of deterrence",
    "ageing supply routes",
    "the next round of talks",
    "a shortage of spare parts",
    "promises made at the last summit",
    "cheap credit",
    "the risk of a long stand-off",
    "the freight market",
    "an unfinished treaty",
    "the balance of power",
    "a crowded sea lane",
    "a budget that no longer adds up",
    "a new generation of weapons",
    "the politics of reconstruction",
    "water that crosses borders",
    "a currency under pressure",
    "the question of who pays",
    "a border nobody has drawn",
]
OPENINGS = [
    "For most of the past decade",
    "Behind closed doors",
    "Since the last summit",
    "On paper",
    "In practice",
    "By most estimates",
    "Whatever the communiqués say",
    "Seen from the capital",
    "Over the winter",
    "Long before the crisis",
    "Away from the cameras",
    "At the negotiating table",
    "Quietly",
    "For now",
]
TRENDS = [
    "costs twice what it did",
    "takes longer than anyone planned",
    "depends on a handful of suppliers",
    "draws less attention than it deserves",
    "looks more fragile every month",
    "moves faster than the rules that govern it",
    "matters to more people than it used to",
]
ADJECTIVES = ["sobering", "familiar", "complicated", "surprising", "lopsided", "uneven"]
CLOSERS = [
    "None of this is settled.",
    "The next few months will show how much of it holds.",
    "That is a bet, not a plan.",
    "Nobody involved expects a quick answer.",
    "The rest of the region is watching closely.",
    "It is a slower story than the headlines suggest.",
]
SUBHEADS = [
    "What changed",
    "The money question",
    "Who gains",
    "A harder road",
    "The view from the region",
    "What comes next",
    "Old habits",
    "The limits of leverage",
]
HEADLINES = [
    "{theme}: why {place} matters more than it seems",
    "The quiet contest over {object} in {place}",
    "Why {actor} {verb} {object}",
    "What {place} teaches us about {theme_lower}",
    "After the summit, {object} in {place}",
    "How {theme_lower} is reshaping {place}",
    "{place_cap}’s {adjective} bet on {theme_lower}",
    "In {place}, {actor} {verb} {object}",
]
FIRST_NAMES = [
    "Aino",
    "Bastien",
    "Chiara",
    "Dario",
    "Efua",
    "Farid",
    "Greta",
    "Hiroshi",
    "Ines",
    "Jonas",
    "Kalani",
    "Leila",
    "Marek",
    "Nadia",
    "Oren",
    "Priya",
    "Quentin",
    "Rosa",
    "Sefa",
    "Tomasz",
    "Uma",
    "Viktor",
    "Wen",
    "Yara",
]
LAST_NAMES = [
    "Adeyemi",
    "Bergstrand",
    "Castellanos",
    "Dragomir",
    "Eklund",
    "Fontaine",
    "Garza",
    "Haddad",
    "Ivanova",
    "Jaramillo",
    "Kovac",
    "Lindqvist",
    "Mbeki-Hart",
    "Novak",
    "Okafor",
    "Petrakis",
]

KIND_WEIGHTS = {
    "analysis": 30,
    "news": 18,
    "opinion": 14,
    "reporting": 14,
    "review": 6,
    "qiosk": 18,
}
# Mostly published, as in a real archive; a few of every other state for the newsroom's lists.
STATUS_WEIGHTS = {"published": 960, "draft": 20, "review": 10, "unpublished": 9, "scheduled": 1}
YEARS = 3


@dataclass
class Story:
    """One made-up article: the fields, and the plain text of its body (for the teaser)."""

    number: int
    headline: str
    dek: str
    kind: str
    status: str
    seconds_ago: int
    updated_after: timedelta | None
    body: str
    plain: str
    tags: list = field(default_factory=list)
    author_count: int = 1


def _sentence(rng, place, theme):
    pattern = rng.randrange(6)
    actor, verb, thing = rng.choice(ACTORS), rng.choice(VERBS), rng.choice(OBJECTS)
    if pattern == 0:
        return f"{rng.choice(OPENINGS)}, {actor} in {place} {verb} {thing}."
    if pattern == 1:
        return f"{_cap(actor)} {verb} {thing}, and {rng.choice(ACTORS)} know it."
    if pattern == 2:
        return f"The numbers tell a {rng.choice(ADJECTIVES)} story: {thing} {rng.choice(TRENDS)}."
    if pattern == 3:
        return f"Ask {actor} about {theme.lower()} and the answer comes back to {thing}."
    if pattern == 4:
        return f"{_cap(thing)} {rng.choice(TRENDS)}, which is why {actor} {verb} it."
    return f"{rng.choice(OPENINGS)}, {theme.lower()} was a sideshow; in {place} it no longer is."


def _cap(text):
    return text[:1].upper() + text[1:]


def _paragraph(rng, place, theme, sentences):
    return " ".join(_sentence(rng, place, theme) for _ in range(sentences))


def story(number):
    """Article `number`: always the same one."""
    rng = random.Random(number)
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    place, theme = rng.choice(PLACES), rng.choice(THEMES)
    headline = _cap(
        rng.choice(HEADLINES).format(
            theme=theme,
            theme_lower=theme.lower(),
            place=place,
            place_cap=_cap(place),
            object=rng.choice(OBJECTS),
            actor=rng.choice(ACTORS),
            verb=rng.choice(VERBS),
            adjective=rng.choice(ADJECTIVES),
        )
    )
    # QIOSK items are short news; everything else runs to a magazine piece.
    blocks = [rng.randint(1, 2)] if kind == "qiosk" else [rng.randint(3, 5)] * rng.randint(7, 13)
    html, plain = [], []
    for position, sentences in enumerate(blocks):
        if position and position % 4 == 0:
            subhead = rng.choice(SUBHEADS)
            html.append(f"<h2>{escape(subhead)}</h2>")
            plain.append(subhead)
        text = _paragraph(rng, place, theme, sentences)
        if position == 5:
            html.append(f"<blockquote><p>{escape(text)}</p></blockquote>")
        else:
            html.append(f"<p>{escape(text)}</p>")
        plain.append(text)
    closer = rng.choice(CLOSERS)
    html.append(f"<p>{escape(closer)}</p>")
    plain.append(closer)
    tags = list(dict.fromkeys([theme, _cap(place.removeprefix("the ")), *rng.sample(THEMES, 2)]))
    return Story(
        number=number,
        headline=headline,
        dek=_sentence(rng, place, theme),
        kind=kind,
        status=status,
        seconds_ago=rng.randrange(YEARS * 365 * 24 * 3600),
        updated_after=timedelta(hours=rng.randint(1, 72)) if rng.random() < 0.1 else None,
        body="".join(html),
        plain=" ".join(plain),
        tags=tags[: rng.randint(2, 4)],
        author_count=rng.choices([1, 2, 3], weights=[80, 17, 3])[0],
    )


def author_names():
    """Writers enough for a large archive: every pairing of the names above."""
    return [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES[::3]]


def all_tags():
    return [*THEMES, *(_cap(place.removeprefix("the ")) for place in PLACES)]
