"""Public feedback pages (under /phan-anh/)."""

from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback_send, name="send"),
    path("da-gui/", views.feedback_sent, name="sent"),
    path("tra-cuu/", views.feedback_lookup, name="lookup"),
    path("cong-khai/", views.feedback_public, name="public"),
    path("cua-toi/", views.feedback_mine, name="mine"),
]
