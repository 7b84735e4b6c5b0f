def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_home_renders_for_staff(org, client_for):
    response = client_for(org.a1).get("/")
    assert response.status_code == 200
