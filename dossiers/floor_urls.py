"""Routes of the dossiers app on the desk floor (mounted under /mot-cua/ beside onestop's)."""

from django.urls import path

from dossiers.views import kiosk

app_name = "dossier_floor"

urlpatterns = [
    path("<int:desk_id>/tra-cuu-ho-so/", kiosk.kiosk_dossier, name="kiosk-dossier"),
]
