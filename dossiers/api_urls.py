"""/api/v1/ routes of this app."""

from django.urls import path

from dossiers import api

urlpatterns: list = [
    path("dossiers/", api.DossierListApi.as_view(), name="api-dossier-list"),
    path("dossiers/<str:code>/", api.DossierDetailApi.as_view(), name="api-dossier-detail"),
    path(
        "dossiers/<str:code>/actions/",
        api.DossierActionApi.as_view(),
        name="api-dossier-actions",
    ),
    path("lookup/", api.LookupApi.as_view(), name="api-lookup"),
]

# A dossier's files for API clients (dossiers/api_documents.py).
from dossiers import api_documents  # noqa: E402

urlpatterns += [
    path(
        "dossiers/<str:code>/documents/<int:document_id>/",
        api_documents.DossierDocumentApi.as_view(),
        name="api-dossier-document",
    ),
]

# Calendar of days off and make-up working days (dossiers/calendar_api.py).
from django.urls import path as _calendar_path  # noqa: E402

from dossiers import calendar_api  # noqa: E402

urlpatterns += [
    _calendar_path("calendar/", calendar_api.CalendarListApi.as_view(), name="calendar-list"),
    _calendar_path(
        "calendar/<str:day>/", calendar_api.CalendarDayApi.as_view(), name="calendar-day"
    ),
]
