"""Hostile text in every form: each value is stored exactly or refused with a message, never a 500,
and a refused form shows the editor their text again.

The database here refuses NUL characters as PostgreSQL does, so a NUL that slipped past a form
fails these tests on SQLite too.
"""

from urllib.parse import urlencode

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.urls import reverse
from taggit.utils import parse_tags

from articles.limits import BODY_MAX_CHARS
from articles.models import Article
from claims.models import COMMENT_MAX_CHARS, Claim, ClaimDecision, Comment, Condition, EvidenceStatus, Source
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ConditionFactory,
    SourceFactory,
    article_form_data,
    claim_form_data,
    published,
)
from tests.reviewing import decide, seen_now
from tests.security.dom import parse, text_of
from tests.security.vectors import HOSTILE_TEXT

pytestmark = pytest.mark.django_db

LONG = ("lung " * 20_000).strip() + "s"  # 100,000 characters
NUL = "before\x00after"
VALUES = {**HOSTILE_TEXT, "long": LONG, "nul": NUL}
NUL_REFUSED = "Null characters are not allowed."


def refuse_nul(execute, sql, params, many, context):
    rows = params if many else [params]
    for row in rows:
        for value in (row.values() if isinstance(row, dict) else row) or ():
            if isinstance(value, str) and "\x00" in value:
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


@pytest.fixture(autouse=True)
def postgres_refuses_nul(db):
    with connection.execute_wrapper(refuse_nul):
        yield


def test_the_database_here_refuses_nul_as_postgresql_does(editor):
    with pytest.raises(ValueError, match="NUL"):
        ArticleFactory(author=editor, title=NUL)


def too_long(limit):
    return f"at most {limit} characters"


def expected_problem(value, *, limit=None, refuses=None):
    """What a field should say about a value, or None when it must store it."""
    if "\x00" in value:
        return NUL_REFUSED
    if limit and len(value.strip()) > limit:
        return too_long(limit)
    if refuses:
        return refuses(value)
    return None


def shown_again(html, name):
    """The value a form field shows after a refusal, as the browser reads it."""
    for element in parse(html).iter():
        if element.get("name") == name and element.tag in {"input", "textarea"}:
            return text_of(element) if element.tag == "textarea" else element.get("value")
    raise AssertionError(f"the form lost its field {name}")


def as_shown(value):
    # HTML parsing turns NUL into U+FFFD: that is how the browser shows the refused text.
    return value.replace("\x00", "\ufffd")


def assert_refused(response, field, message, value, context):
    assert response.status_code == 200, f"{context}: {response.status_code}"
    form = response.context["adminform"].form
    errors = " ".join(form.errors.get(field, []))
    assert message in errors, f"{context}: {form.errors}"
    assert shown_again(response.content.decode(), field) == as_shown(value), context


# Articles ----------------------------------------------------------------------------------


def tag_problem(value):
    names = parse_tags(value)
    if any(len(name) > 100 for name in names):
        return too_long(100)
    if any(not any(c.isalnum() for c in name) for name in names):
        return "has no letter or digit"
    return None


ARTICLE_FIELDS = {
    "title": {"limit": 200},
    "standfirst": {"limit": 600},
    "body": {"refuses": lambda v: f"at most {BODY_MAX_CHARS:,}" if len(v) > BODY_MAX_CHARS else None},
    "tags": {"refuses": tag_problem},
    "change_note": {"limit": 300},
}


@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_article_form_stores_or_refuses_hostile_text(editor_client, editor, field):
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    for name, value in VALUES.items():
        context = f"{field}={name}"
        response = editor_client.post(url, article_form_data(article, **{field: value}))
        problem = expected_problem(value, **ARTICLE_FIELDS[field])
        if problem:
            assert_refused(response, field, problem, value, context)
            continue
        assert response.status_code == 302, f"{context}: {response.status_code}"
        article.refresh_from_db()
        if field == "tags":
            assert sorted(t.name for t in article.tags.all()) == sorted(parse_tags(value)), context
        else:
            assert getattr(article, field) == value.strip(), context


