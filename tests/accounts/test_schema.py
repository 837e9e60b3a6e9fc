from rest_framework.test import APIClient

AUTH_PATHS = {
    "/api/auth/signup/": ("post", "SignupRequest", "201"),
    "/api/auth/login/": ("post", "LoginRequest", "200"),
    "/api/auth/refresh/": ("post", "RefreshRequest", "200"),
    "/api/auth/logout/": ("post", "RefreshRequest", "205"),
    "/api/auth/password/change/": ("post", "PasswordChangeRequest", "200"),
    "/api/auth/password/reset/": ("post", "PasswordResetRequest", "202"),
    "/api/auth/password/reset/confirm/": ("post", "PasswordResetConfirmRequest", "200"),
    "/api/auth/me/": ("patch", "PatchedProfileRequest", "200"),
}


def test_schema_lists_every_auth_endpoint_with_its_shapes(db):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()

    for path, (method, request_name, status) in AUTH_PATHS.items():
        operation = schema["paths"][path][method]
        request_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert request_ref.endswith(f"/{request_name}"), (path, request_ref)
        assert status in operation["responses"], (path, operation["responses"])
    components = schema["components"]["schemas"]
    assert set(components["TokenPair"]["properties"]) == {"access", "refresh"}
    assert set(components["Profile"]["properties"]) == {
        "id", "username", "email", "full_name", "timezone", "digest_enabled", "notify_email"
    }  # fmt: skip
    assert "429" in schema["paths"]["/api/auth/login/"]["post"]["responses"]
    assert schema["paths"]["/api/auth/me/"]["get"]["security"] == [{"jwtAuth": []}]
    # Public endpoints: no credentials needed.
    assert schema["paths"]["/api/auth/login/"]["post"]["security"] == [{}]


def test_schema_is_valid_openapi(db):
    from openapi_spec_validator import validate

    validate(APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json())
