"""Page routes of this app (mounted at /thu-tuc/)."""

from django.urls import path

from procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list_view, name="list"),
    path("linh-vuc/", views.sector_list_view, name="sectors"),
    path("<str:code>/", views.procedure_detail_view, name="detail"),
    path("<str:code>/in/", views.procedure_print_view, name="print"),
]
