"""Through a real Varnish with the repository's VCL: public pages are kept and served again, staff's never,
and a change readers can see reaches them on the next request because the site purged it."""

import httpx
import pytest

from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, published
from tests.helpers import run_tasks

from .varnish import running_varnish

pytestmark = [pytest.mark.varnish, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def varnish(live_server, settings):
    """Varnish in front of the live server, told of changes by the site; shared caching for an hour."""
    port = int(live_server.url.rsplit(":", 1)[1])
    with running_varnish(port) as address:
        settings.PURGE_BACKEND = "varnish"
        settings.PURGE_VARNISH_URLS = [address]
        settings.SITE_URL = address  # readers ask for the host Varnish keys its copies by
        settings.CDN_S_MAXAGE = 3600
        with httpx.Client(base_url=address, timeout=10) as client:
            yield client


@pytest.fixture
def pending(editor):
    """A published article on the topic "lungs" whose claim is still under review."""
    article = ArticleFactory(author=editor, slug="stem-cells", title="Stem cells and the lung")
    article.tags.add("lungs")
    claim = ClaimFactory(article=article, condition=ConditionFactory(slug="lung-scarring"))
    run_tasks()
    return claim


def test_a_public_page_is_kept_and_an_approval_reaches_the_next_reader_through_the_purge(varnish, pending, reviewer):
    path = pending.article.get_absolute_url()
    first = varnish.get(path)
    second = varnish.get(path)
    assert (first.status_code, first.headers["X-Cache"]) == (200, "MISS")
    assert (second.status_code, second.headers["X-Cache"]) == (200, "HIT")
    assert second.text == first.text and "Under review" in first.text

    claim_approve(claim=pending, reviewer=reviewer)
    published(pending.article)
    kept = varnish.get(path)
    assert kept.headers["X-Cache"] == "HIT" and "Under review" in kept.text  # Varnish alone would keep the old page

    run_tasks()  # the worker sends the purge
    after = varnish.get(path)
    assert after.headers["X-Cache"] == "MISS"
    assert "Under review" not in after.text and pending.evidence_status.name in after.text
    assert after.headers["ETag"] != first.headers["ETag"]


def test_lists_and_the_evidence_map_show_a_new_title_on_the_next_request(varnish, pending):
    paths = ["/", "/tags/lungs/", "/tags/lungs/?page=1", "/feed/", pending.article.get_absolute_url()]
    for path in paths:
        varnish.get(path)
        assert varnish.get(path).headers["X-Cache"] == "HIT", path

    article = pending.article
    article.title = "Stem cells and lung scarring"
    article.save()
    published(article)
    run_tasks()

    for path in paths:
        response = varnish.get(path)
        assert response.headers["X-Cache"] == "MISS", path
        assert "Stem cells and lung scarring" in response.text, path


def test_varnish_answers_a_revalidating_browser_304_from_its_copy(varnish, pending):
    path = pending.article.get_absolute_url()
    tag = varnish.get(path).headers["ETag"]
    again = varnish.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["X-Cache"] == "HIT"


def test_staff_and_the_admin_go_past_varnish_every_time(varnish, pending, editor, client):
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    path = pending.article.get_absolute_url()
    varnish.get(path)  # a reader's copy is kept
    for _ in range(2):
        staff = varnish.get(path, headers={"Cookie": f"sessionid={session}"})
        assert staff.headers["X-Cache"] == "MISS"
        assert "You are viewing the live page" in staff.text
    assert varnish.get("/admin/login/").headers["X-Cache"] == "MISS"
    assert varnish.get("/admin/login/").headers["X-Cache"] == "MISS"


def test_a_purge_from_elsewhere_than_loopback_is_refused_by_the_vcl():
    from .varnish import vcl_for

    vcl = vcl_for(8000)
    assert 'acl purgers {\n    "127.0.0.1";\n    "::1";\n}' in vcl
    assert "client.ip !~ purgers" in vcl.split('req.method == "PURGE"')[1].split("}")[0]
