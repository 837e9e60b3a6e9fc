"""Cookies are Secure on every response to an https request (realtime_scrum/secure_cookies.py),
also when https is what our proxy says (X-Forwarded-Proto, SECURE_PROXY_SSL_HEADER), and
everywhere with DJANGO_SECURE_COOKIES (CSRF_COOKIE_SECURE, SESSION_COOKIE_SECURE)."""

import pytest
from django.test import Client


def csrf_cookie(response):
    assert response.status_code == 200
    return response.cookies["csrftoken"]


@pytest.mark.django_db
def test_the_csrf_cookie_is_secure_over_https_only():
    assert csrf_cookie(Client().get("/", secure=True))["secure"] is True
    assert not csrf_cookie(Client().get("/"))["secure"]


@pytest.mark.django_db
def test_https_as_our_proxy_reports_it(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind_https = Client().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert csrf_cookie(behind_https)["secure"] is True
    assert not csrf_cookie(Client().get("/", HTTP_X_FORWARDED_PROTO="http"))["secure"]


@pytest.mark.django_db
def test_the_session_cookie_too(admin_user):
    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": admin_user.username, "password": "password"},
        secure=True,
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True


@pytest.mark.django_db
def test_secure_everywhere_when_told(settings):
    settings.CSRF_COOKIE_SECURE = True
    assert csrf_cookie(Client().get("/"))["secure"] is True
