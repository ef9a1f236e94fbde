"""Account pages: sign-in, registration, password reset and change, profile."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from accounts.forms import LoginForm, PortalPasswordResetForm, ProfileForm, RegistrationForm
from accounts.services import (
    RegistrationThrottledError,
    registration_throttle_check,
    user_register,
    user_tokens_revoke,
    user_update_profile,
)
from onestop.client_address import client_ip


def safe_next(request: HttpRequest) -> str:
    """The `next` of the request when it stays on this site (same host, same scheme), else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}" if target else url


class LoginView(auth_views.LoginView):
    """Sign-in; `next` (same host only, Django's check) also rides on the registration link."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["register_url"] = with_next(reverse("register"), safe_next(self.request))
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): the header's logout button posts a form with the CSRF token."""


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    target = safe_next(request)
    if request.user.is_authenticated:
        return redirect(target or "home")
    form = RegistrationForm(request.POST or None)
    page = {"next": target, "login_url": with_next(reverse("login"), target)}
    if request.method == "POST":
        try:
            registration_throttle_check(ip=client_ip(request))
        except RegistrationThrottledError as error:
            # Unbound, so the answer says nothing about the CCCD or phone that was typed.
            keep = {
                name: request.POST.get(name, "")
                for name in ("full_name", "cccd", "phone", "email", "residence", "address")
            }
            form = RegistrationForm(initial=keep)
            return render(
                request,
                "accounts/register.html",
                {"form": form, "throttled": str(error), **page},
                status=429,
            )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = user_register(
            full_name=data["full_name"],
            cccd=data["cccd"],
            phone=data["phone"],
            email=data["email"],
            password=data["password1"],
            residence=data["residence"],
            address=data["address"],
        )
        login(request, user, backend="accounts.auth_backends.IdentifierBackend")
        messages.success(
            request,
            _("Đăng ký tài khoản thành công. Chào mừng %(name)s!") % {"name": user.full_name},
        )
        return redirect(target or "home")
    return render(request, "accounts/register.html", {"form": form, **page})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "full_name": user.full_name,
        "phone": user.phone or "",
        "email": user.email,
        "address": user.address,
        "residence": user.residence_id,
    }
    form = ProfileForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Đã cập nhật thông tin tài khoản."))
        return redirect("profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "profile_user": user,
            "api_token": Token.objects.filter(user=user).first(),
        },
    )


@login_required
@require_POST
def profile_tokens_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke the user's API tokens (the profile page's button)."""
    if user_tokens_revoke(user=request.user):
        messages.success(
            request, _("Đã thu hồi mã truy cập API. Các ứng dụng dùng mã cũ phải đăng nhập lại.")
        )
    else:
        messages.info(request, _("Tài khoản không có mã truy cập API nào."))
    return redirect("profile")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/emails/password_reset.subject.txt"
    email_template_name = "accounts/emails/password_reset.txt"
    html_email_template_name = "accounts/emails/password_reset.html"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        user_tokens_revoke(user=form.user)  # a reset password also retires the API tokens
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user_tokens_revoke(user=form.user)  # the old password's API tokens stop working
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response
