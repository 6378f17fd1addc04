"""The editorial admin: picking sentences, making and editing claims, approving them, reviewing articles."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import add_months
from claims.models import Claim, EvidenceStatus, Outcome, Source, SourceRecord
from claims.services import claim_approve
from tests.factories import (
    ClaimFactory,
    ConditionFactory,
    EditorFactory,
    SourceFactory,
    UserFactory,
    evidence,
)
from tests.factories import claim_form_data as change_data
from tests.helpers import messages_of, sentence_value
from tests.reviewing import bulk_decide

pytestmark = pytest.mark.django_db

CLAIM_ADD_URL = "/admin/claims/claim/add/"
CLAIM_CHANGELIST_URL = "/admin/claims/claim/"
ARTICLE_CHANGELIST_URL = "/admin/articles/article/"


# Helpers ----------------------------------------------------------------------------------


def add_url(article):
    return f"{CLAIM_ADD_URL}?article={article.pk}"


def new_claim_data(article, sentence, condition, status=None, **overrides):
    """The POST data of the claim add form for `sentence` of `article`."""
    data = {
        "sentence": sentence_value(sentence),
        "part": "",
        "condition": str(condition.pk),
        "evidence_status": str((status or evidence("limited")).pk),
        "sources": [],
        "new_sources": "",
        "explanation": "Two small early trials in people.",
        "reviewer_note": "Checked against the trial registry.",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def hrefs(content):
    return [html.unescape(href) for href in re.findall(r'href="([^"]*)"', content)]


def sentence_radios(content):
    """{value: is_checked} for each radio of the `sentence` field."""
    radios = {}
    for tag in re.findall(r"<input[^>]*>", content):
        if 'type="radio"' in tag and 'name="sentence"' in tag:
            value = html.unescape(re.search(r'value="([^"]*)"', tag).group(1))
            radios[value] = bool(re.search(r"\schecked\b", tag))
    return radios


def sentence_rows(content):
    """The rows of the article editor's sentence panel, as HTML strings."""
    return re.findall(r'<tr class="sentence sentence--.*?</tr>', content, flags=re.S)


def approve(claim, reviewer):
    return claim_approve(claim=claim, reviewer=reviewer)


def run_action(client, url, action, objects):
    return client.post(
        url,
        {"action": action, "_selected_action": [str(obj.pk) for obj in objects]},
        follow=True,
    )


# The article editor's sentence panel --------------------------------------------------------


def test_article_change_page_lists_each_sentence_with_an_add_claim_link(editor_client, article):
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    sentences = article.sentences()
    rows = sentence_rows(content)
    assert len(rows) == len(sentences)
    for row, sentence in zip(rows, sentences, strict=True):
        assert html.escape(sentence.text, quote=False) in row
        add_links = [urlsplit(href) for href in hrefs(row) if urlsplit(href).path == CLAIM_ADD_URL]
        assert len(add_links) == 1
        query = parse_qs(add_links[0].query)
        assert query == {"article": [str(article.pk)], "sentence": [sentence_value(sentence)]}
        assert "Add claim" in row


def test_article_change_page_shows_existing_claims_under_their_sentence(editor_client, article):
    condition = ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf")
    claim = ClaimFactory(article=article, sentence=2, condition=condition, evidence_status=evidence("limited"))

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    rows = sentence_rows(response.content.decode())
    holding = [i for i, row in enumerate(rows) if claim.get_admin_url() in row]
    assert holding == [2]
    assert claim.get_admin_url() in rows[2]
    assert "Limited" in rows[2]


def test_article_change_page_puts_every_claim_under_the_sentence_it_starts_in(editor_client, article):
    sentences = article.sentences()
    whole = [ClaimFactory(article=article, sentence=i, condition=ConditionFactory(slug=f"on-{i}")) for i in (1, 3, 5)]
    second = ClaimFactory(article=article, sentence=3, condition=ConditionFactory(slug="second-on-3"))
    last_words = sentences[2].text.split(" ", 2)[-1]
    part = ClaimFactory(article=article, text=last_words, condition=ConditionFactory(slug="part-of-2"))
    lost = ClaimFactory(article=article, sentence=4, condition=ConditionFactory(slug="lost"))
    Claim.objects.filter(pk=lost.pk).update(is_orphaned=True)

    rows = sentence_rows(
        editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    )

    placed = {index: {c.pk for c in Claim.objects.all() if c.get_admin_url() in row} for index, row in enumerate(rows)}
    assert placed == {
        0: set(),
        1: {whole[0].pk},
        2: {part.pk},
        3: {whole[1].pk, second.pk},
        4: set(),  # its claim lost the sentence: listed above the table instead
        5: {whole[2].pk},
    }
    assert len(sentences) == 6


# The claim add page -----------------------------------------------------------------------------


