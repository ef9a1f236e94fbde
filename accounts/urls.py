"""Account pages (URL names are global: LOGIN_URL = "login")."""

from django.urls import path

from accounts import oidc_views, views

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/oidc/<slug:provider>/", oidc_views.oidc_start, name="oidc_start"),
    path(
        "dang-nhap/oidc/<slug:provider>/callback/", oidc_views.oidc_callback, name="oidc_callback"
    ),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("dang-ky/", views.register, name="register"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/thu-hoi-ma-api/", views.profile_tokens_revoke, name="profile_tokens_revoke"),
    path("tai-khoan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "quen-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "quen-mat-khau/hoan-tat/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
