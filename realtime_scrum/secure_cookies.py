"""Every cookie set on a response to an https request is marked Secure.

Django's CSRF_COOKIE_SECURE and SESSION_COOKIE_SECURE are fixed for the process: on, a site
served over plain http loses its csrftoken (browsers drop Secure cookies from http responses)
and every login from the page fails; off, a site served over https hands out cookies the
browser would also send over http. This follows the request instead, as the page's refresh
cookie does (frontend.views): Secure whenever the request came over https, which behind nginx
is its `X-Forwarded-Proto` (SECURE_PROXY_SSL_HEADER; nginx sets it from NGINX_PUBLIC_SCHEME).
DJANGO_SECURE_COOKIES=true still makes them Secure everywhere (docs/security.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin


class SecureCookiesOverHttps(MiddlewareMixin):
    """Listed above the session and CSRF middleware, so it sees the cookies they set."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.cookies and request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response
