from django import template

from newsletter.forms import SignupForm

register = template.Library()


@register.inclusion_tag("includes/newsletter_signup.html")
def newsletter_signup(source="", newsletter=None):
    """The signup block; `source` records the page it sat on. No query, no per-visitor state."""
    return {"form": SignupForm(), "source": source, "newsletter": newsletter}
