"""Rich text: a cap on size and nesting depth, then nh3, on every way in (forms, shell, imports).

nh3's parser slows down with the square of the nesting depth (10,000 nested elements, 150 KB,
take seconds), so the depth is measured before nh3 sees the text, by a scan that follows the
HTML tokenizer. Where it cannot tell markup from text (inside <script>, <style>, <textarea>,
CDATA…) it counts every "<" as an element that no end tag closes. It may overcount hostile
input but never undercounts beyond the elements a browser adds itself (a table's <tbody> and
<tr>, tests/security/test_sanitizer.py); the editor's own output counts exactly.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django_prose_editor.fields import ProseEditorField, create_sanitizer

# Elements that never hold content, so never add a level.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr", "basefont", "bgsound", "frame", "keygen"}
)
# Elements whose content the tokenizer reads as text (or may, depending on the context).
RAW_TEXT_ELEMENTS = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"}
)
_RAW_TEXT_END = {
    # ASCII only: a case-insensitive Unicode match would take "</ſcript>" for "</script>".
    name: re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE | re.ASCII)
    for name in RAW_TEXT_ELEMENTS
}
# HTML lowercases ASCII letters only in tag names.
# Cleaning runs until the text comes back unchanged: once for what the editor sends, twice
# for most else, rarely more.
MAX_PASSES = 4
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SPACE = r"\t\n\f\r "
# One token after a "<", the way the HTML tokenizer reads it: a tag (with attributes, whose
# quoted values may hold ">" or "</p>"), a comment (with its abrupt "<!-->" endings), CDATA,
# or a bogus comment ("<!…>", "<?…>", "</ …>"). A "<" before anything else is text.
_TOKEN = re.compile(
    rf"""<(?:
        (?P<end>/?)(?P<name>[A-Za-z][^{_SPACE}/>]*)
        (?>
            [{_SPACE}/]+
          | (?:=|[^{_SPACE}/>=])[^{_SPACE}/>=]*
            (?>[{_SPACE}]*=[{_SPACE}]*(?>"[^"]*"?|'[^']*'?|[^{_SPACE}>]*))?
        )*+
        (?P<close>>?)
      | !--(?:-?>|.*?--!?>|.*)
      | !\[CDATA\[(?P<cdata>)
      | [!?/][^>]*>?
    )""",
    re.VERBOSE | re.DOTALL,
)


def nesting_depth(html, stop_above=None):
    """How deep `html` nests its elements; stops counting once past `stop_above`.

    An end tag closes only the innermost open element, and only if it names it: misnested
    markup counts deeper than a browser would build it, never shallower."""
    stack = []
    deepest = 0
    position = 0
    while match := _TOKEN.search(html, position):
        position = match.end()
        name = match["name"]
        if name is None:
            if match["cdata"] is not None:
                # CDATA in SVG runs to "]]>"; in HTML it is a comment up to ">": assume the longer.
                end = html.find("]]>", position)
                position = len(html) if end < 0 else end
                stack += [None] * html.count("<", match.end(), position)
        elif not match["close"]:
            break  # The text ends inside a tag, which the tokenizer then drops.
        elif match["end"]:
            if stack and stack[-1] == name.translate(_ASCII_LOWER):
                stack.pop()
        elif (name := name.translate(_ASCII_LOWER)) not in VOID_ELEMENTS:
            stack.append(name)
            if name == "plaintext":
                stack += [None] * html.count("<", position)
                position = len(html)
            elif name in RAW_TEXT_ELEMENTS:
                end = _RAW_TEXT_END[name].search(html, position)
                end = len(html) if end is None else end.start()
                if name == "script" and "<!--" in html[position:end]:
                    # An escaped script may run past its first "</script>".
                    end = len(html)
                # Text here, unless (in SVG, say) it is markup: each "<" may open an element.
                stack += [None] * html.count("<", position, end)
                position = end
        deepest = max(deepest, len(stack))
        if stop_above is not None and deepest > stop_above:
            break
    return deepest


def check_caps(html):
    """Refuse rich text too big or too deeply nested to sanitise: never truncate it quietly."""
    limit = settings.RICH_TEXT_MAX_BYTES
    # Cheap bounds first: UTF-8 takes one to four bytes a character.
    if len(html) > limit or (len(html) * 4 > limit and len(html.encode()) > limit):
        raise ValidationError(
            "This text is too long: %(size)s KB, where the limit is %(limit)s KB. "
            "Split it, or remove what was pasted in by mistake.",
            code="rich_text_too_long",
            params={"size": -(-len(html.encode()) // 1000), "limit": limit // 1000},
        )
    max_depth = settings.RICH_TEXT_MAX_DEPTH
    # Every level starts with a "<": few of them, and there is nothing to count.
    if html.count("<") > max_depth and nesting_depth(html, stop_above=max_depth) > max_depth:
        raise ValidationError(
            "This text nests lists, quotes or other elements more than %(limit)s levels deep. "
            "Flatten it, or paste it as plain text.",
            code="rich_text_too_deep",
            params={"limit": max_depth},
        )


def sanitizer(extensions):
    """The one way rich text is cleaned: the caps, then nh3 with the editor's allow-list."""
    clean = create_sanitizer(extensions)

    def sanitize(html):
        check_caps(html)
        # Markup a browser rebuilds differently (<a><table><a>) can leave a tree that reads
        # back otherwise ("<a><a></a></a>"): clean again until the text reads back as itself.
        for _ in range(MAX_PASSES):
            cleaned = clean(html)
            if cleaned == html:
                break
            html = cleaned
        return html

    return sanitize


class RichTextField(ProseEditorField):
    """django-prose-editor's field, sanitised on every save as well as in forms."""

    def pre_save(self, model_instance, add):
        return self.sanitize_on(model_instance)

    def sanitize_on(self, model_instance):
        """Sanitise the field's value on `model_instance` in place; refuse it over the caps."""
        value = getattr(model_instance, self.attname)
        if value is None:
            return value
        try:
            value = self.sanitize(value)
        except ValidationError as error:
            raise ValidationError({self.name: error.error_list}) from None
        setattr(model_instance, self.attname, value)
        return value
