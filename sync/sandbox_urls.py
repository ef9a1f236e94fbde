from django.urls import path

from sync import sandbox_views

app_name = "sandbox_dvcqg"

urlpatterns = [
    path("", sandbox_views.control, name="control"),
    path("api/hoso/", sandbox_views.receive, name="receive"),
    path("api/hoso/<str:code>/", sandbox_views.status, name="status"),
]
