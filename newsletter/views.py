from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView

from articles.models import Article
from newsletter import services, tokens
from newsletter.forms import SignupForm
from newsletter.models import Issue, Newsletter
from rs_cms.ratelimit import client_ip, hit


def message(request, title, text, status=200):
    return render(request, "newsletter/message.html", {"title": title, "text": text}, status=status)


def invalid_link(request):
    return message(
        request, "This link is not valid", "Please copy the whole link from the email.", 400
    )


def default_newsletter(slug):
    newsletters = Newsletter.objects.order_by("pk")
    return newsletters.filter(slug=slug or settings.NEWSLETTER_DEFAULT).first() or (
        None if slug else newsletters.first()
    )


# Public pages are cached whole, so the signup form cannot carry a per-visitor CSRF token.
# A forged signup is harmless: double opt-in means nothing happens until the owner of the
# address clicks the link we mail them.
@csrf_exempt
@require_POST
@never_cache
def signup(request):
    if not hit(
        "signup", client_ip(request), settings.SIGNUP_RATE_LIMIT, settings.SIGNUP_RATE_WINDOW
    ):
        return message(
            request,
            "Too many signups",
            "We received too many signups from your connection. Please try again in a few minutes.",
            status=429,
        )
    form = SignupForm(request.POST)
    if not form.is_valid():
        if "email" not in form.errors:
            # Only the hidden list name can be wrong, and then there is no such list.
            raise Http404("No such newsletter.")
        return render(request, "newsletter/signup_invalid.html", {"form": form}, status=400)
    newsletter = default_newsletter(form.cleaned_data["newsletter"])
    if newsletter is None:
        raise Http404("No such newsletter.")
    if not form.is_bot():
        services.request_subscription(
            newsletter, form.cleaned_data["email"], form.cleaned_data["source"]
        )
    # The same answer for a new, a pending, a confirmed address and a bot: nothing to enumerate.
    return render(request, "newsletter/signup_done.html", {"newsletter": newsletter})


# The signed token is the authority for these two: a cross-site form cannot forge it, and
# mail clients post one-click unsubscribes without cookies (RFC 8058).
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def confirm(request, token):
    try:
        newsletter_id, email, issued_at = tokens.read_confirm_token(token)
    except signing.SignatureExpired:
        return message(
            request,
            "This link has expired",
            "Confirmation links last seven days. Please sign up again and we will send a new one.",
            status=400,
        )
    except signing.BadSignature:
        return invalid_link(request)
    newsletter = get_object_or_404(Newsletter, pk=newsletter_id)
    if request.method == "GET":
        # Mail scanners follow links: only the button below changes anything.
        return render(
            request, "newsletter/confirm.html", {"newsletter": newsletter, "email": email}
        )
    try:
        subscription = services.confirm_subscription(newsletter_id, email, issued_at)
    except services.ConfirmationOutranked:
        return message(
            request,
            "This link is older than your unsubscribe",
            f"{email} unsubscribed from {newsletter.name} after this link was sent, so it no "
            "longer subscribes anyone. To join again, sign up and use the link in the new email.",
            status=400,
        )
    if subscription is None:
        return message(
            request, "We could not find that signup", "Please sign up again.", status=400
        )
    return message(
        request,
        "You are subscribed",
        f"Thank you. {newsletter.name} will arrive at {email}.",
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request, token):
    try:
        newsletter_id, email = tokens.read_unsubscribe_token(token)
    except signing.BadSignature:
        return invalid_link(request)
    newsletter = get_object_or_404(Newsletter, pk=newsletter_id)
    if request.method == "GET":
        return render(
            request, "newsletter/unsubscribe.html", {"newsletter": newsletter, "email": email}
        )
    services.unsubscribe(newsletter_id, email)
    return message(
        request,
        "You are unsubscribed",
        f"{email} will get no more of {newsletter.name}. "
        "Changed your mind? Sign up again at any time.",
    )


class NewsletterDetailView(DetailView):
    model = Newsletter
    template_name = "newsletter/newsletter_detail.html"

    def get_context_data(self, **kwargs):
        issues = self.object.issues.filter(status=Issue.Status.SENT).order_by("-number")[:20]
        return super().get_context_data(issues=issues, **kwargs)


class IssueDetailView(DetailView):
    """The web version of an issue (“view in your browser”)."""

    template_name = "newsletter/issue_detail.html"
    context_object_name = "issue"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Issue.objects.select_related("newsletter"),
            newsletter__slug=self.kwargs["slug"],
            number=self.kwargs["number"],
            # Ready issues too: their emails already link here before staff mark them sent.
            status__in=[Issue.Status.READY, Issue.Status.SENT],
        )

    def get_context_data(self, **kwargs):
        # An article taken down after the issue went out drops out of the web version too.
        items = self.object.ordered_items().filter(article__in=Article.objects.published())
        return super().get_context_data(items=items, **kwargs)
