from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string

from newsletter.models import Newsletter
from newsletter.tokens import confirm_url


@task
def send_confirmation(newsletter_id, email):
    """Mail the link that turns a signup into a subscription."""
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    context = {
        "newsletter": newsletter,
        "confirm_url": confirm_url(newsletter, email),
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        # One line whatever the list's name holds: a line break would fail the header.
        subject=f"Confirm your subscription to {' '.join(newsletter.name.split())}",
        body=render_to_string("newsletter/email/confirm.txt", context),
        to=[email],
    )
    message.attach_alternative(
        render_to_string("newsletter/email/confirm.html", context), "text/html"
    )
    message.send()
