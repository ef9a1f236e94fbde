import pytest


@pytest.mark.django_db
def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Bà Rịa - Vũng Tàu" in response.content.decode()
