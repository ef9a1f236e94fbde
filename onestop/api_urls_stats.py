"""/api/v1/ routes of the statistics (included from onestop/api_urls.py)."""

from django.urls import path

from onestop.api_stats import StatsSummaryApi

urlpatterns = [
    path("stats/summary/", StatsSummaryApi.as_view(), name="stats-summary"),
]
