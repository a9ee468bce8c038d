"""The one error an export raises."""


class ExportError(Exception):
    """Why an issue cannot be exported, in words for the newsletter staff."""
