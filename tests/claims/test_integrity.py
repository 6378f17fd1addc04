"""Editorial integrity in the database and the admin: overclaiming, unsourced and suggested claims."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimDecision, EvidenceStatus
from claims.reanchoring import article_reanchor_claims
from claims.reports import site_report
from claims.services import claim_decide, claims_rerate_wording
from claims.text import wording
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, evidence
from tests.helpers import run_tasks
from tests.reviewing import bulk_decide, decide

pytestmark = pytest.mark.django_db

BODY = """## Stem cells and lupus

Stem-cell transplants cure lupus for good. \
Stem-cell transplants may be linked to fewer flares in a few people with severe lupus. \
Researchers hope that stem cells will one day repair damaged kidneys.

Hydroxychloroquine reduces flares of lupus nephritis and improves survival. \
There is no evidence that stem-cell clinics cure lupus.
"""
OVERCLAIM = "Stem-cell transplants cure lupus for good."
HEDGED = "Stem-cell transplants may be linked to fewer flares in a few people with severe lupus."
UNGRADED = "Hydroxychloroquine reduces flares of lupus nephritis and improves survival."
DENIAL = "There is no evidence that stem-cell clinics cure lupus."


@pytest.fixture
def lupus(db):
    return ConditionFactory(name="Systemic lupus erythematosus", slug="sle", synonyms="lupus\nSLE")


@pytest.fixture
def lupus_article(editor):
    return ArticleFactory(author=editor, body=BODY, title="Stem cells for lupus")


def claim_on(article, text, condition, grade="limited", **kwargs):
    return ClaimFactory(article=article, text=text, condition=condition, evidence_status=evidence(grade), **kwargs)


def test_a_claim_stores_how_assertively_its_words_are_worded(lupus_article, lupus):
    definite = claim_on(lupus_article, OVERCLAIM, lupus)
    hedged = claim_on(lupus_article, HEDGED, ConditionFactory())
    assert definite.wording_strength == wording.Strength.DEFINITE
    assert hedged.wording_strength == wording.Strength.POSSIBLE
    assert definite.wording_checked_with == wording.cues_version()


def test_overclaiming_compares_the_wording_with_what_the_grade_allows(lupus_article, lupus):
    limited = claim_on(lupus_article, OVERCLAIM, lupus, grade="limited")
    strong = claim_on(lupus_article, OVERCLAIM, ConditionFactory(), grade="strong")
    hedged = claim_on(lupus_article, HEDGED, lupus, grade="limited")
    assert limited.is_overclaiming and not strong.is_overclaiming and not hedged.is_overclaiming
    assert set(Claim.objects.overclaiming()) == {limited}


def test_a_grade_that_says_the_evidence_is_against_allows_a_denial(lupus_article, lupus):
    denial = claim_on(lupus_article, DENIAL, lupus, grade="not-supported")
    affirmed = claim_on(lupus_article, OVERCLAIM, lupus, grade="not-supported")
    assert not denial.is_overclaiming and affirmed.is_overclaiming
    assert set(Claim.objects.overclaiming()) == {affirmed}


def test_a_grade_allowing_stronger_wording_clears_the_flag(lupus_article, lupus):
    claim = claim_on(lupus_article, OVERCLAIM, lupus, grade="limited")
    status = claim.evidence_status
    status.wording_strength = wording.Strength.DEFINITE
    status.save()
    assert not Claim.objects.overclaiming().exists()


def test_unsourced_claims_are_found_by_the_queryset(lupus_article, lupus):
    sourced = claim_on(lupus_article, HEDGED, lupus)
    unsourced = claim_on(lupus_article, OVERCLAIM, lupus, sources=[])
    assert set(Claim.objects.unsourced()) == {unsourced}
    assert sourced not in Claim.objects.unsourced()


def test_approving_an_overclaiming_claim_needs_a_written_reason(lupus_article, lupus, reviewer):
    claim = claim_on(lupus_article, OVERCLAIM, lupus)
    with pytest.raises(ValidationError, match="more strongly than “Limited” allows"):
        claim_decide(claim=claim, reviewer=reviewer, decision="approved")
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING

    claim_decide(claim=claim, reviewer=reviewer, decision="approved", override_reason="  Quoting the clinic's advert. ")
    claim.refresh_from_db()
    decision = claim.decisions.get(decision=ClaimDecision.Decision.APPROVED)
    assert claim.review_state == Claim.ReviewState.APPROVED
    assert decision.override_reason == "Quoting the clinic's advert."
    assert decision.snapshot["overclaiming"] is True and decision.snapshot["wording"] == "definite"


def test_an_override_reason_is_not_kept_when_nothing_was_overridden(lupus_article, lupus, reviewer):
    claim = claim_on(lupus_article, HEDGED, lupus)
    claim_decide(claim=claim, reviewer=reviewer, decision="approved", override_reason="Just in case.")
    assert claim.decisions.get(decision="approved").override_reason == ""


def test_requesting_changes_to_an_overclaiming_claim_needs_no_override(lupus_article, lupus, reviewer):
    claim = claim_on(lupus_article, OVERCLAIM, lupus)
    claim_decide(claim=claim, reviewer=reviewer, decision="changes_requested", comment="Say “may”.")
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.CHANGES_REQUESTED


def test_an_unsourced_rated_claim_cannot_be_approved(lupus_article, lupus, reviewer):
    claim = claim_on(lupus_article, HEDGED, lupus, sources=[])
    with pytest.raises(Exception, match="cites no source"):
        claim_decide(claim=claim, reviewer=reviewer, decision="approved")


def test_an_edit_that_changes_the_words_rates_them_again(lupus_article, lupus):
    claim = claim_on(lupus_article, OVERCLAIM, lupus)
    lupus_article.body = BODY.replace(OVERCLAIM, "Stem-cell transplants might cure lupus for good.")
    lupus_article.save()
    article_reanchor_claims(article=lupus_article)
    claim.refresh_from_db()
    assert claim.quote == "Stem-cell transplants might cure lupus for good."
    assert claim.wording_strength == wording.Strength.POSSIBLE
    assert not claim.is_overclaiming


def test_claims_rated_with_older_cue_lists_are_rated_again(lupus_article, lupus):
    claim = claim_on(lupus_article, OVERCLAIM, lupus)
    Claim.objects.filter(pk=claim.pk).update(wording_strength=1, wording_checked_with="old")
    version = Claim.objects.get(pk=claim.pk).version
    assert claims_rerate_wording() == 1
    claim.refresh_from_db()
    assert (claim.wording_strength, claim.wording_checked_with) == (wording.Strength.DEFINITE, wording.cues_version())
    assert claim.version == version  # a derived field: no edit conflict for an editor with the claim open
    assert claims_rerate_wording() == 0


# The admin


def panel(client, article):
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_article_panel_counts_and_lists_flagged_claims_with_advice(editor_client, lupus_article, lupus):
    claim_on(lupus_article, OVERCLAIM, lupus)
    claim_on(lupus_article, HEDGED, lupus, sources=[])
    html = panel(editor_client, lupus_article)
    assert "1 overclaiming" in html and "1 unsourced" in html
    flagged = html.split("Flagged claims", 1)[1].split("</ol>", 1)[0]
    assert "<mark>cure</mark>" in flagged  # the words that drove the rating
    assert "Overclaiming" in flagged and "Unsourced" in flagged
    assert "Soften:" in flagged and "For example:" in flagged


def test_the_article_panel_names_promotional_wording_in_a_claim_its_grade_fits(editor_client, lupus):
    promising = "Low-dose belimumab is a promising option that may ease lupus fatigue."
    article = ArticleFactory(body=f"## Fatigue\n\n{promising}\n", title="Lupus fatigue")
    claim_on(article, promising, lupus, grade="moderate")
    html = panel(editor_client, article)
    assert "0 overclaiming" in html and "1 promotional wording" in html
    flagged = html.split("Flagged claims", 1)[1].split("</ol>", 1)[0]
    assert "Promotional wording" in flagged
    assert "“promising” sells the result as good news" in flagged


def test_the_article_panel_suggests_ungraded_health_claims_with_an_add_claim_link(editor_client, lupus_article, lupus):
    claim_on(lupus_article, OVERCLAIM, lupus)
    html = panel(editor_client, lupus_article)
    ungraded = html.split("Health claims nobody graded", 1)[1].split("</ol>", 1)[0]
    assert UNGRADED in ungraded
    assert OVERCLAIM not in ungraded  # it has a claim about lupus
    assert "Names <q>lupus</q>" in ungraded
    link = reverse("admin:claims_claim_add") + f"?article={lupus_article.pk}&amp;sentence="
    assert link in ungraded and f"condition={lupus.pk}" in ungraded


def test_the_add_claim_link_of_a_suggestion_prefills_sentence_and_condition(editor_client, lupus_article, lupus):
    html = panel(editor_client, lupus_article)
    start = html.index(UNGRADED, html.index("Health claims nobody graded"))
    href = html[html.index('href="', html.index("addlink", start)) + 6 :].split('"', 1)[0].replace("&amp;", "&")
    form = editor_client.get(href)
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["condition"] == str(lupus.pk)
    sentence = form.context["adminform"].form.initial["sentence"]
    start = lupus_article.body_text.index(UNGRADED)
    assert sentence == f"{start}:{start + len(UNGRADED)}"


REFERS_BACK = "This therapy reduced flares in half of the patients."


def test_a_sentence_referring_back_is_suggested_with_the_earlier_sentences_condition(editor_client, editor, lupus):
    names = "Rituximab is given to some people with lupus."
    article = ArticleFactory(author=editor, body=f"## Rituximab\n\n{names} {REFERS_BACK}\n", title="Rituximab")
    html = panel(editor_client, article)
    ungraded = html.split("Health claims nobody graded", 1)[1].split("</ol>", 1)[0]
    assert REFERS_BACK in ungraded
    assert "Names no condition itself; it refers back to “lupus”, named in the earlier sentence" in ungraded
    assert f"“{names}” (sentence 2): Systemic lupus erythematosus" in ungraded
    start = ungraded.index("suggestion--from-context")
    href = ungraded[ungraded.index('href="', start) + 6 :].split('"', 1)[0].replace("&amp;", "&")
    form = editor_client.get(href)
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["condition"] == str(lupus.pk)
    begin = article.body_text.index(REFERS_BACK)
    assert form.context["adminform"].form.initial["sentence"] == f"{begin}:{begin + len(REFERS_BACK)}"


def test_an_article_with_nothing_to_flag_says_so(editor_client, editor):
    article = ArticleFactory(author=editor, body="Hand washing is a habit worth keeping.")
    assert "Nothing flagged" in panel(editor_client, article)


def test_the_claim_list_has_an_integrity_column_and_filter(editor_client, lupus_article, lupus):
    overclaiming = claim_on(lupus_article, OVERCLAIM, lupus)
    unsourced = claim_on(lupus_article, HEDGED, lupus, sources=[])
    url = reverse("admin:claims_claim_changelist")
    listed = editor_client.get(url + "?integrity=overclaiming")
    assert list(listed.context["cl"].result_list) == [overclaiming]
    assert "⚠</span> Overclaiming" in listed.content.decode()
    listed = editor_client.get(url + "?integrity=unsourced")
    assert list(listed.context["cl"].result_list) == [unsourced]
    assert "∅</span> Unsourced" in listed.content.decode()
    assert set(editor_client.get(url + "?integrity=flagged").context["cl"].result_list) == {overclaiming, unsourced}


def test_the_review_queue_filters_overclaiming_claims(reviewer_client, lupus_article, lupus):
    overclaiming = claim_on(lupus_article, OVERCLAIM, lupus)
    claim_on(lupus_article, HEDGED, lupus)
    url = reverse("admin:claims_reviewqueueclaim_changelist")
    listed = reviewer_client.get(url + "?integrity=overclaiming")
    assert list(listed.context["cl"].result_list) == [overclaiming]
    assert "Overclaiming" in listed.content.decode()
    assert len(reviewer_client.get(url + "?integrity=clear").context["cl"].result_list) == 1


def test_the_claim_page_explains_the_wording_and_asks_a_reviewer_for_a_reason(reviewer_client, lupus_article, lupus):
    claim = claim_on(lupus_article, OVERCLAIM, lupus)
    html = reviewer_client.get(claim.get_admin_url()).content.decode()
    assert "Worded as definite" in html and "allows possible at most" in html
    assert 'name="override_reason"' in html


def test_approving_without_a_reason_keeps_what_the_reviewer_typed(reviewer_client, lupus_article, lupus):
    claim = claim_on(lupus_article, OVERCLAIM, lupus)
    response = decide(reviewer_client, claim, "approved", comment="Fine by me.\nReally.")
    html = response.content.decode()
    assert "more strongly than “Limited” allows" in html
    assert "Fine by me.\nReally.</textarea>" in html
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING

    decide(reviewer_client, claim, "approved", override_reason="It quotes the advert.")
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.APPROVED
    history = reviewer_client.get(claim.get_admin_url()).content.decode()
    assert "Approved despite overclaiming:</strong> It quotes the advert." in history


def test_bulk_approval_leaves_overclaiming_claims_to_their_own_page(reviewer_client, lupus_article, lupus):
    overclaiming = claim_on(lupus_article, OVERCLAIM, lupus)
    fine = claim_on(lupus_article, HEDGED, lupus)
    response = bulk_decide(
        reviewer_client, reverse("admin:claims_claim_changelist"), "approve_selected", [overclaiming, fine]
    )
    assert "Approve it from its own page" in response.content.decode()
    assert Claim.objects.get(pk=fine.pk).is_approved
    assert not Claim.objects.get(pk=overclaiming.pk).is_approved


# The site's report


@pytest.fixture
def two_articles(editor, lupus):
    worse = ArticleFactory(author=editor, body=BODY, title="Worse")
    claim_on(worse, OVERCLAIM, lupus, sources=[])
    better = ArticleFactory(author=editor, body=f"{HEDGED}\n", title="Better")
    claim_on(better, HEDGED, lupus, sources=[])
    ArticleFactory(author=editor, body="Hand washing is a habit.", title="Clean")
    return worse, better


def test_the_report_ranks_articles_by_flags_and_totals_each_grade(two_articles):
    worse, better = two_articles
    report = site_report()
    assert [row.article for row in report.rows] == [worse, better]
    assert (report.rows[0].overclaiming, report.rows[0].unsourced) == (1, 1)
    assert report.rows[0].suggested >= 1 and report.rows[1].flags == 1
    assert report.articles_checked == 3
    limited = next(t for t in report.statuses if t.status.slug == "limited")
    assert (limited.claims, limited.overclaiming, limited.unsourced) == (2, 1, 2)


def test_an_archived_article_is_left_out_of_the_report(two_articles, editor):
    from articles.services import article_archive

    worse, better = two_articles
    article_archive(article=worse, user=editor)
    assert [row.article for row in site_report().rows] == [better]


def test_an_overclaiming_claim_approved_with_a_reason_is_counted_apart(editor, editor_client, reviewer, lupus):
    EvidenceStatus.objects.filter(slug="limited").update(supports_causal_wording=False)
    article = ArticleFactory(author=editor, body=f"{OVERCLAIM}\n", title="Overridden")
    claim = claim_on(article, OVERCLAIM, lupus)
    [row] = site_report().rows
    # "cure" is also a cause that grade cannot support: a second flag, overridden by the same reason.
    assert (row.overclaiming, row.causal, row.overridden, row.flags) == (1, 1, 0, 2)

    claim_decide(claim=claim, reviewer=reviewer, decision="approved", override_reason="Quotes the advert.")
    report = site_report()
    [row] = report.rows
    assert (row.overclaiming, row.overridden, row.causal_overridden, row.flags) == (0, 1, 1, 0)
    limited = next(t for t in report.statuses if t.status.slug == "limited")
    assert (limited.overclaiming, limited.overridden) == (0, 1)
    html = panel(editor_client, article)
    assert "0 overclaiming" in html and "1 approved despite it" in html
    assert "with the reviewer’s reason: “Quotes the advert.”" in html


def test_the_report_page_lists_articles_and_offers_a_csv(editor_client, two_articles):
    worse, better = two_articles
    url = reverse("admin:claims_integrity_report")
    html = editor_client.get(url).content.decode()
    assert html.index(">Worse</a>") < html.index(">Better</a>")
    assert "Clean" not in html
    response = editor_client.get(url + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["article", "status", "overclaiming"]
    assert [rows[1][0], rows[2][0]] == ["Worse", "Better"]


def test_the_command_prints_the_report_as_text_and_csv(two_articles):
    text = io.StringIO()
    call_command("integrity_report", stdout=text)
    lines = text.getvalue().splitlines()
    assert lines[0] == "Integrity report: 3 articles checked, 2 with flags."
    ranked = [line for line in lines if line.endswith("(published)")]
    assert ranked[0].endswith("Worse (published)") and ranked[1].endswith("Better (published)")
    out = io.StringIO()
    call_command("integrity_report", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][0] == "Worse" and rows[1][2:4] == ["1", "1"]
    assert [
        "evidence status",
        "claims",
        "overclaiming",
        "approved despite overclaiming",
        "unsourced",
        "causal wording for an association",
        "promotional wording",
    ] in rows


def test_the_report_enqueued_is_written_to_a_file_by_the_worker(two_articles, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path / "reports"
    path = settings.REPORTS_DIR / f"integrity-report-{timezone.localdate():%Y-%m-%d}.txt"
    out = io.StringIO()
    call_command("integrity_report", "--enqueue", stdout=out)
    assert f"a background worker writes it to {path}" in out.getvalue()
    assert not path.exists()

    run_tasks()

    printed = io.StringIO()
    call_command("integrity_report", stdout=printed)
    assert path.read_text(encoding="utf-8") == printed.getvalue()
    # Run again the same day: the same file, whole, and nothing left beside it.
    call_command("integrity_report", "--enqueue", stdout=io.StringIO())
    run_tasks()
    assert path.read_text(encoding="utf-8") == printed.getvalue()
    assert [file.name for file in settings.REPORTS_DIR.iterdir()] == [path.name]


def test_the_report_enqueued_as_csv_is_written_as_csv(two_articles, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path
    call_command("integrity_report", "--enqueue", "--format", "csv", stdout=io.StringIO())

    run_tasks()

    [path] = tmp_path.glob("integrity-report-*.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[1][0] == "Worse" and rows[1][2:4] == ["1", "1"]
    assert rows[1][-1] == reverse("admin:articles_article_change", args=[two_articles[0].pk])


def test_a_title_a_spreadsheet_would_run_is_kept_as_text(editor, lupus):
    article = ArticleFactory(author=editor, body=BODY, title="=HYPERLINK(1)")
    claim_on(article, OVERCLAIM, lupus)
    out = io.StringIO()
    call_command("integrity_report", "--format", "csv", stdout=out)
    assert "'=HYPERLINK(1)" in out.getvalue()


def test_public_pages_never_show_the_checkers_findings(client, lupus_article, lupus):
    claim_on(lupus_article, OVERCLAIM, lupus, sources=[])
    html = client.get(lupus_article.get_absolute_url()).content.decode()
    for word in ("Overclaiming", "Unsourced", "Suggested claim", "Worded as", "integrity"):
        assert word not in html


def test_a_reviewer_reads_the_panel_without_add_claim_links(reviewer_client, lupus_article, lupus):
    html = panel(reviewer_client, lupus_article)
    assert "Health claims nobody graded" in html
    assert reverse("admin:claims_claim_add") not in html


def test_the_claim_list_tells_open_overclaiming_from_approved_with_a_reason(editor_client, reviewer, editor, lupus):
    article = ArticleFactory(author=editor, body=BODY)
    accepted = claim_on(article, OVERCLAIM, lupus)
    claim_decide(claim=accepted, reviewer=reviewer, decision="approved", override_reason="Quotes the advert.")
    still_open = claim_on(article, UNGRADED, lupus, grade="very-uncertain")
    url = reverse("admin:claims_claim_changelist")
    assert list(editor_client.get(url + "?integrity=overclaiming").context["cl"].result_list) == [still_open]
    listed = editor_client.get(url + "?integrity=overridden")
    assert list(listed.context["cl"].result_list) == [accepted]
    assert "Overclaiming, approved with a reason" in listed.content.decode()


def test_saving_a_claim_that_overclaims_returns_to_the_top_of_the_article_with_the_warning(
    editor_client, lupus_article, lupus
):
    start = lupus_article.body_text.index(OVERCLAIM)
    data = {
        "sentence": f"{start}:{start + len(OVERCLAIM)}",
        "part": "",
        "condition": lupus.pk,
        "evidence_status": evidence("limited").pk,
        "new_sources": "PMID: 29298160",
        "explanation": "One small trial.",
        "reviewer_note": "",
    }
    response = editor_client.post(reverse("admin:claims_claim_add") + f"?article={lupus_article.pk}", data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[lupus_article.pk])
    page = editor_client.get(response["Location"]).content.decode()
    assert "Overclaiming: “Stem-cell transplants cure lupus for good.” is worded as definite" in page
