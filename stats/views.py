"""Leaders' dashboard (figures of their unit and below), its export, and staff notifications."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import STAFF_ROLES, Role, User
from onestop.cells import safe_row
from onestop.models import AdministrativeUnit, Desk, UnitLevel
from onestop.replica import reads_from_replica
from onestop.selectors import queue_figures
from stats import hooks, selectors, services
from stats.forms import PERIODS, StatsFilterForm

STATS_ROLES = {Role.LEADER, Role.ADMIN}
TOP_LIMIT = 10


def stats_root_is_everything(user: User) -> bool:
    return user.role == Role.ADMIN or user.is_superuser


def stats_root(user: User) -> AdministrativeUnit | None:
    """The unit whose subtree the user may see (None = everything); PermissionDenied otherwise."""
    if stats_root_is_everything(user):
        return None
    if user.role == Role.LEADER and user.unit_id:
        return user.unit
    raise PermissionDenied(_("Chỉ lãnh đạo và quản trị hệ thống được xem số liệu thống kê."))


def stats_scope_for(user: User, unit_code: str, desk_only: bool) -> selectors.StatsScope:
    """The requested scope, within the user's subtree; Http404 outside it."""
    root = stats_root(user)
    if not unit_code:
        unit = (
            root or AdministrativeUnit.objects.filter(parent__isnull=True).order_by("path").first()
        )
        return selectors.StatsScope(unit=unit, desk_only=desk_only and unit is not None)
    unit = AdministrativeUnit.objects.filter(code=unit_code).select_related("parent").first()
    if unit is None or (root is not None and not root.contains(unit)):
        raise Http404(_("Không tìm thấy đơn vị trong phạm vi được xem."))
    return selectors.StatsScope(unit=unit, desk_only=desk_only)


PERIOD_KEYS = ("period", "month", "quarter", "from", "to")


def _filters(request: HttpRequest) -> tuple[StatsFilterForm, dict]:
    """The valid filters; when the period is invalid, the same scope over the default period.

    The bound form keeps what was typed (shown back with the reason); the caller says which
    period the figures are for, instead of silently showing another one.
    """
    form = StatsFilterForm(request.GET or None, today=timezone.localdate())
    if request.GET and form.is_valid():
        return form, form.cleaned_data
    kept = {key: value for key, value in request.GET.items() if key not in PERIOD_KEYS}
    fallback = StatsFilterForm(kept, today=timezone.localdate())
    if not fallback.is_valid():
        fallback = StatsFilterForm({}, today=timezone.localdate())
        fallback.is_valid()
    return form, fallback.cleaned_data


def export_filename(*, unit: AdministrativeUnit | None, data: dict, extension: str) -> str:
    """thong-ke_tinh-ba-ria-vung-tau_2026-01-01_2026-06-30.xlsx: unit and period, ASCII only."""
    name = unit.name if unit is not None else "toan-tinh"
    # NFKD takes the tone marks off; đ has no decomposition and would otherwise vanish.
    slug = slugify(name.replace("đ", "d").replace("Đ", "D")) or "don-vi"
    if data.get("desk_only"):
        slug += "_mot-cua"
    return f"thong-ke_{slug}_{data['date_from']:%Y-%m-%d}_{data['date_to']:%Y-%m-%d}.{extension}"


def csv_cell(value: object) -> object:
    """A decimal with a comma, as Excel set to Vietnamese (and LibreOffice vi_VN) reads it."""
    if isinstance(value, float | Decimal):
        return f"{value}".replace(".", ",")
    return value


def _breadcrumb(unit: AdministrativeUnit | None, root: AdministrativeUnit | None) -> list:
    trail = []
    while unit is not None:
        trail.append(unit)
        if root is not None and unit.pk == root.pk:
            break
        unit = unit.parent
    return list(reversed(trail))


