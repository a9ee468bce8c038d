from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsletter.forms import SignupForm


# Public pages are cached whole, so the signup form cannot carry a per-visitor CSRF token.
# Double opt-in (the next issue) makes a forged signup harmless: nothing happens until the
# address's owner confirms.
@csrf_exempt
@require_POST
def signup(request):
    """Accept the signup block's post; subscriptions open with the newsletter issue."""
    form = SignupForm(request.POST)
    status = 200 if form.is_valid() else 400
    return render(request, "newsletter/signup_result.html", {"form": form}, status=status)
