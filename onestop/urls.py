"""Page routes of this app."""
app_name = "onestop"
urlpatterns: list = []

# Desk floor: queue kiosk, counters, display board, lookup kiosks, rating panel, figures.
from onestop.urls_queue import urlpatterns as queue_urlpatterns  # noqa: E402

urlpatterns += queue_urlpatterns

# Statistics dashboard and staff notifications.
from onestop.urls_stats import urlpatterns as stats_urlpatterns  # noqa: E402

urlpatterns += stats_urlpatterns
