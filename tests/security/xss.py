"""What an XSS vector would need to survive to run, looked for in parsed HTML.

The HTML is parsed twice, the way Python's html.parser reads it and the way a browser does
(html5lib follows the HTML standard's parsing algorithm), since mutation XSS lives in the
difference between the two."""

import html
import json
import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

# Elements that run, restyle or re-target a page, or embed another document.
FORBIDDEN_ELEMENTS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "portal",
    "noscript",
    "template",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcdoc",
    "ping",
    "cite",
    "srcset",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# A browser drops these from a URL before reading its scheme (WHATWG URL: leading C0 controls
# and spaces, and tabs and newlines anywhere).
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]")


def url_scheme_is_dangerous(value):
    """Whether a browser would read `value` (an attribute value, entities decoded) as a
    javascript:, vbscript: or data: URL."""
    # One more round of decoding catches an entity the attribute spelled twice.
    for candidate in (value, html.unescape(value)):
        squeezed = _IGNORED_IN_URL.sub("", candidate).lower()
        if squeezed.startswith(DANGEROUS_SCHEMES):
            return True
    return False


def findings(markup, *, allowed_forms=frozenset(), email=False):
    """Everything in `markup` that could run script, as (parser, what, detail); [] when safe.

    <script type="application/ld+json"> holding valid JSON is data, not script. A <form> whose
    action is in `allowed_forms` is the site's own (search, newsletter signup). An email's
    styles are inline by design, plus one <style> for @media: `email=True` lets them be."""
    found = []
    for parser in ("html.parser", "html5lib"):
        with warnings.catch_warnings():
            # Sanitised text may look like a file name or URL to bs4; it is still HTML.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(markup, parser)
        for element in soup.find_all(True):
            name = element.name.lower()
            if name == "script" and _is_json_data(element):
                continue
            if name == "form" and element.get("action") in allowed_forms:
                continue
            if name in FORBIDDEN_ELEMENTS and not (email and name == "style"):
                found.append((parser, "element", name))
            if name == "meta" and element.has_attr("http-equiv"):
                found.append((parser, "meta http-equiv", element["http-equiv"]))
            if name == "link" and element.get("rel") and "import" in element["rel"]:
                found.append((parser, "link import", element.get("href")))
            for attribute, value in element.attrs.items():
                attribute = attribute.lower()
                values = value if isinstance(value, list) else [value]
                if attribute.startswith("on"):
                    found.append((parser, "event handler", f"{name}[{attribute}]"))
                if attribute == "style" and not email:
                    found.append((parser, "style attribute", name))
                if (attribute in URL_ATTRIBUTES or attribute.endswith(":href")) and any(
                    url_scheme_is_dangerous(str(item)) for item in values
                ):
                    found.append((parser, "dangerous URL", f"{name}[{attribute}]={value!r}"))
    return found


def _is_json_data(element):
    if element.get("type") != "application/ld+json":
        return False
    try:
        json.loads(element.string or "")
    except ValueError:
        return False
    return True
