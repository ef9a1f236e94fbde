from django.urls import path

from ioc import api

urlpatterns = [
    path("open-data/<slug:dataset>.<str:fmt>", api.open_data, name="open-data"),
]
