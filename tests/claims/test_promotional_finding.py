"""Promotional wording in the database and the admin: stored, listed, filtered, reported; advice, never a flag."""

import csv
import io

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.reports import report_csv_rows, report_text, site_report
from claims.services import claims_rerate_wording
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, evidence

pytestmark = pytest.mark.django_db

PROMISING = "Early trials of stem-cell infusions for asthma are promising."
HYPE = "Stem-cell infusions will transform asthma care."
PLAIN = "Inhaled steroids reduce asthma attacks."
BODY = f"""## Asthma treatments

{PROMISING} {HYPE}

{PLAIN}
"""


@pytest.fixture
def article(editor):
    return ArticleFactory(author=editor, body=BODY, title="New asthma treatments")


def claim_on(article, text, grade="limited", condition=None):
    condition = condition or ConditionFactory()
    return ClaimFactory(article=article, text=text, condition=condition, evidence_status=evidence(grade))


@pytest.fixture
def found(article):
    """A promotional claim its grade fits, a hype claim that overclaims, and a plain one."""
    return {
        "promising": claim_on(article, PROMISING),
        "overclaiming": claim_on(article, HYPE),
        "plain": claim_on(article, PLAIN, grade="strong"),
    }


def test_a_claim_stores_whether_its_wording_sells_the_result(found):
    assert found["promising"].wording_promotional is True
    assert found["overclaiming"].wording_promotional is True
    assert found["plain"].wording_promotional is False


def test_only_claims_that_do_not_overclaim_are_promotional(found):
    # Overclaiming's advice names the hype words already: it is not counted twice.
    assert found["overclaiming"].is_overclaiming
    assert list(Claim.objects.promotional()) == [found["promising"]]
    assert found["promising"].is_promotional and not found["overclaiming"].is_promotional


def test_a_hype_claim_its_grade_fits_is_promotional(article):
    strong = claim_on(article, HYPE, grade="strong")
    assert not strong.is_overclaiming
    assert list(Claim.objects.promotional()) == [strong]


def test_claims_rated_before_promotional_wording_was_stored_are_read_again(found):
    Claim.objects.update(wording_promotional=None)
    assert claims_rerate_wording() == 3
    assert set(Claim.objects.filter(wording_promotional=True)) == {found["promising"], found["overclaiming"]}
    assert claims_rerate_wording() == 0


def test_the_claim_list_filters_and_shows_promotional_wording(editor_client, found):
    url = reverse("admin:claims_claim_changelist")
    listed = editor_client.get(url + "?integrity=promotional")
    assert list(listed.context["cl"].result_list) == [found["promising"]]
    html = listed.content.decode()
    assert '<span class="integrity-flag integrity-flag--promotional"><span aria-hidden="true">✦</span> ' in html
    assert "✦</span> Promotional wording" in html
    choices = editor_client.get(url).content.decode()
    assert "✦ Promotional wording" in choices
    # Advice, not one of the flags "Any of these" gathers.
    assert found["promising"] not in set(editor_client.get(url + "?integrity=flagged").context["cl"].result_list)


def test_the_review_queue_column_names_promotional_wording(reviewer_client, found):
    response = reviewer_client.get(reverse("admin:claims_reviewqueueclaim_changelist"))
    rows = {
        claim.pk: response.context["cl"].model_admin.integrity(claim) for claim in response.context["cl"].result_list
    }
    assert "✦</span> Promotional wording" in rows[found["promising"].pk]
    assert "Promotional" not in rows[found["overclaiming"].pk]
    assert "Promotional" not in rows[found["plain"].pk]
    filtered = reviewer_client.get(reverse("admin:claims_reviewqueueclaim_changelist") + "?integrity=promotional")
    assert [claim.pk for claim in filtered.context["cl"].result_list] == [found["promising"].pk]


def test_the_report_counts_promotional_wording_apart_from_the_flags(found):
    [row] = site_report().rows
    assert row.promotional == 1
    assert row.flags == row.overclaiming + row.causal + row.unsourced + row.suggested
    rows = list(report_csv_rows(site_report()))
    assert rows[1][rows[0].index("promotional wording")] == 1
    status_header = rows.index([]) + 1
    limited = next(r for r in rows[status_header + 1 :] if r[0] == "Limited")
    assert limited[rows[status_header].index("promotional wording")] == 1
    assert "Promotional wording 1 (advice; not counted as flags)" in report_text(site_report())


def test_an_article_with_only_promotional_wording_is_listed(editor):
    article = ArticleFactory(author=editor, body=f"{PROMISING}\n")
    claim_on(article, PROMISING)
    report = site_report()
    assert [(row.article, row.promotional) for row in report.rows] == [(article, 1)]


def test_the_report_page_and_its_csv_give_promotional_wording(editor_client, found):
    page = editor_client.get(reverse("admin:claims_integrity_report")).content.decode()
    assert "?integrity=promotional" in page and "1 promotional wording" in page
    response = editor_client.get(reverse("admin:claims_integrity_report") + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][rows[0].index("promotional wording")] == "1"
