"""GET /api/v1/requests?sort=… (issue #14 point 4): the queue's orders over the API."""
from tests.support.queue_order import three_requests_in_three_orders


def test_the_api_orders_the_same(api, network):
    three_requests_in_three_orders(network)
    client = api("ondersteuner")
    titles = lambda sort: [item["title"] for item in client.get(f"/requests?sort={sort}").get_json()["items"]]  # noqa: E731
    assert titles("deadline") == ["c", "b", "a"] and titles("oudste") == ["a", "b", "c"]
    assert titles("club") == ["b", "c", "a"] and titles("activiteit")[0] == "a"
    assert client.get("/requests?sort=onzin", check=False).status_code == 422
