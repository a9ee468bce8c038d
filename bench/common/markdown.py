"""The Markdown the reports print, and the sections of docs/performance.md they share."""

import math
import re


def markdown_table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def other_sections(markdown, titles):
    """The `## ` sections of a Markdown text whose titles are not among `titles`."""
    # Each with its heading and everything up to the next `## ` heading.
    kept = []
    for section in re.split(r"^(?=## )", markdown, flags=re.MULTILINE):
        if section.startswith("## ") and section[3:].splitlines()[0].strip() not in titles:
            kept.append(section.rstrip("\n") + "\n")
    return kept


def replace_section(markdown, title, body):
    """The Markdown text with its `## title` section replaced by `body`, or `body` appended."""
    # Everything else, the text before the first `## ` heading included, stays as it was.
    parts = re.split(r"^(?=## )", markdown, flags=re.MULTILINE)
    section = body.rstrip("\n") + "\n"
    for index, part in enumerate(parts):
        if part.startswith("## ") and part[3:].splitlines()[0].strip() == title:
            separator = "\n" if index < len(parts) - 1 else ""
            parts[index] = section + separator
            return "".join(parts)
    if not markdown.strip():
        return section
    return markdown.rstrip("\n") + "\n\n" + section


def fmt(value, digits=2):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"
