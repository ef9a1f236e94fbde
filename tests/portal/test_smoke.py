import pytest


@pytest.mark.django_db
def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Bà Rịa - Vũng Tàu" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/v1/units/%00/", "/api/v1/procedures/?q=a%00b", "/thu-tuc/%00/", "/ho-so/tra-cuu/"]
)
def test_nul_character_middleware_answers_400_when_address_query_or_header_carries_nul(client, url):
    headers = {"HTTP_X_PROBE": "a\x00b"} if url == "/ho-so/tra-cuu/" else {}
    response = client.get(url, **headers)
    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()