def dashboard_context(*, user: User, data: dict) -> dict:
    """Everything the dashboard and its exports show (a bounded number of queries)."""
    scope = stats_scope_for(user, data.get("unit") or "", bool(data.get("desk_only")))
    window = {"date_from": data["date_from"], "date_to": data["date_to"]}
    summary = selectors.stats_summary(**window, scope=scope)
    online = selectors.stats_online_procedures(**window, scope=scope)
    unit = scope.unit
    drill_units = []
    by_procedure = []
    if unit is not None and not scope.desk_only and unit.level != UnitLevel.COMMUNE:
        drill_units = selectors.stats_children(**window, unit=unit)
    else:
        by_procedure = selectors.stats_by_procedure(**window, scope=scope)
    shown = selectors.LEVELS
    if unit is not None:
        # Levels above the scope have no desks in it; one desk has only its own level.
        position = [level.value for level in selectors.LEVELS].index(unit.level)
        shown = selectors.LEVELS[position : position + 1] if scope.desk_only else shown[position:]
    levels = [
        {
            "code": level.value,
            "label": level.label,
            "figures": summary["levels"][level.value],
            "online": online[level.value],
        }
        for level in shown
    ]
    return {
        "scope": scope,
        "unit": unit,
        "date_from": data["date_from"],
        "date_to": data["date_to"],
        "period": data["period"],
        "period_label": dict(PERIODS).get(data["period"], ""),
        "levels": levels,
        "total": summary["total"],
        "online_total": online["total"],
        "trend": selectors.stats_monthly_trend(**window, scope=scope),
        "drill_units": drill_units,
        "by_procedure": by_procedure,
        "top_procedures": selectors.stats_by_procedure(
            **window, scope=scope, limit=TOP_LIMIT, order_by_late=True
        ),
        "top_desks": selectors.stats_top_desks_late(**window, scope=scope, limit=TOP_LIMIT),
        "returns": selectors.stats_returns_by_document(**window, scope=scope, limit=TOP_LIMIT),
        "floor": _floor_figures(scope=scope, window=window),
    }


def _floor_figures(*, scope: selectors.StatsScope, window: dict) -> dict:
    """The desk floor in scope (queue tickets): totals and the busiest desks."""
    desk_ids = Desk.objects.filter(scope.desk_q(prefix="")).values_list("pk", flat=True)
    figures = queue_figures(desk_ids=desk_ids, start=window["date_from"], end=window["date_to"])
    busiest = sorted(figures["rows"], key=lambda row: row["issued"], reverse=True)
    return {"totals": figures["totals"], "rows": busiest[:TOP_LIMIT]}


def _query(data: dict, **changes) -> str:
    params = {
        "period": data["period"],
        "year": data["year"],
        "month": data["month"],
        "quarter": data["quarter"],
    }
    if data["period"] == "custom":
        params["from"] = f"{data['date_from']:%d/%m/%Y}"
        params["to"] = f"{data['date_to']:%d/%m/%Y}"
    if data.get("unit"):
        params["unit"] = data["unit"]
    if data.get("desk_only"):
        params["desk_only"] = "on"
    params.update(changes)
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@login_required
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """/mot-cua/thong-ke/: figures per level, online service, trend, drill-down, top lists."""
    root = stats_root(request.user)
    form, data = _filters(request)
    context = dashboard_context(user=request.user, data=data)
    invalid = bool(request.GET) and not form.is_valid()
    context.update(
        form=form,
        filters=data,
        period_invalid=invalid,
        # What the visitor chose stays in the filter, even when it could not be used.
        chosen_period=request.GET.get("period", data["period"]) if invalid else data["period"],
        chosen_from=request.GET.get("from", "") if invalid else f"{data['date_from']:%d/%m/%Y}",
        chosen_to=request.GET.get("to", "") if invalid else f"{data['date_to']:%d/%m/%Y}",
        months=range(1, 13),
        quarters=range(1, 5),
        root=root,
        breadcrumb=_breadcrumb(context["unit"], root),
        scope_units=selectors.stats_scope_units(root=root),
        query=_query(data),
        query_without_unit=_query({**data, "unit": "", "desk_only": False}),
        chart_data={
            "trend": [
                {
                    "month": f"{row['month']:%m/%Y}",
                    "received": row["received"],
                    "resolved": row["resolved"],
                    "on_time_rate": row["on_time_rate"],
                }
                for row in context["trend"]
            ],
            "levels": [
                {
                    "label": str(level["label"]),
                    "on_time": level["figures"]["resolved_on_time"],
                    "late": level["figures"]["resolved_late"],
                }
                for level in context["levels"]
            ],
        },
        labels={
            "received": _("Tiếp nhận"),
            "resolved": _("Đã giải quyết"),
            "on_time_rate": _("Tỷ lệ đúng hạn (%)"),
            "on_time": _("Đúng hạn (gồm trước hạn)"),
            "late": _("Trễ hạn"),
        },
    )
    context["related_links"] = hooks.dashboard_links(
        user=request.user, root=root, date_from=data["date_from"], date_to=data["date_to"]
    )
    return render(request, "stats/dashboard.html", context)


