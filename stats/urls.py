"""Page routes of the statistics app (mounted under /mot-cua/ beside the desk floor)."""

from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    # Statistics dashboard and staff notifications.
    path("thong-ke/", views.dashboard, name="stats-dashboard"),
    path("thong-ke/xuat.<str:fmt>", views.export, name="stats-export"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/da-doc/", views.notifications_mark_read, name="notifications-mark-read"),
]
