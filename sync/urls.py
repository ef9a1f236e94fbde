from django.urls import path

from sync import views

app_name = "sync"

urlpatterns = [
    path("dong-bo/", views.reconciliation, name="reconciliation"),
    path("dong-bo/<int:dossier_id>/thu-lai/", views.retry, name="retry"),
]
