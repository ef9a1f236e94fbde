"""/api/v1/ routes of this app."""

from django.urls import path

from onestop.api import queue, units

urlpatterns = [
    path("units/", units.UnitListApi.as_view(), name="api-unit-list"),
    path("units/<str:code>/", units.UnitDetailApi.as_view(), name="api-unit-detail"),
    path("desks/", units.DeskListApi.as_view(), name="api-desk-list"),
    path("desks/<int:desk_id>/", units.DeskDetailApi.as_view(), name="api-desk-detail"),
    # Desk floor: tickets, counters, board, ratings, queue figures.
    path(
        "desks/<int:desk_id>/tickets/",
        queue.DeskTicketIssueApi.as_view(),
        name="queue-ticket-issue",
    ),
    path("desks/<int:desk_id>/board/", queue.DeskBoardApi.as_view(), name="queue-board"),
    path(
        "desks/<int:desk_id>/queue-figures/",
        queue.DeskQueueFiguresApi.as_view(),
        name="queue-figures",
    ),
    path(
        "counters/<int:counter_id>/call-next/",
        queue.CounterCallNextApi.as_view(),
        name="queue-call-next",
    ),
    path(
        "counters/<int:counter_id>/recall/", queue.CounterRecallApi.as_view(), name="queue-recall"
    ),
    path("counters/<int:counter_id>/serve/", queue.CounterServeApi.as_view(), name="queue-serve"),
    path(
        "counters/<int:counter_id>/no-show/",
        queue.CounterNoShowApi.as_view(),
        name="queue-no-show",
    ),
    path(
        "tickets/<int:ticket_id>/dossier/", queue.TicketDossierApi.as_view(), name="queue-dossier"
    ),
    path("tickets/<int:ticket_id>/rating/", queue.TicketRatingApi.as_view(), name="queue-rating"),
]
