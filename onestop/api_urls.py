"""/api/v1/ routes of this app."""

from django.urls import path

from onestop import api

urlpatterns: list = [
    path("units/", api.UnitListApi.as_view(), name="api-unit-list"),
    path("units/<str:code>/", api.UnitDetailApi.as_view(), name="api-unit-detail"),
    path("desks/", api.DeskListApi.as_view(), name="api-desk-list"),
    path("desks/<int:desk_id>/", api.DeskDetailApi.as_view(), name="api-desk-detail"),
]

# Desk floor: tickets, counters, board, ratings, queue figures.
from onestop.api_urls_queue import urlpatterns as queue_api_urlpatterns  # noqa: E402

urlpatterns += queue_api_urlpatterns

# Statistics: the dashboard's figures.
from onestop.api_urls_stats import urlpatterns as stats_api_urlpatterns  # noqa: E402

urlpatterns += stats_api_urlpatterns
