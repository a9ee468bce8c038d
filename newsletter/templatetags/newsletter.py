from django import template

from newsletter.forms import SignupForm

register = template.Library()


@register.inclusion_tag("includes/newsletter_signup.html")
def newsletter_signup(source=""):
    """The “subscribe to our weekly round-up” block; `source` records the page it sat on."""
    return {"form": SignupForm(), "source": source}
