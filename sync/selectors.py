"""Reads of the sync: the reconciliation (what is not synced, failed, or differs) and the
Decision 766 sync indicator computed from the same rows."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from dossiers.models import Dossier, DossierEvent
from dossiers.models.dossier import NATIONAL_STATUS_NUMBERS
from dossiers.selectors import dossier_list_for_user
from sync.models import NationalView, SyncMessage


def _count(queryset: QuerySet) -> Subquery:
    return Subquery(
        queryset.order_by().values("dossier_id").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def sync_annotated(*, user: User) -> QuerySet[Dossier]:
    """The user's dossiers with: tracked changes, acknowledged ones, a failing one, the national
    status last seen and the one expected."""
    tracked = (
        DossierEvent.objects.filter(dossier_id=OuterRef("pk"))
        .exclude(to_status="")
        .exclude(to_status="draft")
        .exclude(from_status=F("to_status"))
    )
    acked = SyncMessage.objects.filter(dossier_id=OuterRef("pk"), acked_at__isnull=False)
    failing = SyncMessage.objects.filter(dossier_id=OuterRef("pk"), acked_at__isnull=True).exclude(
        last_error=""
    )
    expected = Case(
        *[When(status=status, then=Value(n)) for status, n in NATIONAL_STATUS_NUMBERS.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        dossier_list_for_user(user=user)
        .annotate(
            sync_tracked=Coalesce(_count(tracked), 0),
            sync_acked=Coalesce(_count(acked), 0),
            sync_failing=Exists(failing),
            sync_national=Subquery(
                NationalView.objects.filter(dossier_id=OuterRef("pk")).values("national_status")[:1]
            ),
            sync_expected=expected,
        )
        .filter(sync_tracked__gt=0)
    )


PROBLEM = (
    Q(sync_acked__lt=F("sync_tracked"))
    | Q(sync_failing=True)
    | Q(sync_national__isnull=True)
    | ~Q(sync_national=F("sync_expected"))
)


def sync_problem_list(*, user: User, limit: int = 200) -> list[Dossier]:
    """Dossiers not yet synced, failing, or whose national status differs (oldest first)."""
    rows = list(
        sync_annotated(user=user)
        .filter(PROBLEM)
        .select_related("procedure", "desk")
        .order_by("submitted_at", "pk")[:limit]
    )
    for row in rows:
        if row.sync_failing:
            row.sync_problem = "failed"
        elif row.sync_acked < row.sync_tracked:
            row.sync_problem = "not_synced"
        else:
            row.sync_problem = "differs"
    return rows


@dataclass(frozen=True)
class SyncIndicator:
    tracked: int
    synced: int

    @property
    def rate(self) -> float | None:
        return self.synced / self.tracked if self.tracked else None


def sync_indicator(*, user: User) -> SyncIndicator:
    """Decision 766's sync figure: dossiers whose every tracked change reached the national
    portal and whose national status is the portal's, over dossiers with tracked changes."""
    figures = sync_annotated(user=user).aggregate(
        tracked=Count("pk"), problems=Count("pk", filter=PROBLEM)
    )
    return SyncIndicator(
        tracked=figures["tracked"], synced=figures["tracked"] - figures["problems"]
    )
