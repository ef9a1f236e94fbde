"""The assistant's page, mounted at /tro-ly-ao/."""

from django.urls import path

from assistant import views

app_name = "assistant"
urlpatterns = [
    path("", views.assistant_page, name="page"),
    path("may-tra-cuu/<int:desk_id>/", views.kiosk_assistant, name="kiosk"),
]
