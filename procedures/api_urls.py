"""/api/v1/ routes of this app."""

from django.urls import path

from procedures import api

urlpatterns = [
    path("procedures/", api.ProcedureListApi.as_view(), name="api-procedure-list"),
    path("procedures/<str:code>/", api.ProcedureDetailApi.as_view(), name="api-procedure-detail"),
    path("sectors/", api.SectorListApi.as_view(), name="api-sector-list"),
]
