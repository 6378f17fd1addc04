"""The admin home's dashboard: each role's cards count what the database holds, and each count's link opens a list
of exactly those rows; nobody sees a section their permissions do not give them; the page's queries stay bounded.
"""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.services import article_update
from claims import assignments
from claims.models import Assignment, Claim, EvidenceAlert, SourceEvent
from claims.publishing import article_sign_off, draft_digest
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, SourceFactory, evidence
from tests.helpers import approved_claim, signed_in

pytestmark = pytest.mark.django_db

COUNT_LINK = re.compile(
    r'<section class="dashboard-card" id="card-(?P<section>\w+)-(?P<card>\w+)"'
    r"|<a class=\"dashboard-count\" href=\"(?P<url>[^\"]+)\"><span class=\"dashboard-number\">(?P<number>\d+)</span>"
)
MAX_QUERIES = 25
DRAFT = Article.Status.DRAFT


def dashboard_counts(client):
    """{(section, card): [(number, url), …]} as the admin home shows them."""
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    found, card = {}, None
    for match in COUNT_LINK.finditer(response.content.decode()):
        if match["card"]:
            card = (match["section"], match["card"])
            found[card] = []
        else:
            found[card].append((int(match["number"]), html.unescape(match["url"])))
    return found


def numbers(counts):
    return {key: [number for number, _ in links] for key, links in counts.items()}


