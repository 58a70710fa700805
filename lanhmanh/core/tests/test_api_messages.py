"""API errors a Vietnamese user sees: DRF's own catalogue is incomplete, ours completes it."""


def test_bad_token_is_explained_in_vietnamese(client, db):
    response = client.get("/api/residential-groups/", HTTP_AUTHORIZATION="Token sai")
    assert response.json()["detail"] == "Token không hợp lệ."


def test_missing_fields_are_named_in_vietnamese(client, people):
    client.force_login(people.officer_a)
    response = client.post("/api/agencies/", {}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == ["Trường này là bắt buộc."]
    assert body["unit"] == ["Trường này là bắt buộc."]


def test_unknown_unit_code_is_explained(client, people):
    client.force_login(people.officer_a)
    response = client.post("/api/agencies/", {"unit": "khong-co", "name": "X", "agency_type": 1},
                           content_type="application/json")
    assert "Không tìm thấy bản ghi có code = khong-co." in response.json()["unit"]
