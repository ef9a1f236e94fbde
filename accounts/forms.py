"""Account forms: sign-in, registration, profile. Rules live in validators and services."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import (
    InvalidCredentialsError,
    LoginThrottledError,
    user_authenticate,
)
from accounts.validators import normalize_phone, validate_cccd, validate_phone
from onestop.client_address import client_ip
from onestop.forms import ResidenceField


class LoginForm(AuthenticationForm):
    """Sign-in by username, CCCD, phone or email, with throttled failures."""

    username = forms.CharField(
        label=_("Số CCCD, số điện thoại, email hoặc tên đăng nhập"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean(self) -> dict:
        identifier = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if identifier and password:
            try:
                self.user_cache = user_authenticate(
                    request=self.request,
                    identifier=identifier,
                    password=password,
                    ip=client_ip(self.request) if self.request else None,
                    now=timezone.now(),
                )
            except (LoginThrottledError, InvalidCredentialsError) as error:
                raise forms.ValidationError(str(error), code="invalid_login") from error
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class RegistrationForm(forms.Form):
    """A citizen account: name, CCCD, mobile number, email, password."""

    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    cccd = forms.CharField(
        label=_("Số CCCD"),
        max_length=12,
        help_text=_("12 chữ số, in trên thẻ Căn cước công dân."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Ví dụ: 0912345678 hoặc +84912345678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        help_text=_("Dùng để nhận thông báo và lấy lại mật khẩu."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    residence = ResidenceField()
    address = forms.CharField(
        label=_("Số nhà, đường, thôn, xóm"),
        max_length=255,
        help_text=_("Điền một lần; cổng dùng để điền sẵn các hồ sơ của ông/bà."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        help_text=_("Ít nhất 8 ký tự, không toàn chữ số, không quá giống thông tin cá nhân."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_cccd(self) -> str:
        cccd = self.cleaned_data["cccd"].strip()
        validate_cccd(cccd)
        if User.objects.filter(cccd=cccd).exists() or User.objects.filter(username=cccd).exists():
            raise forms.ValidationError(
                _("Số CCCD này đã được đăng ký. Hãy đăng nhập hoặc lấy lại mật khẩu."),
                code="cccd_taken",
            )
        return cccd

    def clean_phone(self) -> str:
        validate_phone(self.cleaned_data["phone"])
        phone = normalize_phone(self.cleaned_data["phone"])
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(
                _("Số điện thoại này đã được dùng cho một tài khoản khác."), code="phone_taken"
            )
        return phone

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Thư điện tử này đã được dùng cho một tài khoản khác."), code="email_taken"
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        elif password1:
            probe = User(
                username=cleaned.get("cccd") or "",
                full_name=cleaned.get("full_name") or "",
                email=cleaned.get("email") or "",
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.Form):
    """The contact details a person may change themselves."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"))
    residence = ResidenceField(required=False)
    address = forms.CharField(
        label=_("Số nhà, đường, thôn, xóm"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        if not raw:
            return ""
        validate_phone(raw)
        phone = normalize_phone(raw)
        if User.objects.filter(phone=phone).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(
                _("Số điện thoại này đã được dùng cho một tài khoản khác."), code="phone_taken"
            )
        return phone

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(
                _("Thư điện tử này đã được dùng cho một tài khoản khác."), code="email_taken"
            )
        return email


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Thư điện tử đã đăng ký"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
