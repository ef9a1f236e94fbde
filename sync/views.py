"""The reconciliation page for leaders and administrators, with its retry button."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from dossiers.selectors import dossier_list_for_user
from onestop.models import AdministrativeUnit
from sync import selectors, services

ALLOWED_ROLES = {Role.LEADER, Role.ADMIN, Role.DESK_HEAD}


def _check(request: HttpRequest) -> None:
    if request.user.role not in ALLOWED_ROLES and not request.user.is_superuser:
        raise PermissionDenied


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    _check(request)
    context = {
        "rows": selectors.sync_problem_list(user=request.user),
        "indicator": selectors.sync_indicator(user=request.user),
        "enabled": services.sync_enabled(),
    }
    return render(request, "sync/reconciliation.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, dossier_id: int) -> HttpResponse:
    _check(request)
    dossier = dossier_list_for_user(user=request.user).filter(pk=dossier_id).first()
    if dossier is None:
        raise Http404
    now = timezone.now()
    try:
        sent = services.sync_retry(dossier_id=dossier.pk, now=now)
        services.sync_check_national(dossier=dossier, now=now)
    except (services.SyncRefused, services.SyncNotYet, OSError) as error:
        messages.error(
            request,
            _("Chưa đồng bộ được hồ sơ %(code)s: %(error)s")
            % {"code": dossier.code, "error": error},
        )
    else:
        messages.success(
            request,
            _("Đã gửi lại %(count)d bản tin của hồ sơ %(code)s.")
            % {"count": sent, "code": dossier.code},
        )
    return redirect("sync:reconciliation")


def dashboard_links(
    *, user: User, root: AdministrativeUnit | None, date_from: dt.date, date_to: dt.date
) -> list[dict]:
    """The leaders' dashboard (stats.hooks): a link to the sync indicator, computed on its page
    (over every dossier in scope, not the dashboard's period, and costly to compute twice)."""
    return [
        {
            "title": _("Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia"),
            "formula": _(
                "Số hồ sơ có mọi thay đổi đã được Cổng quốc gia ghi nhận và cùng trạng thái / "
                "Tổng số hồ sơ có thay đổi cần đồng bộ"
            ),
            "value": "",
            "url": reverse("sync:reconciliation"),
        }
    ]
