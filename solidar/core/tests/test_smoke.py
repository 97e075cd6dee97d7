import pytest


@pytest.mark.django_db
def test_home_answers_in_each_language(client):
    for code in ("en", "de", "ru", "uk"):
        response = client.get(f"/{code}/")
        assert response.status_code == 200
        assert f'lang="{code}"' in response.content.decode()
