"""/api/v1/ routes of this app."""

from django.urls import path

from portal import api

urlpatterns = [
    path("auth/token/", api.TokenApi.as_view(), name="api-auth-token"),
]
