from django.urls import path

from assistant import api

urlpatterns = [path("assistant/ask/", api.AskApi.as_view(), name="api-assistant-ask")]
