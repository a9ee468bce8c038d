"""The site as deployed: the public media folder served at MEDIA_URL beside the app."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

import rs_cms.urls


def serve_media(request, path):
    """What the web server in front of the site does: serve MEDIA_ROOT (as it is now)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)\Z", serve_media), *rs_cms.urls.urlpatterns]
