from django.test import RequestFactory

from core.exceptions import DomainError
from core.middleware import DomainErrorMiddleware


def test_htmx_error_text_is_escaped():
    request = RequestFactory().post("/e/x/teams/", HTTP_HX_REQUEST="true")
    middleware = DomainErrorMiddleware(lambda request: None)
    error = DomainError("A team named “<script>alert(1)</script>” already exists.")
    response = middleware.process_exception(request, error)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
