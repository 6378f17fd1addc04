"""Comments between editors and reviewers on claims and on sentences of the draft (claims/comments.py).

Threads are written, replied to, resolved and reopened by those claims.policy lets; review decisions'
comments show in the thread open when they were made; sentence threads follow their sentence through
edits, orphaned and kept when it goes; no comment reaches any public page, export or feed.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.services import article_update
from claims import policy
from claims.comments import (
    article_discussion,
    claim_discussion,
    comment_add,
    thread_reopen,
    thread_resolve,
    thread_start_on_claim,
    thread_start_on_sentence,
)
from claims.forms import sentence_value
from claims.models import COMMENT_MAX_CHARS, Comment, CommentThread
from claims.services import claim_decide
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, UserFactory, published
from tests.helpers import fresh, messages_of, signed_in

pytestmark = pytest.mark.django_db

SECRET = "Internal: the second trial's numbers look wrong to me."


@pytest.fixture
def claim(article):
    return ClaimFactory(article=article, sentence=2)


@pytest.fixture
def other_editor(db):
    return EditorFactory(username="other-editor")


def sentence(article, index):
    return article.sentences()[index]


def on_sentence(article, index, user, body=SECRET):
    s = sentence(article, index)
    return thread_start_on_sentence(article=article, start=s.start, end=s.end, user=user, body=body)


def url(name, *args):
    return reverse(f"admin:claims_commentthread_{name}", args=args)


# The database holds what must never be stored ------------------------------------------------------


def test_a_thread_is_about_a_claim_or_a_sentence_never_both_nor_neither(claim, editor):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentThread.objects.create(article=claim.article, created_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentThread.objects.create(article=claim.article, claim=claim, quote="Words.", created_by=editor)
    CommentThread.objects.create(article=claim.article, claim=claim, created_by=editor)
    CommentThread.objects.create(article=claim.article, quote="Words.", created_by=editor)
    assert CommentThread.objects.count() == 2


def test_a_resolved_thread_names_who_and_when_together(claim, editor):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentThread.objects.create(article=claim.article, claim=claim, created_by=editor, resolved_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentThread.objects.create(article=claim.article, claim=claim, created_by=editor, resolved_at=timezone.now())


def test_a_comment_is_never_empty_nor_longer_than_the_limit(claim, editor):
    thread = CommentThread.objects.create(article=claim.article, claim=claim, created_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(thread=thread, author=editor, body="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(thread=thread, author=editor, body="x" * (COMMENT_MAX_CHARS + 1))
    Comment.objects.create(thread=thread, author=editor, body="x" * COMMENT_MAX_CHARS)


# Who may ------------------------------------------------------------------------------------------


def test_editors_reviewers_and_superusers_comment_anonymous_and_staff_without_permission_do_not(
    editor, reviewer, superuser
):
    bare_staff = UserFactory(username="bare-staff")  # staff, in no group
    inactive = EditorFactory(username="gone", is_active=False)
    assert [policy.may_comment(u) for u in (editor, reviewer, superuser)] == [True, True, True]
    assert [policy.may_comment(u) for u in (AnonymousUser(), bare_staff, inactive)] == [False, False, False]
    with pytest.raises(PermissionDenied, match="Only editors and medical reviewers can comment"):
        thread_start_on_claim(claim=ClaimFactory(), user=bare_staff, body="Hello.")


def test_the_starter_the_claims_author_or_any_reviewer_resolves_nobody_else(
    claim, editor, other_editor, reviewer, second_reviewer
):
    started_by_reviewer = thread_start_on_claim(claim=claim, user=reviewer, body="Which trial?")
    assert policy.refusal_to_resolve(started_by_reviewer, editor) is None  # the claim's author
    assert policy.refusal_to_resolve(started_by_reviewer, reviewer) is None  # its starter
    assert policy.refusal_to_resolve(started_by_reviewer, second_reviewer) is None  # a reviewer
    assert "Only the person who started this thread" in policy.refusal_to_resolve(started_by_reviewer, other_editor)
    on_words = on_sentence(claim.article, 3, reviewer)
    assert "Only the person who started this thread" in policy.refusal_to_resolve(on_words, editor)
    with pytest.raises(PermissionDenied):
        thread_resolve(thread=on_words, user=other_editor)
    assert not fresh(on_words).is_resolved


# Write, reply, resolve, reopen ---------------------------------------------------------------------


def test_write_reply_resolve_and_reopen_through_the_claims_page(claim, editor, reviewer):
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    page = claim.get_admin_url()
    response = editor_client.post(url("start_on_claim", claim.pk), {"body": "  Is this the right grade?  "})
    assert response.status_code == 302 and response["Location"] == page + "#comments"
    thread = CommentThread.objects.get(claim=claim)
    assert (thread.article, thread.created_by, thread.quote) == (claim.article, editor, "")
    assert list(thread.comments.values_list("body", "author")) == [("Is this the right grade?", editor.pk)]

    response = reviewer_client.post(url("reply", thread.pk), {"body": "Yes: two small trials."})
    assert messages_of(response) == ["Your reply was posted."]
    assert [c.body for c in thread.comments.all()] == ["Is this the right grade?", "Yes: two small trials."]

    content = reviewer_client.get(page).content.decode()
    assert "Is this the right grade?" in content and "Yes: two small trials." in content
    assert f'action="{url("resolve", thread.pk)}"' in content

    response = reviewer_client.post(url("resolve", thread.pk))
    assert messages_of(response) == ["The thread is resolved."]
    thread = fresh(thread)
    assert thread.resolved_by == reviewer and thread.resolved_at is not None
    # Resolved threads stay on the claim's page, folded.
    content = editor_client.get(page).content.decode()
    assert '<details class="comment-thread comment-thread--resolved"' in content
    assert "Yes: two small trials." in content

    response = editor_client.post(url("reply", thread.pk), {"body": "One more thing."}, follow=True)
    assert messages_of(response) == ["Your reply was not posted: This thread is resolved: reopen it to reply."]
    assert thread.comments.count() == 2

    response = editor_client.post(url("reopen", thread.pk))  # the claim's author
    assert messages_of(response) == ["The thread is open again."]
    thread = fresh(thread)
    assert thread.resolved_by is None and thread.resolved_at is None
    editor_client.post(url("reply", thread.pk), {"body": "One more thing."})
    assert thread.comments.count() == 3


def test_resolving_twice_or_reopening_an_open_thread_is_refused_in_words(claim, reviewer):
    thread = thread_start_on_claim(claim=claim, user=reviewer, body="Check the dose.")
    with pytest.raises(ValidationError, match="open already"):
        thread_reopen(thread=thread, user=reviewer)
    thread_resolve(thread=thread, user=reviewer)
    client = signed_in(reviewer)
    response = client.post(url("resolve", thread.pk))
    assert messages_of(response) == ["Not resolved: This thread was already resolved."]


def test_someone_else_is_refused_in_words_and_nothing_changes(claim, reviewer, other_editor):
    thread = on_sentence(claim.article, 3, reviewer)
    response = signed_in(other_editor).post(url("resolve", thread.pk), {"back": "article"})
    assert response["Location"].endswith(
        reverse("admin:articles_article_change", args=[claim.article.pk]) + "#comments"
    )
    assert messages_of(response) == [
        "Not resolved: Only the person who started this thread, the claim's author or a medical reviewer "
        "can resolve or reopen it."
    ]
    assert not fresh(thread).is_resolved


def test_anonymous_is_sent_to_sign_in_staff_without_permission_get_403_and_a_get_405(claim, editor):
    thread = thread_start_on_claim(claim=claim, user=editor, body="First.")
    bare_staff = UserFactory(username="bare-staff")
    posts = [
        url("start_on_claim", claim.pk),
        url("start_on_sentence", claim.article.pk),
        url("reply", thread.pk),
        url("resolve", thread.pk),
        url("reopen", thread.pk),
    ]
    anonymous, staff = signed_in(editor), signed_in(bare_staff)
    anonymous.logout()
    for address in posts:
        answer = anonymous.post(address, {"body": "Hi.", "sentence": "0:5"})
        assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
        assert staff.post(address, {"body": "Hi.", "sentence": "0:5"}).status_code == 403
        assert signed_in(editor).get(address).status_code == 405
    assert Comment.objects.count() == 1 and not fresh(thread).is_resolved
    # Nor do they see comments on the claim's page.
    assert "First." not in signed_in(UserFactory(username="viewer")).get(claim.get_admin_url()).content.decode()


def test_an_unknown_thread_claim_or_article_is_not_found(editor):
    client = signed_in(editor)
    for address in (url("reply", 999999), url("start_on_claim", 999999), url("start_on_sentence", "x1")):
        assert client.post(address, {"body": "Hi."}).status_code == 404


def test_a_refused_comment_keeps_what_was_typed_in_its_form(claim, editor):
    client = signed_in(editor)
    too_long = "Long words. " * 200
    response = client.post(url("start_on_claim", claim.pk), {"body": too_long}, follow=True)
    assert messages_of(response) == [
        f"Your comment was not posted: A comment is at most {COMMENT_MAX_CHARS} characters; "
        f"this one has {len(too_long.strip())}."
    ]
    assert f">{too_long}</textarea>" in response.content.decode()
    assert not CommentThread.objects.exists()
    # Taken once: the next visit shows an empty form.
    assert f">{too_long}</textarea>" not in client.get(claim.get_admin_url()).content.decode()

    response = client.post(url("start_on_claim", claim.pk), {"body": " \n "}, follow=True)
    assert messages_of(response) == ["Your comment was not posted: Write a comment first: it was empty."]

    thread = thread_start_on_claim(claim=claim, user=editor, body="Open.")
    thread_resolve(thread=thread, user=editor)
    thread_reopen(thread=thread, user=editor)
    reply = "x" * (COMMENT_MAX_CHARS + 5)
    response = client.post(url("reply", thread.pk), {"body": reply}, follow=True)
    assert f">{reply}</textarea>" in response.content.decode()


def test_a_comment_on_a_sentence_of_the_article_page_with_the_sentence_chosen(article, editor, reviewer):
    client = signed_in(reviewer)
    chosen = sentence(article, 3)
    response = client.post(
        url("start_on_sentence", article.pk), {"sentence": sentence_value(chosen), "body": "Cite this?"}, follow=True
    )
    assert messages_of(response) == ["Your comment started a new thread on the sentence."]
    thread = CommentThread.objects.get()
    assert (thread.quote, thread.start, thread.claim) == (chosen.text, chosen.start, None)
    content = response.content.decode()
    assert 'id="comments"' in content and "Sentence 4" in content and "Cite this?" in content

    # A span that is no sentence (the article was edited meanwhile) is refused, the text and choice kept.
    stale = f"{chosen.start + 1}:{chosen.end}"
    response = client.post(url("start_on_sentence", article.pk), {"sentence": stale, "body": "Kept?"}, follow=True)
    assert messages_of(response) == [
        "Your comment was not posted: That sentence is no longer in the article (it was edited meanwhile): "
        "pick it again."
    ]
    assert ">Kept?</textarea>" in response.content.decode()
    response = client.post(url("start_on_sentence", article.pk), {"sentence": "", "body": "Which?"}, follow=True)
    assert messages_of(response) == ["Your comment was not posted: Pick the sentence your comment is about."]
    assert CommentThread.objects.count() == 1


def test_comment_bodies_are_escaped_on_every_page_that_shows_them(claim, editor, reviewer):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    thread_start_on_claim(claim=claim, user=editor, body=attack)
    on_sentence(claim.article, 3, reviewer, body=attack)
    client = signed_in(reviewer)
    for page in (claim.get_admin_url(), reverse("admin:articles_article_change", args=[claim.article.pk])):
        content = client.get(page).content.decode()
        assert "<script>alert" not in content and "<img src=x" not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in content


# Decision comments in the thread -------------------------------------------------------------------


def test_decision_comments_show_in_the_thread_open_when_they_were_made(claim, editor, reviewer):
    claim_decide(claim=claim, reviewer=reviewer, decision="changes_requested", comment="Before any thread.")
    thread = thread_start_on_claim(claim=claim, user=editor, body="Which words?")
    claim_decide(claim=fresh(claim), reviewer=reviewer, decision="rejected", comment="The sources do not say this.")
    comment_add(thread=thread, user=editor, body="I will reword it.")

    discussion = claim_discussion(claim)
    # The first decision, made while no thread was open, is in the claim's review history only.
    assert [(view.thread, [e.body for e in view.entries]) for view in discussion] == [
        (thread, ["Which words?", "The sources do not say this.", "I will reword it."]),
    ]
    assert discussion[0].entries[1].decision.decision == "rejected"
    content = signed_in(editor).get(claim.get_admin_url()).content.decode()
    inside = content[content.index(f'id="thread-{thread.pk}"') :]
    assert inside.index("Which words?") < inside.index("Review decision: Rejected") < inside.index("I will reword")


def test_a_resolved_thread_keeps_the_decisions_made_while_it_was_open(claim, editor, reviewer):
    thread = thread_start_on_claim(claim=claim, user=editor, body="Grade?")
    claim_decide(claim=claim, reviewer=reviewer, decision="changes_requested", comment="Soften it.")
    thread_resolve(thread=thread, user=reviewer)
    claim_decide(claim=fresh(claim), reviewer=reviewer, decision="rejected", comment="After it was resolved.")
    views = claim_discussion(claim)
    assert [[e.body for e in view.entries] for view in views] == [["Grade?", "Soften it."]]


# Threads follow their sentence through edits ---------------------------------------------------------


def edit_body(article, user, body):
    article = fresh(article)
    article.body = body
    article_update(article=article, user=user)
    return fresh(article)


def test_a_thread_follows_its_sentence_when_it_moves(article, editor, reviewer):
    thread = on_sentence(article, 3, reviewer)
    moved = "We do not know whether they slow the disease."
    body = article.body.replace(" " + moved, "").replace(
        "## Stem cells and lung scarring\n", f"## Stem cells\n\n{moved}\n"
    )
    article = edit_body(article, editor, body)
    thread = fresh(thread)
    assert (thread.quote, thread.is_orphaned) == (moved, False)
    assert article.body_text[thread.start : thread.start + len(moved)] == moved
    assert thread.start < sentence(article, 3).start


def test_a_thread_follows_its_sentence_when_its_words_change_slightly(article, editor, reviewer):
    thread = on_sentence(article, 3, reviewer)
    body = article.body.replace(
        "We do not know whether they slow the disease.", "We still do not know whether they slow the disease."
    )
    edit_body(article, editor, body)
    thread = fresh(thread)
    assert (thread.quote, thread.is_orphaned) == ("We still do not know whether they slow the disease.", False)


def test_a_thread_whose_sentence_is_removed_is_kept_orphaned_and_shown_with_its_quote(article, editor, reviewer):
    thread = on_sentence(article, 3, reviewer)
    comment_add(thread=thread, user=editor, body="Removing it.")
    article = edit_body(article, editor, article.body.replace(" We do not know whether they slow the disease.", ""))
    thread = fresh(thread)
    assert thread.is_orphaned and thread.quote == "We do not know whether they slow the disease."
    assert thread.comments.count() == 2
    discussion = article_discussion(article)
    assert [view.thread for view in discussion.orphaned] == [thread] and discussion.rows == []
    content = signed_in(editor).get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    orphans = content[content.index("Comments whose sentence was removed") :]
    assert "We do not know whether they slow the disease." in orphans and "Removing it." in orphans
    # Putting the words back does not re-attach it: an orphan stays so.
    edit_body(article, editor, ArticleFactory._meta.declarations["body"])
    assert fresh(thread).is_orphaned


def test_a_thread_on_a_claim_follows_the_claim_and_is_listed_at_its_sentence(claim, editor):
    thread = thread_start_on_claim(claim=claim, user=editor, body="On the claim.")
    article = edit_body(claim.article, editor, "New first sentence here.\n\n" + claim.article.body)
    assert fresh(thread).quote == ""  # not anchored itself
    ((number, row_sentence, views),) = article_discussion(article).rows
    assert row_sentence.text == fresh(claim).quote and [v.thread for v in views] == [thread]


# Never public ---------------------------------------------------------------------------------------


def test_no_comment_reaches_the_public_page_the_json_export_or_the_feed(client, editor, reviewer):
    article = ArticleFactory(author=editor, slug="published-with-comments")
    claim = ClaimFactory(article=article, sentence=2)
    thread_start_on_claim(claim=claim, user=editor, body=SECRET)
    on_sentence(article, 3, reviewer, body="Sentence secret: do not publish.")
    claim_decide(claim=claim, reviewer=reviewer, decision="approved")
    published(article)
    addresses = [
        article.get_absolute_url(),
        article.get_absolute_url() + "?draft=1",  # staff's preview of the draft
        reverse("claims:article-json", kwargs={"slug": article.slug}),
        "/feed/",
        "/search/?q=trials",
    ]
    for address in addresses:
        for who in (None, reviewer):  # readers, and staff reading the public site
            client.logout()
            if who:
                client.force_login(who)
            response = client.get(address)
            assert response.status_code == 200, address
            text = b"".join(response.streaming_content) if response.streaming else response.content
            assert SECRET.encode() not in text and b"Sentence secret" not in text, address


def test_a_claim_with_comments_is_deleted_with_them_by_whoever_may_delete_it(claim, editor):
    thread = thread_start_on_claim(claim=claim, user=editor, body="Delete this claim?")
    response = signed_in(editor).post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CommentThread.objects.filter(pk=thread.pk).exists() and not Comment.objects.exists()


def test_the_review_queues_page_of_a_claim_shows_its_threads_and_its_forms_come_back_to_it(claim, editor, reviewer):
    thread = thread_start_on_claim(claim=claim, user=editor, body="Ready for you.")
    client = signed_in(reviewer)
    queue_page = reverse("admin:claims_reviewqueueclaim_change", args=[claim.pk])
    content = client.get(queue_page).content.decode()
    assert "Ready for you." in content and 'name="back" value="queue"' in content
    response = client.post(url("reply", thread.pk), {"body": "Looking now.", "back": "queue"})
    assert response["Location"] == queue_page + "#comments"
    assert thread.comments.count() == 2


def test_the_pages_read_as_many_queries_for_many_threads_as_for_one(claim, editor, reviewer):
    client = signed_in(reviewer)
    pages = [claim.get_admin_url(), reverse("admin:articles_article_change", args=[claim.article.pk])]

    def counts():
        found = []
        for page in pages:
            client.get(page)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200
            found.append(len(captured))
        return found

    thread = thread_start_on_claim(claim=claim, user=editor, body="One.")
    claim_decide(claim=claim, reviewer=reviewer, decision="changes_requested", comment="Fix it.")
    on_sentence(claim.article, 3, reviewer)
    few = counts()
    for n in range(8):
        comment_add(thread=thread, user=EditorFactory(), body=f"Reply {n}.")
        more = thread_start_on_claim(claim=claim, user=EditorFactory(), body=f"Thread {n}.")
        thread_resolve(thread=more, user=reviewer)
        on_sentence(claim.article, 1 + n % 5, EditorFactory(), body=f"On a sentence {n}.")
    assert counts() == few


def test_a_save_that_bypasses_the_services_re_anchors_the_threads_too(article, reviewer):
    thread = on_sentence(article, 3, reviewer)
    article = fresh(article)
    article.body = article.body.replace(" We do not know whether they slow the disease.", "")
    article.save()  # as from a shell: the page receiver re-anchors, naming nobody
    assert fresh(thread).is_orphaned
