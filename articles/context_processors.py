from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section


def site(request):
    """The masthead's facts, and the section navigation (queried only if a page shows it)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "social_links": settings.SOCIAL_LINKS,
        "preferred_source_url": settings.PREFERRED_SOURCE_URL,
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
    }
