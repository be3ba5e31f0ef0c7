"""Log-in, log-out, password change and the language switcher (Django's auth views with our
templates; django-axes counts failed log-ins and shows ``accounts/locked_out.html``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from zdrave.base.identity.actions import save_language


class LoginView(auth_views.LoginView):
    template_name = "identity/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link or an image tag cannot sign anyone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "identity/password_change.html"
    success_url = reverse_lazy("identity:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "identity/password_change_done.html"


@require_POST
def change_language(request):
    """Django's ``set_language`` (cookie + redirect back), and for a signed-in user the choice is
    saved on the account so it follows them to any device."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        save_language(request.user, language, actor=request.user)
    return response
