import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article
from claims.models import Claim, Condition, EvidenceStatus, Source
from claims.text.anchoring import anchor_at

ARTICLE_BODY = """## Stem cells and lung scarring

Antifibrotic medicines slow the loss of lung function in idiopathic pulmonary fibrosis. \
Stem-cell infusions may be safe in small early trials. \
We do not know whether they slow the disease.

- Pulmonary rehabilitation probably improves breathlessness.
- Claims that stem cells reverse scarring are not supported.
"""


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass-for-tests-123")

    group = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, create, extracted))


def _join(user, create, group_name):
    if create:
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        user.save()


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    group = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, create, extracted or "Editors"))


class ReviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"reviewer{n}")
    first_name = "Dr Jo"
    group = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, create, extracted or "Reviewers"))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Stem cells and the lung, part {n}")
    slug = factory.Sequence(lambda n: f"stem-cells-and-the-lung-{n}")
    standfirst = "What the evidence says about stem-cell treatments for lung scarring."
    body = ARTICLE_BODY
    author = factory.SubFactory(EditorFactory)
    status = Article.Status.PUBLISHED

    @factory.post_generation
    def live(self, create, extracted, **kwargs):
        """A published article gets a live revision of its draft (pass `live=False` for none)."""
        if create and self.status == Article.Status.PUBLISHED and extracted is not False:
            published(self)


def published(article):
    """Make the article's current draft (text and claims) its live revision, as readers see it.

    A FIXTURE SHORTCUT that bypasses the publication gate (claims.publishing.article_publish): no
    sign-off, no check. Claims not approved are published under review, orphaned ones left out. Call
    it again after changing a published article's draft in a test that reads the public pages, or
    publish through the services when the gate is what the test is about.
    """
    from django.utils import timezone

    from claims import map_counts
    from claims.pages import mark_stale
    from claims.publishing import record_live_revision

    now = timezone.now()
    article.refresh_from_db()
    revision = record_live_revision(article, replace=True)
    if article.status != Article.Status.PUBLISHED or article.published_at is None:
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED, published_at=article.published_at or now
        )
        article.refresh_from_db()
        map_counts.refresh([article.pk])  # the evidence maps order its claims by that date
    mark_stale([article.pk])
    return revision


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.Sequence(lambda n: f"condition-{n}")
    icd10_code = "J84.1"
    mesh_id = "D054990"
    description = "Scarring of the lungs."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = Source.Kind.PMID
    identifier = factory.Sequence(lambda n: str(24836000 + n))
    title = factory.Sequence(lambda n: f"A trial of treatment {n}")
    year = 2014


def evidence(slug="limited"):
    """One of the evidence statuses the data migration seeds."""
    return EvidenceStatus.objects.get(slug=slug)


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim on a sentence of its article; pass `sentence=` (index) or `text=` (exact words)."""

    class Meta:
        model = Claim
        exclude = ["sentence", "text", "anchor"]
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    sentence = 1
    text = None
    condition = factory.SubFactory(ConditionFactory)
    # The default sentence states plainly what strong evidence shows: its wording fits the grade.
    evidence_status = factory.LazyFunction(lambda: evidence("strong"))
    created_by = factory.SelfAttribute("article.author")
    last_changed_by = factory.SelfAttribute("created_by")
    explanation = "Two small trials in people."
    review_state = Claim.ReviewState.PENDING  # submitted: most tests are about reviewing

    quote = factory.LazyAttribute(lambda claim: claim.anchor.quote)
    start = factory.LazyAttribute(lambda claim: claim.anchor.start)
    prefix = factory.LazyAttribute(lambda claim: claim.anchor.prefix)
    suffix = factory.LazyAttribute(lambda claim: claim.anchor.suffix)

    @factory.lazy_attribute
    def anchor(self):
        text = self.article.body_text
        if self.text:
            start = text.index(self.text)
            return anchor_at(text, start, start + len(self.text))
        sentence = self.article.sentences()[self.sentence]
        return anchor_at(text, sentence.start, sentence.end)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        """One new source unless a list is given (pass `sources=[]` for a claim citing nothing)."""
        if create:
            self.sources.set([SourceFactory()] if extracted is None else extracted)

    @factory.post_generation
    def live(self, create, extracted, **kwargs):
        """On a published article, the new claim reaches readers at once (see `published`): pass `live=False` not to."""
        if create and extracted is not False and self.article.status == Article.Status.PUBLISHED:
            published(self.article)


def claim_form_data(claim, **overrides):
    """The POST data of the claim change form, unchanged unless overridden (never submitting for review).

    It carries the version `claim` holds, as the form opened on it would: pass a fresh copy to save
    over the stored claim, or a stale one to be refused.
    """
    from claims.forms import sentence_value

    sentence = next(s for s in claim.article.sentences() if s.start <= claim.start < s.end)
    data = {
        "sentence": sentence_value(sentence),
        "part": "" if claim.quote == sentence.text else claim.quote,
        "condition": str(claim.condition_id),
        "evidence_status": str(claim.evidence_status_id),
        "sources": [str(pk) for pk in claim.sources.values_list("pk", flat=True)],
        "new_sources": "",
        "explanation": claim.explanation,
        "reviewer_note": claim.reviewer_note,
        "base_version": str(claim.version),
        "_save": "Save",
    }
    data.update(overrides)
    return data


def article_form_data(article, **overrides):
    """The POST data of the article change form, unchanged unless overridden."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "tags": "",
        "status": article.status,
        "base_version": str(article.version),
        "_save": "Save",
    }
    data.update(overrides)
    return data
