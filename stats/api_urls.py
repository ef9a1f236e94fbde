"""/api/v1/ routes of the statistics app."""

from django.urls import path

from stats import api

urlpatterns = [
    path("stats/summary/", api.StatsSummaryApi.as_view(), name="stats-summary"),
]
