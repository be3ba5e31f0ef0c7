"""Log-in, log-out, password change and reset, and the language switcher (Django's auth views
with our templates; django-axes counts failed log-ins and shows ``accounts/locked_out.html``,
which offers the password reset as the way in during a lock)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from zdrave.base.identity.actions import save_language
from zdrave.base.identity.lockout import clear_lockout


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


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "sent" (nobody learns which addresses have an account); the mail goes
    through the outbox like every other message."""

    template_name = "identity/password_reset_form.html"
    email_template_name = "identity/password_reset_email.txt"
    subject_template_name = "identity/password_reset_subject.txt"
    success_url = reverse_lazy("identity:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "identity/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "identity/password_reset_confirm.html"
    success_url = reverse_lazy("identity:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved they read the account's mail may log in at once, even from an address
        # that is locked for this user name.
        clear_lockout(form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "identity/password_reset_complete.html"


@require_POST
def change_language(request):
    """Django's ``set_language`` (cookie + redirect back), and for a signed-in user the choice is
    saved on the account so it follows them to any device."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        save_language(request.user, language, actor=request.user)
    return response
