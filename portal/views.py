from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """Entry points for citizens, clerks and leaders."""
    return render(request, "portal/home.html")
