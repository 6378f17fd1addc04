"""A site whose every editor-controlled field holds an attack string, built once per test module.

Each vector gets its own article (title, standfirst, body, tag, change note), author and medical
reviewer (first and last name), condition (name, synonyms, description, codes), evidence status
(name, badge text, symbol, description, wording), sources (title; identifier where it is a valid
one) and two claims: one approved (explanation, reviewer note, decision comment) and one waiting
in the review queue after a reviewer asked for changes with the vector as comment.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from articles.models import Article
from claims.models import Claim, ClaimDecision, Condition, EvidenceStatus, Source
from claims.services import claim_snapshot
from claims.text import identifiers
from tests.factories import ClaimFactory, EditorFactory, ReviewerFactory
from tests.security.dom import Policy
from tests.security.vectors import XSS_VECTORS

PUBLIC = Policy(
    name="public",
    script_sources=("/static/js/evidence-badges.js",),
    form_actions=("/search/",),
    link_prefixes=("/static/", "/feed/"),
    required=(("footer", "site-footer"),),
)
ADMIN = Policy(
    name="admin",
    script_sources=("/static/", "/admin/jsi18n/"),
    form_actions=("", "/admin/*"),
    link_prefixes=("/static/",),
    # The admin draws its icons with inline SVG; attributes and scripts inside are still checked.
    own_elements=frozenset({"svg"}),
    required=(("footer", "footer"),),
)
# What the Markdown preview returns and the body stores: a fragment with nothing of the site's.
FRAGMENT = Policy(name="fragment")


@dataclass
class HostileEntry:
    vector: str
    article: Article
    condition: Condition
    status: EvidenceStatus
    sources: list
    approved: Claim
    pending: Claim | None
    author: object
    reviewer: object


def hostile_body(index, vector):
    """The vector as a block of its own and inside a sentence, between plain sentences."""
    return (
        f"Stem cells may help in case {index}.\n\n{vector}\n\n"
        f"The words before {vector} and after it.\n\nA last plain sentence {index}.\n"
    )


def _identifier(kind, candidates):
    for candidate in candidates:
        try:
            return identifiers.normalise(kind, candidate)
        except identifiers.IdentifierError:
            continue
    return None


def _sources(index, vector):
    squeezed = "".join(vector.split())
    sources = []
    url = _identifier(identifiers.URL, [vector, f"https://example.org/{squeezed}", f"https://example.org/{index}"])
    doi = _identifier(identifiers.DOI, [vector, f"10.1000/{squeezed}"])
    for kind, identifier in ((identifiers.URL, url), (identifiers.DOI, doi)):
        if identifier is None or Source.objects.filter(kind=kind, identifier=identifier).exists():
            continue
        source = Source(kind=kind, identifier=identifier, title=vector[:500], year=2020)
        source.full_clean()
        source.save()
        sources.append(source)
    return sources


def _pending_claim(article, condition, status, sources, vector, reviewer, author):
    """A claim on the sentence holding the vector, back in the queue after a request for changes.

    None when sanitising left no second sentence (a vector such as an unclosed <script> swallows the rest).
    """
    later = [s for s in article.sentences()[1:] if "The words before" in s.text] or article.sentences()[1:]
    if not later:
        return None
    pending = ClaimFactory(
        article=article,
        text=later[0].text,
        condition=condition,
        evidence_status=status,
        sources=sources,
        explanation=vector[:1000],
        reviewer_note=vector,
    )
    ClaimDecision.objects.create(
        claim=pending, decision="changes_requested", actor=reviewer, comment=vector, snapshot=claim_snapshot(pending)
    )
    ClaimDecision.objects.create(claim=pending, decision="submitted", actor=author, snapshot=claim_snapshot(pending))
    return pending


def build_hostile_site():
    today = timezone.localdate()
    entries = []
    for index, vector in enumerate(XSS_VECTORS):
        names = {"first_name": vector[:150], "last_name": vector[:150]}
        author = EditorFactory(username=f"hostile-editor-{index}", **names)
        reviewer = ReviewerFactory(username=f"hostile-reviewer-{index}", **names)
        condition = Condition.objects.create(
            name=f"{vector[:190]} {index}",
            slug=f"hostile-{index}",
            icd10_code=vector[:10],
            mesh_id=vector[:10],
            synonyms=vector,
            description=vector[:1000],
        )
        status = EvidenceStatus.objects.create(
            name=f"{vector[:70]} {index}",
            slug=f"hostile-{index}",
            rank=100 + index,
            symbol=vector[:8],
            badge_text=vector[:60],
            description=vector,
            wording_guidance=vector,
            tone=EvidenceStatus.Tone.WEAK,
        )
        article = Article(
            title=vector[:200],
            slug=f"hostile-{index}",
            standfirst=vector[:600],
            body=hostile_body(index, vector),
            author=author,
            status=Article.Status.PUBLISHED,
            change_note=vector[:300],
            medical_reviewer=reviewer,
            last_reviewed=today,
            next_review_due=today + datetime.timedelta(days=365),
        )
        article.save()
        article.tags.add(vector[:100])
        sources = _sources(index, vector)
        approved = ClaimFactory(
            article=article,
            sentence=0,
            condition=condition,
            evidence_status=status,
            sources=sources,
            explanation=vector[:1000],
            reviewer_note=vector,
            review_state=Claim.ReviewState.APPROVED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
            next_review_due=today + datetime.timedelta(days=365),
        )
        ClaimDecision.objects.create(
            claim=approved, decision="approved", actor=reviewer, comment=vector, snapshot=claim_snapshot(approved)
        )
        pending = _pending_claim(article, condition, status, sources, vector, reviewer, author)
        entries.append(HostileEntry(vector, article, condition, status, sources, approved, pending, author, reviewer))
    return entries


@pytest.fixture(scope="module")
def hostile_site(django_db_setup, django_db_blocker):
    """The hostile site, shared by a module's tests and rolled back after them.

    Each test still runs in its own savepoint (the `db` fixture), so nothing a test does leaks.
    """
    # The autouse fast hasher is per test; hundreds of users made here need it too.
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with fast_hasher:
            entries = build_hostile_site()
        yield entries
        transaction.set_rollback(True)
