"""The editorial admin with attack strings in every field: editors and reviewers see text, never markup.

Every list page is read in full, which shows every object at once. Other pages are read for a
sample of one or two vectors of each kind: a claim form takes a fifth of a second to render, so
every form of every vector would take minutes. The claim form's evidence-status menu lists every
status's name anyway.
"""

import dataclasses

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from claims.models import Claim
from tests.security import vectors
from tests.security.conftest import ADMIN
from tests.security.dom import assert_inert, parse, text_of

pytestmark = pytest.mark.django_db

KINDS = (
    vectors.SCRIPT_ELEMENTS,
    vectors.EVENT_HANDLERS,
    vectors.DANGEROUS_URLS,
    vectors.MARKDOWN,
    vectors.EMBEDDING,
    vectors.MALFORMED,
    vectors.TEMPLATES,
    vectors.UNICODE,
)
# The first of each kind, "<!--" and a </script> behind line separators; the pages that show the
# most fields of one object (articles and claims) also take the last of each kind.
FEW = {kind[0] for kind in KINDS} | {"<!--", vectors.UNICODE[3]}
SAMPLE = FEW | {kind[-1] for kind in KINDS}


# The revision comparison page styles its diff with a <style> element of its own template.
WITH_DIFF_STYLES = dataclasses.replace(ADMIN, own_elements=ADMIN.own_elements | {"style"})


@pytest.fixture
def admin_client(client, superuser):
    # A superuser who wrote nothing: every panel, button and decision form is on the page.
    client.force_login(superuser)
    return client


def get_inert(client, url, context="", **params):
    response = client.get(url, params)
    assert response.status_code == 200, f"{url} {context}: {response.status_code}"
    assert_inert(response.content, ADMIN, f"{url} {context}")
    return response


def field_value(html, name):
    """What a form field shows: a textarea's text or an input's value, as the browser reads it."""
    for element in parse(html).iter():
        if element.get("name") == name and element.tag in {"input", "textarea"}:
            return text_of(element) if element.tag == "textarea" else element.get("value")
    raise AssertionError(f"no field {name}")


def sample(hostile_site, chosen=SAMPLE):
    return [entry for entry in hostile_site if entry.vector in chosen]


def test_article_change_pages_are_inert_and_hold_the_text_as_typed(admin_client, hostile_site):
    for entry in sample(hostile_site):
        article = entry.article
        response = get_inert(
            admin_client, reverse("admin:articles_article_change", args=[article.pk]), repr(entry.vector)
        )
        html = response.content.decode()
        assert field_value(html, "title") == article.title
        assert field_value(html, "standfirst") == article.standfirst
        # A textarea drops one newline straight after its start tag; Django writes one for that.
        assert field_value(html, "body") == article.body
        assert field_value(html, "change_note") == article.change_note


def test_claim_change_pages_are_inert_with_the_review_history(admin_client, hostile_site):
    for entry in sample(hostile_site):
        claim = entry.pending or entry.approved
        response = get_inert(admin_client, reverse("admin:claims_claim_change", args=[claim.pk]), repr(entry.vector))
        html = response.content.decode()
        assert field_value(html, "explanation") == claim.explanation
        assert field_value(html, "reviewer_note") == claim.reviewer_note
        (history,) = [e for e in parse(html).iter("fieldset") if e.get("id") == "decisions"]
        # Comments keep their line breaks as <br>.
        assert entry.vector.replace("\n", "") in text_of(history)


def test_claim_pages_quote_lost_and_changed_words_as_text(admin_client, hostile_site):
    for index, entry in enumerate(sample(hostile_site)):
        claim = entry.approved
        if index % 2:
            Claim.objects.filter(pk=claim.pk).update(text_changed=True, previous_quote=entry.vector)
        else:
            Claim.objects.filter(pk=claim.pk).update(is_orphaned=True, quote=entry.vector)
        response = get_inert(admin_client, reverse("admin:claims_claim_change", args=[claim.pk]), repr(entry.vector))
        # The admin prints help texts unescaped (|safe): the claim form escapes the words it puts in.
        (row,) = [e for e in parse(response.content.decode()).iter("div") if "field-sentence" in e.get("class", "")]
        (help_text,) = [e for e in row.iter("div") if "help" in e.get("class", "").split()]
        assert entry.vector in text_of(help_text)


