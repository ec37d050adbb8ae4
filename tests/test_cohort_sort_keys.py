"""Only known sort values reach the dashboard's cache key: anything else is the default sort,
so a visitor's made-up ``?sort=`` never makes a new cache entry (issue 18, part 4)."""

import pytest
from django.urls import reverse

from cohorts.sorting import DEFAULT_SORT, normal_sort
from quizzes.models import Domain
from tests.factories import make_bank, make_cohort, make_exam, make_lead, make_user, take


def test_fixed_columns_and_domains_keep_their_spelling():
    assert normal_sort("name") == "name"
    assert normal_sort("-readiness") == "-readiness"
    domain = Domain.values[0]
    assert normal_sort(f"-domain-{domain}") == f"-domain-{domain}"


@pytest.mark.parametrize(
    "value",
    [None, "", "password", "-__class__", "--name", "name ", "-" * 3000 + "name", "domain-nope"],
)
def test_anything_unknown_is_the_default(value):
    assert normal_sort(value, topic_ids={7}) == DEFAULT_SORT


def test_a_topic_column_counts_only_for_a_known_topic():
    assert normal_sort("-topic-7", topic_ids={7, 8}) == "-topic-7"
    assert normal_sort("topic-9", topic_ids={7, 8}) == DEFAULT_SORT
    assert normal_sort("topic-7") == DEFAULT_SORT  # no topic is known


@pytest.mark.parametrize("spelling", ["topic-007", "topic-0000000007"])
def test_one_topic_is_spelled_one_way(spelling):
    assert normal_sort(spelling, topic_ids={7}) == "topic-7"


@pytest.mark.parametrize("digits", ["²", "٣", "7\n", " 7", "7.0", "-7"])
def test_digits_other_than_ascii_are_no_topic(digits):
    assert normal_sort(f"topic-{digits}", topic_ids={7, 3, 2}) == DEFAULT_SORT


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def dashboard(client, db):
    topics = make_bank(topics=2, per_topic=4)
    learner = make_user("learner")
    take(make_exam(items=4), learner, right=2)
    lead = make_lead()
    cohort = make_cohort(lead, members=[learner])
    client.force_login(lead)
    return {"url": reverse("cohorts:dashboard", args=[cohort.pk]), "topics": topics}


def table_key(client, url: str, sort: str | None = None) -> str:
    """The cache key the dashboard renders its table under for this ``?sort=``."""
    response = client.get(url, {"sort": sort} if sort is not None else {})
    assert response.status_code == 200
    return response.context["table_cache_key"]


def test_made_up_sorts_share_the_default_tables_cache_entry(client, dashboard):
    url = dashboard["url"]
    last = max(topic.pk for topic in dashboard["topics"])
    junk = ["nope", f"topic-{last + 1}", "topic-999999999", "topic-00", f"-topic-{last + 5}"]

    keys = {table_key(client, url, sort) for sort in [None, DEFAULT_SORT, *junk]}

    assert len(keys) == 1


def test_a_known_topic_sort_gets_one_entry_however_it_is_spelled(client, dashboard):
    url, topic = dashboard["url"], dashboard["topics"][0]
    spellings = [f"topic-{topic.pk}", f"topic-0{topic.pk}", f"topic-00{topic.pk}"]

    keys = {table_key(client, url, sort) for sort in spellings}

    assert len(keys) == 1
    assert keys != {table_key(client, url)}


def test_a_sort_with_a_superscript_digit_is_the_default_page_not_an_error(client, dashboard):
    assert table_key(client, dashboard["url"], "topic-²") == table_key(client, dashboard["url"])
