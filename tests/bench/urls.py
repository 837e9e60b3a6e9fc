"""The app's URLs and B6's baseline: a plain Django view behind the same middleware."""

from django.http import JsonResponse
from django.urls import path

from realtime_scrum.urls import urlpatterns as app_urlpatterns

PLAIN_BODY = {"id": 1, "name": "plain", "status": 1, "items": list(range(10))}


def plain(request):
    return JsonResponse(PLAIN_BODY)


urlpatterns = [path("bench/plain/", plain), *app_urlpatterns]
