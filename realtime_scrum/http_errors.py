"""Error pages for what no DRF view answers: JSON for the JSON endpoints, Django's pages
for the rest.

An /api/ path no route matches (an id past 64 bits, a typo) was Django's HTML 404 page, and a
body over DATA_UPLOAD_MAX_MEMORY_SIZE read outside DRF (the page's /app/session/ views) its
HTML 400 page. Clients get the same {"detail": ...} body DRF gives (DRF views map the same
errors in board/api/errors.py)."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults

# The REST API, and the page's JSON session endpoints (frontend/views.py).
JSON_PREFIXES = ("/api/", "/app/session/")
TOO_BIG = "The request body is too large."


def _is_api(request) -> bool:
    return request.path_info.startswith(JSON_PREFIXES)


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse({"detail": TOO_BIG}, status=413)
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)
