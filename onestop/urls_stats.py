"""Pages of the statistics and reminders (included from onestop/urls.py, namespace "onestop")."""

from django.urls import path

from onestop import views_stats as views

urlpatterns = [
    path("thong-ke/", views.dashboard, name="stats-dashboard"),
    path("thong-ke/xuat.<str:fmt>", views.export, name="stats-export"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/da-doc/", views.notifications_mark_read, name="notifications-mark-read"),
]
