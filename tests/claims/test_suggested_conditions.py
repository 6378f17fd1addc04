"""Health claims about conditions the site does not know: shown in the article's panel, held at the
gate, and the shortcut that adds the condition and comes back to the article."""

import html

import pytest
from django.urls import reverse

from claims.models import Condition
from claims.publishing import open_suggestions
from tests.factories import ArticleFactory, ConditionFactory

pytestmark = pytest.mark.django_db

CLAIM = "Inhaled steroids reduce asthma attacks in most children."
PRONOUN = "It also eased night-time symptoms within a month."
BODY = f"""## Asthma in children

Asthma is common in children. {CLAIM} {PRONOUN}

Researchers plan to compare the two inhalers next year.
"""


@pytest.fixture
def asthma_article(editor):
    return ArticleFactory(author=editor, body=BODY, title="Inhalers for asthma")


def panel(client, article):
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def ungraded(page):
    return page.split("Health claims nobody graded", 1)[1].split("</ol>", 1)[0]


def add_condition_url(article, name, slug):
    return f"{reverse('admin:claims_condition_add')}?article={article.pk}&name={name}&slug={slug}"


def test_a_claim_naming_no_known_condition_is_suggested_and_says_so(editor_client, asthma_article):
    listed = ungraded(panel(editor_client, asthma_article))
    assert CLAIM in listed and PRONOUN in listed
    assert "Researchers plan" not in listed and "Asthma is common" not in listed
    assert listed.count("Names no condition on the site") == 2
    assert "pick the condition when adding the claim, or add it first" in listed
    add_claim = reverse("admin:claims_claim_add") + f"?article={asthma_article.pk}&sentence="
    assert add_claim in listed and "condition=" not in listed.split(add_claim, 1)[1].split('"', 1)[0]


def test_the_suggestion_offers_to_add_the_disease_it_names(editor_client, asthma_article):
    listed = ungraded(panel(editor_client, asthma_article))
    link = add_condition_url(asthma_article, "Asthma", "asthma")
    assert f'<a class="addlink" href="{link}">Add “Asthma” as a condition</a>' in listed
    # The sentence with a pronoun names no disease: it is offered a plain "Add a condition".
    plain = f'href="{reverse("admin:claims_condition_add")}?article={asthma_article.pk}">Add a condition'
    assert plain in listed


def test_only_those_who_may_add_conditions_see_the_shortcut(reviewer_client, asthma_article):
    listed = ungraded(panel(reviewer_client, asthma_article))
    assert CLAIM in listed
    assert "as a condition" not in listed and "Add a condition" not in listed
    assert "or add it first" not in listed


def test_adding_the_condition_comes_back_to_the_article_where_the_sentence_names_it(editor_client, asthma_article):
    url = add_condition_url(asthma_article, "Asthma", "asthma")
    form = editor_client.get(url)
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["name"] == "Asthma"
    assert form.context["adminform"].form.initial["slug"] == "asthma"

    response = editor_client.post(url, {"name": "Asthma", "slug": "asthma", "synonyms": "", "description": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[asthma_article.pk]) + "#integrity"
    assert Condition.objects.filter(name="Asthma").exists()

    listed = ungraded(panel(editor_client, asthma_article))
    assert "Names <q>asthma</q> (Asthma)" in listed
    assert "Add “Asthma” as a condition" not in listed


@pytest.mark.parametrize("article", ["abc", "99999999999999999999999", "", "１"])
def test_adding_a_condition_with_a_bad_article_in_the_address_goes_to_the_usual_page(editor_client, article):
    url = f"{reverse('admin:claims_condition_add')}?article={article}&name=Eczema&slug=eczema"
    response = editor_client.post(url, {"name": "Eczema", "slug": "eczema", "synonyms": "", "description": ""})
    assert response.status_code == 302
    assert "#integrity" not in response["Location"]
    assert Condition.objects.filter(name="Eczema").exists()


def test_a_suggestion_without_a_known_condition_holds_the_gate_until_claimed_or_dismissed(asthma_article):
    assert {suggestion.text for suggestion in open_suggestions(asthma_article)} == {CLAIM, PRONOUN}


def test_a_short_acronym_in_lower_case_does_not_name_the_condition(editor_client, editor):
    ConditionFactory(name="Multiple sclerosis", slug="ms", synonyms="MS")
    article = ArticleFactory(author=editor, body="Ms Smith said the new drug eased MS symptoms in 5 ms.")
    listed = ungraded(panel(editor_client, article))
    assert "Names <q>MS</q> (Multiple sclerosis)" in listed
    assert "<q>Ms</q>" not in listed and "<q>ms</q>" not in listed


def test_the_article_page_reads_its_suggestions_within_the_query_budget(
    editor_client, editor, django_assert_max_num_queries
):
    """Suggestions about a known condition and about none: the conditions and the dismissals, one query each."""
    ConditionFactory(name="Systemic lupus erythematosus", slug="sle", synonyms="lupus")
    article = ArticleFactory(author=editor, body=f"Stem cells may reduce flares of lupus. {CLAIM}", live=False)
    url = reverse("admin:articles_article_change", args=[article.pk])
    editor_client.get(url)
    with django_assert_max_num_queries(10):  # the admin's budget for a page (bench/admin.py)
        page = html.unescape(editor_client.get(url).content.decode())
    assert "Names <q>lupus</q> (Systemic lupus erythematosus)" in page and "Add “Asthma” as a condition" in page