def _export_rows(context: dict) -> list[list]:
    """One table: per-level and total figures, drill-down rows, the monthly trend, then the
    documents that brought dossiers back."""
    header = [
        _("Phạm vi"),
        _("Tiếp nhận"),
        _("Trực tuyến"),
        _("Đã giải quyết"),
        _("Đúng hạn (gồm trước hạn)"),
        _("Trễ hạn"),
        _("Tỷ lệ đúng hạn (%)"),
        _("Đang giải quyết"),
        _("Quá hạn đang giải quyết"),
        _("Đã trả kết quả"),
        _("Yêu cầu bổ sung"),
        _("Tỷ lệ hài lòng (%)"),
    ]

    def line(label: str, f: dict) -> list:
        return [
            label,
            f["received"],
            f["received_online"],
            f["resolved"],
            f["resolved_on_time"],
            f["resolved_late"],
            f["on_time_rate"],
            f["pending"],
            f["pending_overdue"],
            f["returned"],
            f["supplement_requests"],
            f["satisfaction_rate"],
        ]

    rows = [header]
    for level in context["levels"]:
        rows.append(line(str(level["label"]), level["figures"]))
    rows.append(line(_("Tổng cộng"), context["total"]))
    for row in context["drill_units"]:
        label = row["unit"].name + (f" ({_('bộ phận một cửa')})" if row["own_desk_only"] else "")
        rows.append(line(label, row["figures"]))
    for row in context["by_procedure"]:
        rows.append(line(f"{row['code']} {row['name']}", row["figures"]))
    for row in context["trend"]:
        rows.append(line(_("Tháng %(month)s") % {"month": f"{row['month']:%m/%Y}"}, row))
    # Why dossiers come back, below the figures; every row as wide as the header, so the file
    # stays one rectangular table for spreadsheets.
    returns = [[_("Giấy tờ bị yêu cầu bổ sung"), _("Thủ tục"), _("Bộ phận"), _("Số lần")]]
    for row in context["returns"]:
        returns.append(
            [
                row["document"],
                f"{row['procedure_code']} {row['procedure']}",
                row["desk"],
                row["count"],
            ]
        )
    padding = [""] * (len(header) - len(returns[0]))
    rows.append([""] * len(header))
    rows.extend(row + padding for row in returns)
    return rows


@login_required
@reads_from_replica
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """/mot-cua/thong-ke/xuat.xlsx|csv with the dashboard's filters."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    stats_root(request.user)
    _form, data = _filters(request)
    context = dashboard_context(user=request.user, data=data)
    # Unit, desk and procedure names are typed in the admin: never let one run as a formula.
    rows = [safe_row(row) for row in _export_rows(context)]
    title = _("Thống kê giải quyết hồ sơ từ %(start)s đến %(end)s") % {
        "start": f"{data['date_from']:%d/%m/%Y}",
        "end": f"{data['date_to']:%d/%m/%Y}",
    }
    scope_name = context["unit"].name if context["unit"] else _("Toàn tỉnh")
    filename = export_filename(unit=context["unit"], data=data, extension=fmt)
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with diacritics only with a BOM.
        # Excel set to Vietnamese separates list items with ";" and decimals with ",".
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(safe_row([title, scope_name]))
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook  # ~30 MB: loaded by the workers that export, not all

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Thống kê")
        sheet.append(safe_row([title]))
        sheet.append(safe_row([scope_name]))
        for row in rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 48
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """/mot-cua/thong-bao/: the staff member's reminders, unread first."""
    if request.user.role not in STAFF_ROLES:
        raise PermissionDenied(_("Chỉ cán bộ, công chức được xem thông báo nhắc hạn."))
    items = selectors.notification_list(user_id=request.user.pk)
    return render(request, "stats/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (POST id) or all of them read."""
    notification_id = request.POST.get("id", "")
    services.notification_mark_read(
        user_id=request.user.pk,
        now=timezone.now(),
        notification_id=int(notification_id) if notification_id.isdigit() else None,
    )
    return redirect("stats:notifications")
