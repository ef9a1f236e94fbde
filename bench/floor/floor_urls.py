from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse
from django.urls import path

FIRST = {"pk": None}


def fixed(request):
    return JsonResponse({"status": "ok", "items": [1, 2, 3]})


def row(request):
    """One SELECT by primary key through the ORM (a row of django_content_type)."""
    if FIRST["pk"] is None:
        FIRST["pk"] = ContentType.objects.order_by("pk").values_list("pk", flat=True).first()
    found = ContentType.objects.filter(pk=FIRST["pk"]).values("app_label", "model").first()
    return JsonResponse(found)


urlpatterns = [path("fixed/", fixed), path("row/", row)]
