"""Page routes of this app."""

from django.urls import path

from onestop.views import queue

app_name = "onestop"

urlpatterns = [
    # Desk floor: queue kiosk, counters, display board, lookup kiosks, rating panel, figures.
    path("<int:desk_id>/lay-so/", queue.kiosk_ticket, name="queue-kiosk"),
    path("<int:desk_id>/lay-so/ve/<int:ticket_id>/", queue.ticket_print, name="queue-ticket"),
    path("<int:desk_id>/bang-hien-thi/", queue.board, name="queue-board"),
    path("<int:desk_id>/tra-cuu-thu-tuc/", queue.kiosk_procedures, name="queue-kiosk-procedures"),
    path(
        "<int:desk_id>/tra-cuu-thu-tuc/<str:code>/",
        queue.kiosk_procedure_detail,
        name="queue-kiosk-procedure",
    ),
    path("<int:desk_id>/so-lieu-quay/", queue.desk_figures, name="queue-figures"),
    path("<int:desk_id>/thiet-bi/", queue.floor_index, name="queue-floor"),
    path("thiet-bi/", queue.my_floor, name="queue-my-floor"),
    path("quay/<int:counter_id>/", queue.counter_page, name="queue-counter"),
    path(
        "quay/<int:counter_id>/gan-ho-so/",
        queue.counter_link_dossier,
        name="queue-counter-link-dossier",
    ),
    path("quay/<int:counter_id>/danh-gia/", queue.rating_panel, name="queue-rating-panel"),
    path("quay/<int:counter_id>/<slug:action>/", queue.counter_action, name="queue-counter-action"),
]