def test_claim_add_pages_list_the_sentences_as_text(admin_client, hostile_site):
    for entry in sample(hostile_site, FEW):
        get_inert(admin_client, reverse("admin:claims_claim_add"), repr(entry.vector), article=entry.article.pk)
        get_inert(admin_client, reverse("admin:claims_claim_add"), repr(entry.vector), q=entry.vector)


def test_condition_status_and_source_forms_are_inert(admin_client, hostile_site):
    for entry in sample(hostile_site, FEW):
        html = get_inert(admin_client, reverse("admin:claims_condition_change", args=[entry.condition.pk])).content
        assert field_value(html.decode(), "name") == entry.condition.name
        html = get_inert(admin_client, reverse("admin:claims_evidencestatus_change", args=[entry.status.pk])).content
        assert field_value(html.decode(), "badge_text") == entry.status.badge_text
        for source in entry.sources:
            html = get_inert(admin_client, reverse("admin:claims_source_change", args=[source.pk])).content
            assert field_value(html.decode(), "title") == source.title


LISTS = [
    "admin:articles_article_changelist",
    "admin:claims_claim_changelist",
    "admin:claims_reviewqueueclaim_changelist",
    "admin:claims_condition_changelist",
    "admin:claims_evidencestatus_changelist",
    "admin:claims_source_changelist",
    "admin:claims_orphanedclaim_changelist",
]


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_are_inert_on_every_page(admin_client, hostile_site, name):
    url = reverse(name)
    first = get_inert(admin_client, url)
    pages = first.context["cl"].paginator.num_pages
    for page in range(2, pages + 1):  # the admin counts pages from 1
        get_inert(admin_client, url, p=page)


@pytest.mark.parametrize("name", LISTS[:4])
def test_admin_search_for_each_kind_of_vector_is_inert(admin_client, hostile_site, name):
    for entry in sample(hostile_site, FEW):
        get_inert(admin_client, reverse(name), repr(entry.vector), q=entry.vector)


def test_words_filters_show_the_words_typed_and_the_row_chosen_as_text(admin_client, hostile_site):
    claims, queue = reverse("admin:claims_claim_changelist"), reverse("admin:claims_reviewqueueclaim_changelist")
    for entry in sample(hostile_site, FEW):
        context = repr(entry.vector)
        response = get_inert(admin_client, claims, context, article_words=entry.vector)
        inputs = parse(response.content.decode()).iter("input")
        (box,) = [e for e in inputs if e.get("type") == "search" and e.get("name") == "article_words"]
        assert box.get("value") == entry.vector.replace("\x00", "")[:200].strip(), context
        get_inert(admin_client, claims, context, article__id__exact=entry.article.pk)
        get_inert(admin_client, queue, context, condition_words=entry.vector, created_by_words=entry.vector)
        get_inert(admin_client, queue, context, condition__id__exact=entry.condition.pk)
        get_inert(admin_client, queue, context, created_by__id__exact=entry.author.pk)


def test_the_bulk_decision_page_lists_every_claim_as_text(admin_client, hostile_site):
    pending = Claim.objects.pending().filter(article__slug__startswith="hostile-")
    response = admin_client.post(
        reverse("admin:claims_reviewqueueclaim_changelist"),
        {"action": "request_changes_selected", ACTION_CHECKBOX_NAME: [c.pk for c in pending]},
    )
    assert response.status_code == 200
    assert_inert(response.content, ADMIN, "bulk decision")
    (form,) = [
        f for f in parse(response.content.decode()).iter("form") if f.find(".//input[@name='confirm']") is not None
    ]
    assert len(form.findall(".//tbody/tr")) == pending.count()


def test_history_pages_are_inert(admin_client, hostile_site):
    for entry in sample(hostile_site, FEW):
        get_inert(admin_client, reverse("admin:articles_article_history", args=[entry.article.pk]))
        get_inert(admin_client, reverse("admin:claims_claim_history", args=[entry.approved.pk]))
        revision = entry.article.history.first()
        url = reverse("admin:articles_article_history_diff", args=[entry.article.pk, revision.history_id])
        response = admin_client.get(url)
        assert response.status_code == 200
        assert_inert(response.content, WITH_DIFF_STYLES, url)