def rows_on(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    changelist = response.context["cl"]
    return changelist.result_count


def reviewed(article, reviewer, due_in_days):
    """The article as medically reviewed by `reviewer` a year ago, its next review due in `due_in_days` days."""
    today = timezone.localdate()
    Article.objects.filter(pk=article.pk).update(
        medical_reviewer=reviewer,
        last_reviewed=today - datetime.timedelta(days=365),
        next_review_due=today + datetime.timedelta(days=due_in_days),
    )
    return article


@pytest.fixture
def work(editor, reviewer, second_reviewer):
    """Work of every kind, some of it the editor's and the reviewer's, some other people's."""
    today = timezone.localdate()
    other = EditorFactory()
    mine = [ArticleFactory(author=editor, status=DRAFT, title=f"My draft {n}") for n in range(3)]
    theirs = ArticleFactory(author=other, status=DRAFT, title="Their draft")
    # Sent back: two of the editor's claims, one of another editor's.
    ClaimFactory(article=mine[0], sentence=1, review_state=Claim.ReviewState.CHANGES_REQUESTED)
    ClaimFactory(article=mine[0], sentence=2, review_state=Claim.ReviewState.REJECTED)
    ClaimFactory(article=theirs, sentence=1, review_state=Claim.ReviewState.REJECTED)
    # Waiting in the queue: ready ones (rated, cited, anchored) and one citing nothing (blocked).
    ready = ClaimFactory(article=mine[1], sentence=1)
    ClaimFactory(article=mine[1], sentence=2)
    ClaimFactory(article=mine[1], sentence=3, sources=[])
    ClaimFactory(article=theirs, sentence=2, evidence_status=evidence("strong"))
    # mine[2]: every claim approved, never signed off: waiting for a sign-off.
    approved_claim(second_reviewer, article=mine[2], sentence=1)
    # A published article whose draft is as published: waiting for nothing, reviewed by the reviewer, due soon.
    published = reviewed(ArticleFactory(author=other, title="Published and due"), reviewer, -2)
    reviewed(ArticleFactory(author=other, title="Due later"), reviewer, 40)
    reviewed(ArticleFactory(author=other, title="Due soon, someone else's"), second_reviewer, 10)
    # Assigned to the reviewer: a claim (overdue) and a draft's sign-off; another claim to the second reviewer.
    assignments.assign(target=ready, reviewer=reviewer, due_on=today, by=editor)
    Assignment.objects.filter(claim=ready).update(due_on=today - datetime.timedelta(days=3))
    assignments.assign(target=mine[2], reviewer=reviewer, due_on=today + datetime.timedelta(days=5), by=editor)
    other_claim = Claim.objects.get(article=theirs, review_state=Claim.ReviewState.PENDING)
    assignments.assign(target=other_claim, reviewer=second_reviewer, due_on=today, by=editor)
    # A scheduled revision of the editor's draft.
    ArticleRevision.objects.create(
        article=mine[0],
        number=1,
        title=mine[0].title,
        body=mine[0].body,
        scheduled_for=timezone.now() + datetime.timedelta(days=1),
    )
    # An open evidence alert and a resolved one.
    source = SourceFactory()
    retracted = approved_claim(second_reviewer, article=published, sentence=2, sources=[source])
    event = SourceEvent.objects.create(source=source, kind="retraction", date=today)
    EvidenceAlert.objects.create(claim=retracted, event=event)
    other_event = SourceEvent.objects.create(source=source, kind="expression_of_concern", date=today)
    EvidenceAlert.objects.create(
        claim=retracted,
        event=other_event,
        resolution=EvidenceAlert.Resolution.KEPT,
        reason="Other trials stand.",
        resolved_by=second_reviewer,
        resolved_at=timezone.now(),
    )
    return {"mine": mine, "theirs": theirs, "ready": ready}


def test_an_editor_sees_their_own_work_counted(client, editor, work):
    counts = numbers(dashboard_counts(signed_in(editor)))
    assert counts == {
        ("editor", "drafts"): [3],  # the three never published; "Their draft" is another editor's
        ("editor", "sent_back"): [2],
        ("editor", "blocked"): [2],  # mine[0] (claims sent back), mine[1] (claims pending)
        ("editor", "scheduled"): [1],
    }


def test_a_reviewer_sees_their_reviewing_counted_and_no_editing(client, reviewer, work):
    counts = numbers(dashboard_counts(signed_in(reviewer)))
    assert counts == {
        ("reviewer", "assigned"): [1, 1],
        ("reviewer", "ready"): [3],  # the queue's four pending claims but the one citing nothing
        ("reviewer", "sign_off"): [1],  # mine[2]; mine[1]'s claims block, the theirs draft's too
        ("reviewer", "alerts"): [1],
        ("reviewer", "due"): [1],  # overdue; the one due in 40 days and someone else's are not theirs
    }


def test_a_superuser_sees_both_across_the_site_with_unassigned_work(client, superuser, work):
    counts = numbers(dashboard_counts(signed_in(superuser)))
    assert counts == {
        ("editor", "drafts"): [4],
        ("editor", "sent_back"): [3],
        ("editor", "blocked"): [3],
        ("editor", "scheduled"): [1],
        ("reviewer", "assigned"): [2, 1],
        ("reviewer", "ready"): [3],
        ("reviewer", "sign_off"): [1],
        ("reviewer", "alerts"): [1],
        ("reviewer", "due"): [2],  # overdue, and someone else's in 10 days
        ("reviewer", "unassigned"): [2, 0],
    }


@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser", "editor_reviewer"])
def test_every_count_links_to_a_list_of_exactly_those_rows(client, request, role, work):
    if role == "editor_reviewer":
        user = request.getfixturevalue("editor")
        user.groups.add(Group.objects.get(name="Reviewers"))
    else:
        user = request.getfixturevalue(role)
    client = signed_in(user)
    counts = dashboard_counts(client)
    assert counts
    for key, links in counts.items():
        for number, url in links:
            assert rows_on(client, url) == number, (key, url)


def test_an_editor_who_also_reviews_sees_both_sections(client, editor, work):
    editor.groups.add(Group.objects.get(name="Reviewers"))
    sections = {section for section, _ in dashboard_counts(signed_in(editor))}
    assert sections == {"editor", "reviewer"}


def test_nobody_sees_a_section_their_permissions_do_not_give(client, editor, reviewer, work):
    page = signed_in(editor).get(reverse("admin:index")).content.decode()
    assert "Your editing" in page and "Your reviewing" not in page and "Ready to approve" not in page
    page = signed_in(reviewer).get(reverse("admin:index")).content.decode()
    assert "Your reviewing" in page and "Your editing" not in page and "Claims sent back" not in page
    # The lists the dashboard links to refuse who may not see them.
    assert signed_in(editor).get(reverse("admin:claims_reviewqueueclaim_changelist")).status_code == 403


def test_a_count_is_worded_for_its_number(editor, work):
    page = html.unescape(signed_in(editor).get(reverse("admin:index")).content.decode())
    assert "1</span> article with a revision scheduled" in page
    assert "2</span> claims: changes requested or rejected" in page


def test_a_blocked_draft_says_why_in_the_gates_words(client, editor, work):
    page = html.unescape(signed_in(editor).get(reverse("admin:index")).content.decode())
    assert "is changes requested, not approved." in page
    assert "is pending review, not approved." in page


def test_an_overdue_assignment_comes_first_marked_with_a_symbol_and_words(client, reviewer, work):
    page = html.unescape(signed_in(reviewer).get(reverse("admin:index")).content.decode())
    card = page[page.index('id="card-reviewer-assigned"') : page.index('id="card-reviewer-ready"')]
    assert "⚠ overdue by 3 days" in card
    assert card.index(work["ready"].quote[:30]) < card.index(work["mine"][2].title)
    due = page[page.index('id="card-reviewer-due"') :]
    assert "⚠ overdue by 2 days" in due


def test_a_card_lists_five_and_links_to_the_rest(client, editor):
    for n in range(8):
        ArticleFactory(author=editor, status=DRAFT, title=f"Draft number {n}")
    page = html.unescape(signed_in(editor).get(reverse("admin:index")).content.decode())
    card = page[page.index('id="card-editor-drafts"') : page.index('id="card-editor-sent_back"')]
    assert card.count("Draft number") == 5
    assert "and 3 more" in card
    assert f"{reverse('admin:articles_article_changelist')}?published=no&mine=written" in card


def test_the_app_list_stays_below_the_dashboard(client, editor):
    page = signed_in(editor).get(reverse("admin:index")).content.decode()
    assert page.index('id="your-work"') < page.index('id="content-main"')
    assert 'href="#content-main"' in page
    assert reverse("admin:articles_article_changelist") in page[page.index('id="content-main"') :]


def add_work(n, editor, reviewer, second_reviewer):
    today = timezone.localdate()
    for i in range(n):
        draft = ArticleFactory(author=editor, status=DRAFT)
        ClaimFactory(article=draft, sentence=1, review_state=Claim.ReviewState.CHANGES_REQUESTED)
        waiting = ClaimFactory(article=draft, sentence=2)
        assignments.assign(target=waiting, reviewer=reviewer, due_on=today, by=editor)
        signed = ArticleFactory(author=editor, status=DRAFT)
        approved_claim(second_reviewer, article=signed, sentence=1)
        assignments.assign(target=signed, reviewer=reviewer, due_on=today, by=editor)
        reviewed(ArticleFactory(author=editor), reviewer, i % 10)


@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser"])
def test_the_home_page_queries_do_not_grow_with_the_work(
    client, request, role, editor, reviewer, second_reviewer, django_assert_max_num_queries
):
    client = signed_in(request.getfixturevalue(role))
    url = reverse("admin:index")
    measured = []
    for n in (2, 12):
        add_work(n, editor, reviewer, second_reviewer)
        client.get(url)
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = client.get(url)
        assert response.status_code == 200
        measured.append(len(captured))
    assert measured[0] == measured[1]


@pytest.mark.parametrize(
    "url",
    [
        "articles_article_changelist?gate=nonsense&review_assigned=nobody&mine=x&scheduled=maybe&review_due=never",
        "claims_claim_changelist?sent_back=everyone",
    ],
)
def test_a_filter_value_it_does_not_know_leaves_the_list_whole(superuser, url, work):
    name, query = url.split("?")
    client = signed_in(superuser)
    whole = rows_on(client, reverse(f"admin:{name}"))
    assert rows_on(client, f"{reverse(f'admin:{name}')}?{query}") == whole


def test_a_draft_signed_off_as_it_is_no_longer_waits_and_one_changed_since_waits_again(reviewer, work):
    draft = work["mine"][2]
    client = signed_in(reviewer)
    assert numbers(dashboard_counts(client))[("reviewer", "sign_off")] == [1]
    article_sign_off(article=draft, reviewer=reviewer, seen_digest=draft_digest(draft))
    assert numbers(dashboard_counts(client))[("reviewer", "sign_off")] == [0]
    draft.refresh_from_db()
    draft.title = "My draft, retitled"
    article_update(article=draft, user=draft.author)
    assert numbers(dashboard_counts(client))[("reviewer", "sign_off")] == [1]
