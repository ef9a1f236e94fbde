"""Pages of the desk floor (included from onestop/urls.py, namespace "onestop")."""

from django.urls import path

from onestop import views_queue as views

urlpatterns = [
    path("<int:desk_id>/lay-so/", views.kiosk_ticket, name="queue-kiosk"),
    path("<int:desk_id>/lay-so/ve/<int:ticket_id>/", views.ticket_print, name="queue-ticket"),
    path("<int:desk_id>/bang-hien-thi/", views.board, name="queue-board"),
    path("<int:desk_id>/tra-cuu-thu-tuc/", views.kiosk_procedures, name="queue-kiosk-procedures"),
    path(
        "<int:desk_id>/tra-cuu-thu-tuc/<str:code>/",
        views.kiosk_procedure_detail,
        name="queue-kiosk-procedure",
    ),
    path("<int:desk_id>/tra-cuu-ho-so/", views.kiosk_dossier, name="queue-kiosk-dossier"),
    path("<int:desk_id>/so-lieu-quay/", views.desk_figures, name="queue-figures"),
    path("<int:desk_id>/thiet-bi/", views.floor_index, name="queue-floor"),
    path("thiet-bi/", views.my_floor, name="queue-my-floor"),
    path("quay/<int:counter_id>/", views.counter_page, name="queue-counter"),
    path(
        "quay/<int:counter_id>/gan-ho-so/",
        views.counter_link_dossier,
        name="queue-counter-link-dossier",
    ),
    path("quay/<int:counter_id>/danh-gia/", views.rating_panel, name="queue-rating-panel"),
    path("quay/<int:counter_id>/<slug:action>/", views.counter_action, name="queue-counter-action"),
]
