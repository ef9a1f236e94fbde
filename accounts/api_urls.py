"""/api/v1/ routes of this app."""

from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.TokenApi.as_view(), name="api-auth-token"),
]
