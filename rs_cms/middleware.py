"""The refusal of text no database can hold."""

from django.core.exceptions import BadRequest


def holds_nul(request):
    """Whether the address, the query string, a form field (urlencoded or multipart: names,
    values, uploaded files' names, not their contents) or a cookie holds a NUL character."""
    texts = [request.path]
    for data in (request.GET, request.POST):
        for name, values in data.lists():
            texts += [name, *values]
    texts += [upload.name or "" for upload in request.FILES.values()]
    texts += [*request.COOKIES, *request.COOKIES.values()]
    return any("\x00" in text for text in texts)


class RefuseNulMiddleware:
    """Answer 400 to a request carrying a NUL character anywhere a view might read text.

    PostgreSQL refuses NUL in text (the one character it does; UTF-8 cannot carry a lone
    surrogate, and Django decodes what is not UTF-8 to U+FFFD), and its error was a 500 from
    any lookup, filter or search that passed the value on: the admin's autocomplete and
    changelist filters, a session cookie, the redirects a 404 looks up. Forms refuse NUL in
    their CharFields (ProhibitNullCharactersValidator); this covers everything else, once.
    Goes before the page cache and sessions, after the middleware that adds headers, so the
    400 carries them too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            raise BadRequest("NUL character in the request.")
        return self.get_response(request)
