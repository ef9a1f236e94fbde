"""The wall (/mot-cua/dieu-hanh/), the clerk's at-risk list, returns export, open data page."""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.models import Role
from dossiers.services.chain import chain_anchor_list
from ioc import selectors
from onestop.cells import safe_row
from stats.views import stats_scope_for

OPEN_DATA_GROUPS = ("desk", "procedure", "month")
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def _scope(request: HttpRequest):
    return stats_scope_for(
        request.user, request.GET.get("unit") or "", request.GET.get("desk_only") == "on"
    )


@login_required
def wall(request: HttpRequest) -> HttpResponse:
    """Full-screen operations-centre wall; the figures come from wall_data every 30 s."""
    scope = _scope(request)
    return render(
        request,
        "ioc/wall.html",
        {"scope": scope, "unit_code": scope.unit.code if scope.unit else ""},
    )


@never_cache
@login_required
def wall_data(request: HttpRequest) -> JsonResponse:
    scope = _scope(request)
    return JsonResponse(selectors.wall_figures(scope=scope, now=timezone.now()))


@login_required
def desk_risks(request: HttpRequest) -> HttpResponse:
    """The clerk's desk: dossiers in progress by risk of lateness, with the reasons."""
    user = request.user
    if user.role not in (Role.CLERK, Role.DESK_HEAD, Role.SPECIALIST) or not user.desk_id:
        raise PermissionDenied(_("Chỉ cán bộ của bộ phận một cửa được xem danh sách này."))
    order = request.GET.get("sap_xep") or "-risk"
    risks = selectors.desk_risk_list(desk_id=user.desk_id)
    if order in ("risk", "-risk", "dossier__due_at", "-dossier__due_at"):
        risks = risks.order_by(order, "pk")
    thresholds = selectors.desk_thresholds()
    rows = [
        {
            "risk": r,
            "percent": round(r.risk * 100),
            "at_risk": selectors.at_risk(r.risk, r.desk_id, thresholds),
            "reasons": [selectors.reason_text(x) for x in r.reasons[:3]],
        }
        for r in risks
    ]
    if request.GET.get("tab") == "nguy-co":
        rows = [row for row in rows if row["at_risk"]]
    return render(
        request,
        "ioc/desk_risks.html",
        {"rows": rows, "tab": request.GET.get("tab") or "", "order": order},
    )


@login_required
def returns_export(request: HttpRequest) -> HttpResponse:
    """Why dossiers come back: supplement requests per procedure, document and desk (CSV)."""
    scope = _scope(request)
    today = timezone.localdate()
    rows = selectors.stats_returns_by_document(
        scope=scope, date_from=today - dt.timedelta(days=365), date_to=today
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ho-so-bi-tra-lai.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Mã thủ tục"), _("Thủ tục"), _("Giấy tờ"), _("Bộ phận"), _("Số lần")])
    for row in rows:
        writer.writerow(
            safe_row(
                [
                    row["procedure_code"],
                    row["procedure"],
                    row["document"],
                    row["desk"],
                    row["count"],
                ]
            )
        )
    return response


@login_required
def returns_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    today = timezone.localdate()
    rows = selectors.stats_returns_by_document(
        scope=scope, date_from=today - dt.timedelta(days=365), date_to=today
    )
    return render(request, "ioc/returns.html", {"rows": rows[:100], "scope": scope})


def open_data_payload(group: str) -> dict:
    return {
        "dataset": group,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "updated": timezone.localtime().isoformat(timespec="seconds"),
        "min_count": selectors.MIN_COUNT,
        "rows": selectors.open_data_rows(group=group),
    }


def open_data_page(request: HttpRequest) -> HttpResponse:
    """/du-lieu-mo/: what is published, the licence, downloads."""
    group = request.GET.get("theo") if request.GET.get("theo") in OPEN_DATA_GROUPS else "desk"
    payload = open_data_payload(group)
    return render(
        request,
        "ioc/open_data.html",
        {
            "payload": payload,
            "group": group,
            "groups": [
                ("desk", _("Theo bộ phận một cửa")),
                ("procedure", _("Theo thủ tục")),
                ("month", _("Theo tháng")),
            ],
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "min_count": selectors.MIN_COUNT,
        },
    )


def audit_anchors_payload() -> dict:
    """The audit chain's anchors (every ANCHOR_EVERY-th event hash and the head): published,
    they let anyone check later that the log was not rewritten (`audit_chain verify --anchor`)."""
    return {
        "dataset": "audit-anchors",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "updated": timezone.localtime().isoformat(timespec="seconds"),
        "anchors": [{"position": p, "sha256": h} for p, h in chain_anchor_list()],
    }


def open_data_csv(payload: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-mo-{payload["dataset"]}.csv"'
    writer = csv.writer(response)
    writer.writerow([f"# licence: {payload['licence']} {payload['licence_url']}"])
    writer.writerow([f"# updated: {payload['updated']}; min_count: {payload['min_count']}"])
    columns = [payload["dataset"], "resolved", "on_time_rate", "online_rate", "satisfaction_rate"]
    writer.writerow(columns)
    for row in payload["rows"]:
        writer.writerow(safe_row(["" if row[c] is None else row[c] for c in columns]))
    return response


def open_data_json(payload: dict) -> HttpResponse:
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
