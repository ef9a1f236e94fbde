"""What ioc gives the clerk's work queue and dossier page through dossiers.hooks."""

from __future__ import annotations

from django.db.models import Expression, OuterRef, Q, Subquery
from django.db.models.functions import Now

from dossiers.hooks import LatenessProvider
from ioc.models import DossierRisk
from ioc.selectors import desk_threshold_expression, reason_text


def _at_risk() -> Q:
    # At risk at the desk's own threshold, not late yet: overdue dossiers have their own tab.
    threshold = desk_threshold_expression("lateness_risk__desk_id")
    return Q(lateness_risk__risk__gte=threshold, due_at__gt=Now())


def _risk() -> Expression:
    return Subquery(DossierRisk.objects.filter(dossier_id=OuterRef("pk")).values("risk")[:1])


def _explain(dossier_ids: list[int]) -> dict[int, dict]:
    return {
        risk.dossier_id: {
            "percent": round(risk.risk * 100),
            "at_risk": risk.risk >= risk.threshold,
            "estimated_finish": risk.estimated_finish,
            "reasons": [reason_text(reason) for reason in risk.reasons[:3]],
        }
        for risk in DossierRisk.objects.filter(dossier_id__in=dossier_ids).annotate(
            threshold=desk_threshold_expression()
        )
    }


PROVIDER = LatenessProvider(at_risk=_at_risk, risk=_risk, explain=_explain)
