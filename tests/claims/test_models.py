import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Claim, Condition, EvidenceStatus, Source
from claims.services import claim_approve
from tests.factories import ClaimFactory, ConditionFactory, SourceFactory, evidence

pytestmark = pytest.mark.django_db


def test_migration_seeds_the_ranked_evidence_vocabulary():
    slugs = list(EvidenceStatus.objects.values_list("slug", flat=True))
    assert slugs == [
        "strong",
        "moderate",
        "limited",
        "very-uncertain",
        "early-research",
        "not-supported",
        "not-yet-rated",
    ]
    assert list(EvidenceStatus.objects.filter(is_rated=False).values_list("slug", flat=True)) == ["not-yet-rated"]
    assert all(status.symbol and status.badge_text and status.description for status in EvidenceStatus.objects.all())


def test_an_evidence_status_in_use_cannot_be_deleted():
    claim = ClaimFactory(evidence_status=evidence("moderate"))
    with pytest.raises(ProtectedError):
        claim.evidence_status.delete()


def test_an_unused_evidence_status_can_be_deleted():
    status = EvidenceStatus.objects.create(name="Trial", slug="trial", symbol="T", badge_text="Trial", description="x")
    status.delete()
    assert not EvidenceStatus.objects.filter(slug="trial").exists()


def test_a_condition_in_use_cannot_be_deleted():
    claim = ClaimFactory()
    with pytest.raises(ProtectedError):
        claim.condition.delete()


@pytest.mark.parametrize(
    "field, value", [("icd10_code", "J8"), ("icd10_code", "lung"), ("mesh_id", "D12"), ("mesh_id", "X054990")]
)
def test_condition_codes_are_validated_by_format(field, value):
    condition = Condition(name="Lung thing", slug="lung-thing", **{field: value})
    with pytest.raises(ValidationError) as error:
        condition.full_clean()
    assert field in error.value.message_dict


def test_condition_codes_are_stored_in_upper_case():
    condition = ConditionFactory(icd10_code="j84.1 ", mesh_id="d054990")
    condition.refresh_from_db()
    assert (condition.icd10_code, condition.mesh_id) == ("J84.1", "D054990")


def test_source_identifier_is_normalised_on_validation():
    source = Source(kind="doi", identifier="https://doi.org/10.1056/NEJMoa1703327")
    source.full_clean()
    assert source.identifier == "10.1056/nejmoa1703327"
    assert source.url == "https://doi.org/10.1056/nejmoa1703327"


def test_source_with_a_bad_identifier_is_refused():
    source = Source(kind="nct", identifier="NCT12")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "NCT followed by 8 digits" in error.value.message_dict["identifier"][0]


def test_a_source_exists_once_per_kind_and_identifier():
    SourceFactory(kind="pmid", identifier="29298160")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(kind="pmid", identifier="29298160")


def test_claim_quote_cannot_be_empty():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(quote="")


def test_one_claim_per_condition_per_place(article):
    first = ClaimFactory(article=article)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(article=article, condition=first.condition)
    other = ClaimFactory(article=article)  # another condition on the same sentence is allowed
    assert (other.start, other.quote) == (first.start, first.quote)


def test_an_orphaned_claim_does_not_hold_its_old_place(article):
    first = ClaimFactory(article=article)
    Claim.objects.filter(pk=first.pk).update(is_orphaned=True)
    assert ClaimFactory(article=article, condition=first.condition).pk


def test_database_refuses_an_approval_without_reviewer():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(review_state="approved")


def test_database_refuses_an_approval_by_the_claims_author():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(
            review_state="approved", reviewed_by=claim.created_by, reviewed_at="2026-01-01T00:00Z"
        )


def test_claim_anchor_records_context_either_side(article):
    claim = ClaimFactory(article=article, sentence=2)
    text = article.body_text
    assert text[claim.start : claim.end] == claim.quote == "Stem-cell infusions may be safe in small early trials."
    assert text[: claim.start].endswith(claim.prefix) and len(claim.prefix) == 32
    assert text[claim.end :].startswith(claim.suffix) and len(claim.suffix) == 32


def test_readers_see_a_grade_only_once_a_reviewer_approved_it(second_reviewer):
    claim = ClaimFactory()
    assert claim.public_grade is None  # pending: readers see "Under review"
    approved = claim_approve(claim=claim, reviewer=second_reviewer)
    assert approved.public_grade == approved.evidence_status