def test_claim_add_page_without_an_article_shows_the_article_picker(editor_client, article):
    response = editor_client.get(CLAIM_ADD_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Add claim: choose the article" in content
    assert f'href="?article={article.pk}"' in content
    assert article.title in content
    assert 'name="sentence"' not in content


def test_claim_add_page_for_an_article_lists_its_sentences_with_the_chosen_one_checked(editor_client, article):
    sentences = article.sentences()
    chosen = sentences[2]

    response = editor_client.get(f"{add_url(article)}&sentence={sentence_value(chosen)}")

    assert response.status_code == 200
    radios = sentence_radios(response.content.decode())
    assert list(radios) == [sentence_value(s) for s in sentences]
    assert [value for value, checked in radios.items() if checked] == [sentence_value(chosen)]
    for sentence in sentences:
        assert html.escape(sentence.text, quote=False) in response.content.decode()


# Creating claims -----------------------------------------------------------------------------------


def test_editor_creates_a_claim_on_the_picked_sentence_with_its_exact_words(editor_client, editor, article):
    sentence = article.sentences()[2]
    condition = ConditionFactory()

    response = editor_client.post(
        add_url(article), new_claim_data(article, sentence, condition, new_sources="PMID: 29298160")
    )

    assert response.status_code == 302
    # Back to the article's sentence list, ready for the next claim (nothing to warn about at the top).
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk]) + "#sentences"
    claim = Claim.objects.get()
    assert claim.article == article
    assert claim.quote == sentence.text == "Stem-cell infusions may be safe in small early trials."
    assert claim.start == sentence.start
    assert claim.prefix == article.body_text[max(0, sentence.start - 32) : sentence.start]
    assert claim.prefix.endswith("idiopathic pulmonary fibrosis. ")
    assert claim.suffix == article.body_text[sentence.end : sentence.end + 32]
    assert claim.suffix.startswith(" We do not know")
    assert claim.condition == condition
    assert claim.evidence_status == evidence("limited")
    assert claim.explanation == "Two small early trials in people."
    assert claim.reviewer_note == "Checked against the trial registry."
    assert claim.created_by == editor
    assert claim.last_changed_by == editor
    assert claim.review_state == Claim.ReviewState.DRAFT  # not submitted: the box was left unticked
    assert claim.reviewed_by is None
    assert not claim.is_orphaned


def test_claiming_part_of_a_sentence_stores_that_part_at_its_offset(editor_client, article):
    sentence = article.sentences()[2]
    part = "may be safe"

    response = editor_client.post(add_url(article), new_claim_data(article, sentence, ConditionFactory(), part=part))

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.quote == part
    assert claim.start == sentence.start + sentence.text.index(part)
    assert article.body_text[claim.start : claim.end] == part
    assert claim.prefix.endswith("Stem-cell infusions ")
    assert claim.suffix.startswith(" in small early trials.")


