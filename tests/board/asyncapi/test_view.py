"""GET /api/asyncapi.json: public, cacheable, the document itself, not in the OpenAPI schema."""

from __future__ import annotations

import json

from django.test import Client

from board.asyncapi import asyncapi_document


def test_anyone_gets_the_document_without_a_token(db):
    response = Client().get("/api/asyncapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == asyncapi_document()
    assert response["Cache-Control"] == "public, max-age=3600"


def test_a_client_holding_it_revalidates_for_a_304(db):
    first = Client().get("/api/asyncapi.json")
    again = Client().get("/api/asyncapi.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_only_safe_methods(db):
    assert Client().post("/api/asyncapi.json").status_code == 405


def test_it_is_not_a_rest_resource_of_the_openapi_schema(db):
    schema = Client().get("/api/schema/?format=json").json()
    assert not [path for path in schema["paths"] if "asyncapi" in path]
