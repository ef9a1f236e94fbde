"""/api/v1/ routes of the desk floor (included from onestop/api_urls.py)."""

from django.urls import path

from onestop import api_queue as api

urlpatterns = [
    path(
        "desks/<int:desk_id>/tickets/", api.DeskTicketIssueApi.as_view(), name="queue-ticket-issue"
    ),
    path("desks/<int:desk_id>/board/", api.DeskBoardApi.as_view(), name="queue-board"),
    path(
        "desks/<int:desk_id>/queue-figures/",
        api.DeskQueueFiguresApi.as_view(),
        name="queue-figures",
    ),
    path(
        "counters/<int:counter_id>/call-next/",
        api.CounterCallNextApi.as_view(),
        name="queue-call-next",
    ),
    path("counters/<int:counter_id>/recall/", api.CounterRecallApi.as_view(), name="queue-recall"),
    path("counters/<int:counter_id>/serve/", api.CounterServeApi.as_view(), name="queue-serve"),
    path(
        "counters/<int:counter_id>/no-show/", api.CounterNoShowApi.as_view(), name="queue-no-show"
    ),
    path("tickets/<int:ticket_id>/dossier/", api.TicketDossierApi.as_view(), name="queue-dossier"),
    path("tickets/<int:ticket_id>/rating/", api.TicketRatingApi.as_view(), name="queue-rating"),
]
