"""The app starts and its network fixture routes as expected (a first smoke test)."""


def test_public_home_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "loket" in response.get_data(as_text=True).lower()
