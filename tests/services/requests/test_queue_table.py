"""The queue page's table (queues.queue_page with table=True): its rows' categories come from the categories the
page loads for its filter, so a page in many categories reads no category row by row."""
from loket.services.requests import queues
from tests.support.db import count_queries
from tests.support.requests import file_request

CATEGORIES = ("bestuur-organisatie", "financien-subsidies-fondsen", "vrijwilligers-kader", "sociaal-veilige-sport",
              "accommodatie-ruimte", "overig")


def test_the_rows_categories_are_read_with_the_filters_list_not_one_by_one(app, db, network):
    for slug in CATEGORIES:
        file_request(network, category=slug, title=f"Vraag over {slug}")
    db.session.expire_all()
    with count_queries(app) as statements:
        page = queues.queue_page(network.ondersteuner, queues.QueueFilter(), table=True)
        before = len(statements)
        names = {request.category.name for request in page.pagination.items}
    assert len(names) == len(CATEGORIES)
    assert len(statements) == before  # no statement for any row's category
    assert {c.id for c in page.categories} >= {r.category_id for r in page.pagination.items}
