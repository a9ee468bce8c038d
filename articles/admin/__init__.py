"""The newsroom's admin, a module per concern; importing them registers every model admin."""

from articles.admin import appeals, articles, images, redirects, sections, trash  # noqa: F401
