from django.http import HttpResponsePermanentRedirect

from articles.redirects import serving


class RedirectFallbackMiddleware:
    """Answer a “not found” with a permanent redirect when the address has moved.

    Like django.contrib.redirects' fallback, but on our own Redirect table. Only a 404 reads
    the table, so pages that exist cost no query. The query string goes along."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        redirect = serving.find(request.path)
        if redirect is None:
            return response
        query_string = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(serving.with_query(redirect.new_path, query_string))
