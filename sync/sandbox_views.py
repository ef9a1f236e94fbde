"""HTTP face of the national stand-in (sync.standin) and its small control page."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sync import standin
from sync.models import StandInRecord, StandInSwitch


@csrf_exempt
@require_POST
def receive(request: HttpRequest) -> JsonResponse:
    status, answer = standin.standin_receive(
        body=request.body, headers=request.headers, now=timezone.now()
    )
    return JsonResponse(answer, status=status)


@require_GET
def status(request: HttpRequest, code: str) -> JsonResponse:
    answer = standin.standin_status(code)
    if answer is None:
        raise Http404
    return JsonResponse(answer)


@require_http_methods(["GET", "POST"])
def control(request: HttpRequest) -> HttpResponse:
    """What the stand-in received, and the switch that makes it fail the next N requests."""
    if request.method == "POST":
        try:
            standin.standin_fail_next(int(request.POST.get("fail_next", "0")))
        except ValueError:
            pass
        return redirect("sandbox_dvcqg:control")
    switch = StandInSwitch.objects.filter(pk=1).first()
    context = {
        "records": StandInRecord.objects.order_by("-received_at")[:100],
        "fail_next": switch.fail_next if switch else 0,
    }
    return render(request, "sync/standin.html", context)