def test_the_body_limit_is_exact_and_stated(editor_client, editor):
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = editor_client.get(url).content.decode()
    for stated in ("Up to 200 characters.", "Up to 50,000 characters", "Each tag up to 100 characters"):
        assert stated in page
    at_limit = ("word " * (BODY_MAX_CHARS // 5)).strip() + "."
    assert len(at_limit) == BODY_MAX_CHARS
    assert editor_client.post(url, article_form_data(article, body=at_limit)).status_code == 302
    response = editor_client.post(url, article_form_data(article, body=at_limit + "x"))
    assert_refused(response, "body", "The body is 50,001 characters long", at_limit + "x", "limit")


def test_a_tag_in_another_script_gets_a_page_and_a_link(client, editor_client, editor):
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form_data(article, tags="纤维化, Lungenfibrose")
    assert editor_client.post(url, data).status_code == 302
    published(article)
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    for tag in article.tags.all():
        tag_url = reverse("articles:tag-detail", args=[tag.slug])
        assert f'href="{tag_url}"' in page
        assert client.get(tag_url).status_code == 200


def test_a_tag_without_letters_made_outside_the_admin_is_shown_without_a_link(client, editor):
    article = ArticleFactory(author=editor)
    article.tags.add("🧬", "{{ }}")  # empty and "_1" slugs: the first has no page
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    tags = [li for ul in parse(response.content.decode()).iter("ul") if ul.get("class") == "tag-list" for li in ul]
    assert sorted(text_of(li) for li in tags) == ["{{ }}", "🧬"]
    sitemap = client.get(reverse("django.contrib.sitemaps.views.sitemap")).content.decode()
    assert "/tags//" not in sitemap


def test_invalid_utf8_in_a_form_is_stored_as_replacement_characters(editor_client, editor):
    # A lone surrogate cannot cross HTTP as text: its UTF-8 bytes are invalid and Django reads U+FFFD.
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    data = article_form_data(article, title=b"Lone \xed\xa0\x80 surrogate \xff")
    body = urlencode(data, doseq=True)
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Lone \ufffd\ufffd\ufffd surrogate \ufffd"


# Claims ------------------------------------------------------------------------------------


CLAIM_FIELDS = {
    "part": {"refuses": lambda v: "not in the chosen sentence"},
    "new_sources": {"refuses": lambda v: "This is not a PubMed ID (29298160), DOI (10.1056/NEJMoa1703327)"},
    "explanation": {"limit": 1000},
    "reviewer_note": {},
}


@pytest.mark.parametrize("field", CLAIM_FIELDS)
def test_claim_form_stores_or_refuses_hostile_text(editor_client, article, field):
    claim = ClaimFactory(article=article)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    for name, value in VALUES.items():
        context = f"{field}={name}"
        response = editor_client.post(url, claim_form_data(claim, **{field: value}))
        problem = expected_problem(value, **CLAIM_FIELDS[field])
        if problem:
            assert_refused(response, field, problem, value, context)
            continue
        assert response.status_code == 302, f"{context}: {response.status_code}"
        claim.refresh_from_db()
        assert getattr(claim, field) == value.strip(), context


def test_a_claim_cites_at_most_twenty_sources(editor_client, article):
    claim = ClaimFactory(article=article, sources=[])
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    assert "Up to 20 sources per claim." in editor_client.get(url).content.decode()
    twenty_one = "\n".join(str(10_000_000 + n) for n in range(21))
    response = editor_client.post(url, claim_form_data(claim, new_sources=twenty_one))
    assert_refused(response, "new_sources", "A claim cites at most 20 sources; this one would cite 21.", twenty_one, "")
    assert not Source.objects.exists()
    twenty = "\n".join(str(10_000_000 + n) for n in range(20))
    assert editor_client.post(url, claim_form_data(claim, new_sources=twenty)).status_code == 302
    assert claim.sources.count() == 20


def test_a_web_source_longer_than_an_identifier_can_be_is_refused(editor_client, article):
    claim = ClaimFactory(article=article)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    address = "https://example.org/" + "a" * 600
    response = editor_client.post(url, claim_form_data(claim, new_sources=address))
    assert_refused(response, "new_sources", "at most 500 characters; this one has 620", address, "")


@pytest.mark.parametrize("path", ["add/", "add/?article=²", "add/?article=-1", "add/?article=99999999999999999999"])
def test_the_claim_form_with_an_odd_article_number_offers_the_article_picker(editor_client, path):
    response = editor_client.get(reverse("admin:claims_claim_changelist") + path)
    assert response.status_code == 200
    assert "Add claim: choose the article" in response.content.decode()


# Values that are not ids, in the claim form's lists --------------------------------------------------

# Text, numbers past SQLite's and PostgreSQL's integers, numbers no row has, and digits int() refuses.
NOT_IDS = ["undefined", "Lung fibrosis", "99999999999999999999999", str(2**63), "-1", "1.5", "0x10", "1,2", "²"]
ID_FIELD_ERRORS = {
    "condition": "That condition is not in the list (it may have been deleted): pick it again.",
    "evidence_status": "That evidence status is not in the list: pick it again.",
    "sources": "One of the chosen sources is not in the list (it may have been deleted): pick the sources again",
}


def selected_values(html, name):
    return [
        option.get("value")
        for element in parse(html).iter()
        if element.tag == "select" and element.get("name") == name
        for option in element.iter("option")
        if option.get("selected") is not None
    ]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("field", ID_FIELD_ERRORS)
def test_a_claim_form_value_that_is_no_id_is_a_form_error_keeping_what_was_typed(editor_client, article, field, value):
    claim = ClaimFactory(article=article)
    cited = claim.sources.get()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    typed = "Rewritten after a second trial; still two small studies."
    sent = [str(cited.pk), value] if field == "sources" else value
    response = editor_client.post(url, claim_form_data(claim, **{field: sent, "explanation": typed}))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert ID_FIELD_ERRORS[field] in " ".join(form.errors[field])
    page = response.content.decode()
    assert shown_again(page, "explanation") == typed
    assert selected_values(page, "sources") == [str(cited.pk)]
    if field != "condition":
        assert selected_values(page, "condition") == [str(claim.condition_id)]
    claim.refresh_from_db()
    assert claim.explanation != typed


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("field", ID_FIELD_ERRORS)
def test_a_new_claim_with_a_value_that_is_no_id_is_refused_and_nothing_is_created(editor_client, article, field, value):
    claim = ClaimFactory.build(article=article)
    condition, source = ConditionFactory(), SourceFactory()
    sentence = article.sentences()[1]
    data = {
        "sentence": f"{sentence.start}:{sentence.end}",
        "condition": str(condition.pk),
        "evidence_status": str(claim.evidence_status.pk),
        "sources": [str(source.pk)],
        "explanation": "Two small trials in people.",
        "_save": "Save",
        field: value,
    }
    response = editor_client.post(reverse("admin:claims_claim_add") + f"?article={article.pk}", data)
    assert response.status_code == 200
    assert ID_FIELD_ERRORS[field] in " ".join(response.context["adminform"].form.errors[field])
    assert not Claim.objects.exists()


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("field", ["condition", "sources", "evidence_status"])
def test_the_claim_add_page_with_a_value_that_is_no_id_in_its_address_opens_with_nothing_chosen(
    editor_client, article, field, value
):
    sentence = article.sentences()[1]
    query = urlencode({"article": article.pk, "sentence": f"{sentence.start}:{sentence.end}", field: value})
    response = editor_client.get(reverse("admin:claims_claim_add") + "?" + query)
    assert response.status_code == 200
    assert selected_values(response.content.decode(), field) in ([], [""])


# Conditions, evidence statuses, sources ---------------------------------------------------------


def icd_problem(value):
    return "An ICD-10 code looks like J84.1"


def mesh_problem(value):
    return "A MeSH descriptor ID is D followed by 6 or 9 digits"


CONDITION_FIELDS = {
    "name": {"limit": 200},
    "synonyms": {},
    "description": {"limit": 1000},
    "icd10_code": {"limit": 10, "refuses": icd_problem},
    "mesh_id": {"limit": 10, "refuses": mesh_problem},
}


@pytest.mark.parametrize("field", CONDITION_FIELDS)
def test_condition_form_stores_or_refuses_hostile_text(editor_client, field):
    url = reverse("admin:claims_condition_add")
    for index, (name, value) in enumerate(VALUES.items()):
        context = f"{field}={name}"
        data = {"name": f"Condition {index}", "slug": f"condition-{index}", "icd10_code": "", "mesh_id": ""}
        data |= {"synonyms": "", "description": "", field: value}
        response = editor_client.post(url, data)
        problem = expected_problem(value, **CONDITION_FIELDS[field])
        if problem:
            assert_refused(response, field, problem, value, context)
            continue
        assert response.status_code == 302, f"{context}: {response.status_code}"
        assert getattr(Condition.objects.get(slug=f"condition-{index}"), field) == value.strip(), context


STATUS_FIELDS = {
    "name": {"limit": 80},
    "symbol": {"limit": 8},
    "badge_text": {"limit": 60},
    "description": {},
    "wording_guidance": {},
}


@pytest.mark.parametrize("field", STATUS_FIELDS)
def test_evidence_status_form_stores_or_refuses_hostile_text(editor_client, field):
    url = reverse("admin:claims_evidencestatus_add")
    for index, (name, value) in enumerate(VALUES.items()):
        context = f"{field}={name}"
        data = {"name": f"Grade {index}", "slug": f"grade-{index}", "rank": "70", "symbol": "●", "badge_text": "Grade"}
        data |= {"tone": "weak", "is_rated": "on", "description": "Means this.", "wording_guidance": "", field: value}
        data["wording_strength"] = "2"
        response = editor_client.post(url, data)
        problem = expected_problem(value, **STATUS_FIELDS[field])
        if problem:
            assert_refused(response, field, problem, value, context)
            continue
        assert response.status_code == 302, f"{context}: {response.status_code}"
        assert getattr(EvidenceStatus.objects.get(slug=f"grade-{index}"), field) == value.strip(), context


@pytest.mark.parametrize("field", ["identifier", "title"])
def test_source_form_stores_or_refuses_hostile_text(editor_client, field):
    url = reverse("admin:claims_source_add")
    for index, (name, value) in enumerate(VALUES.items()):
        context = f"{field}={name}"
        data = {"kind": "", "identifier": f"{20_000_000 + index}", "title": "", "year": "", field: value}
        response = editor_client.post(url, data)
        refuses = (lambda v: "This is not a PubMed ID") if field == "identifier" else None
        problem = expected_problem(value, limit=500, refuses=refuses)
        if problem:
            assert_refused(response, field, problem, value, context)
            continue
        assert response.status_code == 302, f"{context}: {response.status_code}"
        assert Source.objects.get(identifier=f"{20_000_000 + index}").title == value.strip(), context


def test_the_limits_are_stated_on_the_condition_status_and_source_forms(editor_client):
    for name, stated in (
        ("admin:claims_condition_add", "Up to 200 characters."),
        ("admin:claims_evidencestatus_add", "Up to 8 characters."),
        ("admin:claims_source_add", "Up to 500 characters."),
    ):
        assert stated in editor_client.get(reverse(name)).content.decode()


# Importing -----------------------------------------------------------------------------------


def test_the_import_page_imports_or_refuses_hostile_text_and_keeps_it_in_the_box(editor_client):
    url = reverse("admin:articles_article_import")
    for name, value in VALUES.items():
        before = Article.objects.count()
        response = editor_client.post(url, {"text": f"Imported {name}\n{value}\n"})
        if response.status_code == 302:
            assert Article.objects.count() == before + 1, name
            continue
        assert response.status_code == 200, f"{name}: {response.status_code}"
        assert response.context["form"].errors, name
        assert shown_again(response.content.decode(), "text") == as_shown(f"Imported {name}\n{value}\n"), name
    # NUL is refused, and 100,000 characters make a body over the limit; the rest is imported.
    imported = {f"Imported {n}" for n in VALUES if n not in {"nul", "long"}}
    assert set(Article.objects.values_list("title", flat=True)) == imported


def test_an_import_over_the_body_limit_is_refused_with_the_limit(editor_client):
    text = "A long article\n" + "\n".join(["Stem cells were studied in many small trials of people."] * 1_000)
    response = editor_client.post(reverse("admin:articles_article_import"), {"text": text})
    assert response.status_code == 200
    assert "an article may have at most 50,000" in " ".join(response.context["form"].non_field_errors())
    assert not Article.objects.exists()


def test_an_uploaded_file_with_nul_or_invalid_utf8_is_refused_by_name(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:articles_article_import")
    for data, message in ((b"Title\nText\x00here.\n", "binary data"), (b"Title\n\xed\xa0\x80\n", "not UTF-8 text")):
        upload = SimpleUploadedFile("a.txt", data, content_type="text/plain")
        response = editor_client.post(url, {"file": upload})
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].non_field_errors())
    assert not Article.objects.exists()


# Review decisions ------------------------------------------------------------------------------


def test_a_decision_comment_is_stored_as_typed_without_nul(client, reviewer, article):
    client.force_login(reviewer)
    for index, (name, value) in enumerate(VALUES.items()):
        claim = ClaimFactory(article=article, condition=ConditionFactory(slug=f"decided-{index}"))
        response = decide(client, claim, "changes_requested", follow=False, comment=value)
        assert response.status_code == 302, name
        decision = claim.decisions.get(decision=ClaimDecision.Decision.CHANGES_REQUESTED)
        assert decision.comment == value.replace("\x00", "").strip(), name


def test_a_bulk_decision_comment_is_stored_as_typed_without_nul(client, reviewer, article):
    client.force_login(reviewer)
    claims = [ClaimFactory(article=article, condition=ConditionFactory(slug=f"bulk-{n}")) for n in range(2)]
    for claim, value in zip(claims, (NUL, LONG), strict=True):
        response = client.post(
            reverse("admin:claims_reviewqueueclaim_changelist"),
            {
                "action": "reject_selected",
                ACTION_CHECKBOX_NAME: [claim.pk],
                "confirm": "yes",
                "comment": value,
                f"seen-{claim.pk}": seen_now(claim),
            },
        )
        assert response.status_code == 302
        assert claim.decisions.get(decision="rejected").comment == value.replace("\x00", "")
    assert Claim.objects.filter(review_state="rejected").count() == 2


# Comments --------------------------------------------------------------------------------------


def test_a_comment_is_stored_as_typed_without_nul_or_refused_over_its_limit_keeping_the_text(client, reviewer, article):
    client.force_login(reviewer)
    claim = ClaimFactory(article=article)
    url = reverse("admin:claims_commentthread_start_on_claim", args=[claim.pk])
    for name, value in VALUES.items():
        response = client.post(url, {"body": value}, follow=True)
        assert response.status_code == 200, name
        typed = value.replace("\x00", "").replace("\r\n", "\n").strip()
        if len(typed) > COMMENT_MAX_CHARS:
            box = next(e for e in parse(response.content.decode()).iter() if e.get("id") == "new-thread-claim")
            assert text_of(box) == as_shown(value), name
            assert not Comment.objects.filter(thread__claim=claim, body__startswith=typed[:50]).exists(), name
            continue
        assert Comment.objects.filter(thread__claim=claim).latest("pk").body == typed, name


# Signing in ------------------------------------------------------------------------------------


def test_the_sign_in_form_refuses_hostile_text_and_shows_the_name_again(client, editor):
    for name, value in VALUES.items():
        response = client.post(reverse("admin:login"), {"username": value, "password": value})
        assert response.status_code == 200, name
        assert "_auth_user_id" not in client.session
        assert response.context["form"].errors, name
        assert shown_again(response.content.decode(), "username") == as_shown(value.strip()), name
