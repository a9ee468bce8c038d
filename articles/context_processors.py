from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.chrome import site_chrome


def site(request):
    """The masthead's facts, and the section navigation (read only if a page shows it)."""
    chrome = SimpleLazyObject(site_chrome)
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "social_links": settings.SOCIAL_LINKS,
        "preferred_source_url": settings.PREFERRED_SOURCE_URL,
        "site_chrome": chrome,
        "nav_sections": SimpleLazyObject(lambda: chrome.sections),
    }