def test_a_part_not_in_the_sentence_is_refused_and_keeps_what_was_typed(editor_client, article):
    sentence = article.sentences()[2]
    explanation = "Only 46 people in two uncontrolled studies were followed up."

    response = editor_client.post(
        add_url(article),
        new_claim_data(article, sentence, ConditionFactory(), part="stem cells cure fibrosis", explanation=explanation),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "These words are not in the chosen sentence exactly as written" in content
    assert explanation in content
    assert "stem cells cure fibrosis" in content
    assert not Claim.objects.exists()


def test_new_sources_are_created_or_reused_with_normalised_identifiers(editor_client, article):
    existing = SourceFactory(kind=Source.Kind.PMID, identifier="29298160", title="Existing trial report")
    lines = "PMID: 29298160\ndoi:10.1056/NEJMoa1703327\n\nNCT00114530\nhttps://www.nhs.uk/conditions/\n"

    response = editor_client.post(
        add_url(article), new_claim_data(article, article.sentences()[1], ConditionFactory(), new_sources=lines)
    )

    assert response.status_code == 302
    claim = Claim.objects.get()
    linked = {(s.kind, s.identifier) for s in claim.sources.all()}
    assert linked == {
        ("pmid", "29298160"),
        ("doi", "10.1056/nejmoa1703327"),
        ("nct", "NCT00114530"),
        ("url", "https://www.nhs.uk/conditions/"),
    }
    assert Source.objects.filter(kind="pmid", identifier="29298160").count() == 1
    assert claim.sources.filter(pk=existing.pk).exists()
    assert Source.objects.count() == 4


def test_sources_added_from_the_claim_page_say_what_became_of_their_look_ups(editor_client, article, services):
    lines = "PMID: 31000030\nhttps://www.nhs.uk/conditions/\n"

    response = editor_client.post(
        add_url(article),
        new_claim_data(article, article.sentences()[1], ConditionFactory(), new_sources=lines),
        follow=True,
    )

    said = messages_of(response)
    assert any(m.startswith("PMID 31000030: Look-up queued on ") for m in said), said
    assert "https://www.nhs.uk/conditions/: Never looked up: a web address is never fetched." in said


def test_a_source_picked_on_the_claim_page_with_look_ups_off_says_so(editor_client, article, settings):
    settings.SOURCE_LOOKUPS = False
    picked = SourceFactory(kind=Source.Kind.PMID, identifier="31000031", title="", year=None)
    data = new_claim_data(article, article.sentences()[1], ConditionFactory(), sources=[str(picked.pk)])

    response = editor_client.post(add_url(article), data, follow=True)

    assert "PMID 31000031: Look-ups are turned off on this site: type the citation by hand." in messages_of(response)


def test_a_source_made_while_look_ups_were_off_is_looked_up_when_a_claim_cites_it_with_them_on(
    editor_client, article, settings, django_capture_on_commit_callbacks
):
    settings.SOURCE_LOOKUPS = False
    picked = SourceFactory(kind=Source.Kind.PMID, identifier="31000003", title="", year=None)
    settings.SOURCE_LOOKUPS = True
    data = new_claim_data(article, article.sentences()[1], ConditionFactory(), sources=[str(picked.pk)])

    with django_capture_on_commit_callbacks() as queued:
        response = editor_client.post(add_url(article), data, follow=True)

    assert SourceRecord.objects.get(source=picked).outcome == Outcome.QUEUED and queued
    assert any(m.startswith("PMID 31000003: Look-up queued on ") for m in messages_of(response)), messages_of(response)
    source_page = reverse("admin:claims_source_change", args=[picked.pk])
    assert f'<a href="{source_page}">PMID 31000003</a>' in response.text


def test_the_sources_check_of_a_claim_citing_nothing_reassures_nobody(editor_client, article):
    claim = ClaimFactory(article=article, sources=[])

    text = html.unescape(editor_client.get(claim.get_admin_url()).text)

    assert "No sources to check: it cites none yet." in text
    assert "its sources fit its grade" not in text


def test_the_sources_check_says_nothing_is_known_of_sources_never_looked_up(editor_client, article, settings):
    settings.SOURCE_LOOKUPS = False
    reviews = [
        SourceFactory(kind=Source.Kind.PMID, identifier=pmid, design=Source.Design.SYSTEMATIC_REVIEW)
        for pmid in ("31000004", "31000005")
    ]
    claim = ClaimFactory(article=article, sources=reviews)

    text = html.unescape(editor_client.get(claim.get_admin_url()).text)

    assert (
        "Nothing found: its sources fit its grade, and none of its sources has been looked up, so nothing is known "
        "of a retraction or a stopped trial."
    ) in text
    assert "none was retracted" not in text


def test_a_bad_new_source_line_is_a_form_error_and_creates_nothing(editor_client, article):
    response = editor_client.post(
        add_url(article),
        new_claim_data(article, article.sentences()[1], ConditionFactory(), new_sources="PMID: 29298160\nnot an id"),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "This is not a PubMed ID (29298160), DOI (10.1056/NEJMoa1703327), NCT number" in content
    assert "not an id" in content
    assert not Claim.objects.exists()
    assert not Source.objects.exists()


def test_a_second_claim_about_the_same_condition_on_a_sentence_is_refused(editor_client, article):
    condition = ConditionFactory()
    first = ClaimFactory(article=article, sentence=1, condition=condition)

    response = editor_client.post(
        add_url(article), new_claim_data(article, article.sentences()[1], condition, status=evidence("strong"))
    )

    assert response.status_code == 200
    assert "This sentence already has a claim about that condition" in response.content.decode()
    assert list(Claim.objects.all()) == [first]


def test_a_claim_about_another_condition_on_the_same_sentence_is_accepted(editor_client, article):
    first = ClaimFactory(article=article, sentence=1, condition=ConditionFactory())
    other = ConditionFactory()

    response = editor_client.post(add_url(article), new_claim_data(article, article.sentences()[1], other))

    assert response.status_code == 302
    second = Claim.objects.exclude(pk=first.pk).get()
    assert second.condition == other
    assert (second.start, second.quote) == (first.start, first.quote)


# Approving claims ----------------------------------------------------------------------------------


def test_reviewer_approves_another_users_claim_with_the_admin_action(reviewer_client, reviewer, article):
    claim = ClaimFactory(article=article)
    before = timezone.now()

    response = bulk_decide(reviewer_client, CLAIM_CHANGELIST_URL, "approve_selected", [claim])

    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.APPROVED
    assert claim.reviewed_by == reviewer
    assert claim.reviewed_at is not None and claim.reviewed_at >= before
    assert claim.next_review_due == add_months(timezone.localdate(claim.reviewed_at), 12)
    assert "Approved 1 claim." in messages_of(response)


def test_a_superuser_reviewer_cannot_approve_their_own_claim(client, article):
    author = UserFactory(username="chief", is_superuser=True, group="Reviewers")
    claim = ClaimFactory(article=article, created_by=author)
    client.force_login(author)

    response = bulk_decide(client, CLAIM_CHANGELIST_URL, "approve_selected", [claim])

    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING
    assert claim.reviewed_by is None
    assert claim.reviewed_at is None
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert any("You wrote this claim: another reviewer must decide on it." in text for text in errors)
    assert "You wrote this claim" in response.content.decode()


def test_an_editor_is_not_offered_the_approve_action(editor_client, article):
    claim = ClaimFactory(article=article, created_by=EditorFactory())

    page = editor_client.get(CLAIM_CHANGELIST_URL)

    assert page.status_code == 200
    content = page.content.decode()
    assert 'value="delete_selected"' in content  # the action menu is there, without approval
    assert "approve_selected" not in content
    assert "Approve selected claims" not in content
    bulk_decide(editor_client, CLAIM_CHANGELIST_URL, "approve_selected", [claim])
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING


# Editing approved claims ---------------------------------------------------------------------------


def test_changing_an_approved_claims_evidence_status_sends_it_back_for_review(client, article, reviewer):
    claim = approve(ClaimFactory(article=article, sentence=2, evidence_status=evidence("limited")), reviewer)
    other_editor = EditorFactory()
    client.force_login(other_editor)

    response = client.post(
        claim.get_admin_url(), change_data(claim, evidence_status=str(evidence("strong").pk)), follow=True
    )

    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.evidence_status == evidence("strong")
    assert claim.review_state == Claim.ReviewState.PENDING
    assert claim.last_changed_by == other_editor
    assert any("Approval withdrawn: its evidence grade changed." in text for text in messages_of(response))


def test_another_editor_changing_only_the_explanations_punctuation_keeps_the_claim_approved(client, article, reviewer):
    claim = approve(ClaimFactory(article=article, sources=[SourceFactory()]), reviewer)
    other_editor = EditorFactory()
    client.force_login(other_editor)

    response = client.post(claim.get_admin_url(), change_data(claim, explanation="Two small trials in people!"))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.explanation == "Two small trials in people!"
    assert claim.review_state == Claim.ReviewState.APPROVED
    assert claim.reviewed_by == reviewer
    assert claim.last_changed_by == other_editor


# Articles in the admin -----------------------------------------------------------------------------


def test_creating_an_article_in_the_admin_makes_the_signed_in_user_its_author(editor_client, editor):
    someone_else = EditorFactory()

    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Breathlessness and exercise",
            "slug": "breathlessness-and-exercise",
            "standfirst": "Why moving more helps.",
            "body": "Pulmonary rehabilitation probably improves breathlessness.",
            "tags": "lung disease",
            "status": "draft",
            "author": str(someone_else.pk),
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    article = Article.objects.get(slug="breathlessness-and-exercise")
    assert article.author == editor
    assert article.status == Article.Status.DRAFT


# Evidence statuses ---------------------------------------------------------------------------------


def test_an_evidence_status_in_use_cannot_be_deleted(client, superuser, article):
    status = evidence("strong")
    ClaimFactory(article=article, evidence_status=status)
    client.force_login(superuser)
    url = reverse("admin:claims_evidencestatus_delete", args=[status.pk])

    page = client.get(url)
    attempt = client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert "is in use, so it was not deleted" in page.content.decode()
    assert attempt.status_code == 200
    assert "is in use, so it was not deleted" in attempt.content.decode()
    assert EvidenceStatus.objects.filter(pk=status.pk).exists()


# Sources -------------------------------------------------------------------------------------------


def test_a_cited_source_cannot_be_deleted_and_the_page_names_the_claims_citing_it(client, superuser, article):
    source = SourceFactory()
    claim = ClaimFactory(article=article, sources=[source])
    claim_approve(claim=claim, reviewer=superuser)
    client.force_login(superuser)
    url = reverse("admin:claims_source_delete", args=[source.pk])

    page = client.get(url)
    attempt = client.post(url, {"post": "yes"})

    assert "is in use, so it was not deleted" in page.content.decode()
    assert "first take it out of the sources of that claim" in page.content.decode()
    assert f'href="{claim.get_admin_url()}"' in page.content.decode()
    assert attempt.status_code == 200
    assert "is in use, so it was not deleted" in attempt.content.decode()
    assert list(Claim.objects.get(pk=claim.pk).sources.all()) == [source]


def test_a_source_no_claim_cites_can_be_deleted(client, superuser):
    source = SourceFactory()
    client.force_login(superuser)

    response = client.post(reverse("admin:claims_source_delete", args=[source.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()
