"""Search over published articles and conditions, on SQLite (fallback) and PostgreSQL (full text)."""

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article
from claims import search_views
from claims.search import clean_query, highlight, lowered_term_pattern, term_pattern
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, evidence, published
from tests.helpers import approved_claim

pytestmark = pytest.mark.django_db

URL = "/search/"


def search(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response


def result_titles(response):
    return [article.title for article, _snippet, _claims in response.context["results"]]


def test_search_url_is_named_search():
    assert reverse("search") == URL


def test_search_finds_articles_by_a_word_of_the_title(client, editor):
    ArticleFactory(author=editor, title="Axolotl limbs and regrowth")

    assert result_titles(search(client, "axolotl")) == ["Axolotl limbs and regrowth"]


def test_search_finds_articles_by_a_word_of_the_body(client, editor):
    ArticleFactory(author=editor, title="Plain title", body="Quokkas are small marsupials.")

    assert result_titles(search(client, "marsupials")) == ["Plain title"]


def test_search_finds_articles_by_a_word_of_the_standfirst(client, editor):
    ArticleFactory(author=editor, title="Plain title", standfirst="Narwhal tusks are teeth.")

    assert result_titles(search(client, "narwhal")) == ["Plain title"]


def test_search_needs_every_word(client, editor):
    ArticleFactory(author=editor, title="Axolotl limbs", body="Regrowth of limbs.")
    ArticleFactory(author=editor, title="Axolotl habitats", body="Lakes near Mexico City.")

    assert result_titles(search(client, "axolotl regrowth")) == ["Axolotl limbs"]


def test_search_ranks_a_title_hit_above_a_body_only_hit(client, editor):
    ArticleFactory(author=editor, title="Axolotl limbs", body="Nothing else to see here.")
    ArticleFactory(author=editor, title="Regrowth in amphibians", body="The axolotl regrows its limbs.")

    assert result_titles(search(client, "axolotl")) == ["Axolotl limbs", "Regrowth in amphibians"]


def test_search_never_lists_drafts_or_articles_in_review(client, editor):
    ArticleFactory(author=editor, title="Axolotl draft", status=Article.Status.DRAFT)
    ArticleFactory(author=editor, title="Axolotl in review", status=Article.Status.IN_REVIEW)
    ArticleFactory(author=editor, title="Axolotl published")

    assert result_titles(search(client, "axolotl")) == ["Axolotl published"]


@pytest.mark.parametrize("q", ["pulmonary fibrosis", "cryptogenic", "j84.1", "D054990"])
def test_search_finds_conditions_by_name_synonym_icd10_and_mesh_code(client, q):
    ConditionFactory(
        name="Idiopathic pulmonary fibrosis",
        slug="idiopathic-pulmonary-fibrosis",
        synonyms="IPF\nCryptogenic fibrosing alveolitis",
        icd10_code="J84.1",
        mesh_id="D054990",
    )
    ConditionFactory(name="Asthma", slug="asthma", icd10_code="J45", mesh_id="D001249")

    response = search(client, q)

    assert [condition.name for condition in response.context["conditions"]] == ["Idiopathic pulmonary fibrosis"]
    assert "Idiopathic pulmonary fibrosis" in response.content.decode()


def test_search_highlights_hits_with_mark_and_escapes_the_article_text(client, editor):
    ArticleFactory(author=editor, title="Plain title", body="When x < y & z, the quokka smiles.")

    response = search(client, "quokka")

    [(_article, snippet, _claims)] = response.context["results"]
    assert "<mark>quokka</mark>" in snippet
    assert "x &lt; y &amp; z" in snippet
    assert "<mark>quokka</mark>" in response.content.decode()


def test_search_shows_the_query_back_escaped(client):
    response = search(client, '<script>alert("x")</script>')

    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content


def test_empty_query_shows_the_form_and_a_hint(client):
    response = search(client, "")

    content = response.content.decode()
    assert 'name="q"' in content
    assert "Type a few words" in content
    assert response.context["page_obj"] is None


def test_search_without_q_parameter_shows_the_form(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert "Type a few words" in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "a" * 1000,
        "lung " * 200,
        "ÿ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🫁 ‮right-to-left‬ e\u0301 \u200b zero-width 中文 العربية",
        "lung\x00fibrosis\x00",
        "\x00",
        '& | ! ( ) : * <-> - "unclosed',
        "!!(lung & | fibrosis) <-> :* -",
        "'; DROP TABLE articles_article; --",
        "1' OR '1'='1",
        "\\ % _ \\%",
        "the and of",
        "-",
        '"',
    ],
)
def test_odd_queries_never_fail(client, editor, q):
    ArticleFactory(author=editor, title="Lung fibrosis", body="Lung fibrosis & scarring.")

    search(client, q)


def test_long_queries_are_cut_to_200_characters():
    assert len(clean_query("b" * 1000)) == 200
    assert clean_query(" lung\x00 ") == "lung"


def test_pagination_keeps_the_query(client, editor):
    for n in range(12):
        ArticleFactory(author=editor, title=f"Pangolin scales {n}")

    first = search(client, "pangolin")
    second = search(client, "pangolin", page=2)

    assert len(first.context["results"]) == 10
    assert "?q=pangolin&amp;page=2" in first.content.decode()
    assert len(second.context["results"]) == 2
    assert "?q=pangolin&amp;page=1" in second.content.decode()


def test_highlight_escapes_text_around_and_inside_hits():
    assert highlight("a <b> & amp", ["amp", "<b>"]) == "a <mark>&lt;b&gt;</mark> &amp; <mark>amp</mark>"


def test_a_database_error_asks_for_different_words(client, monkeypatch):
    def broken(query):
        raise DatabaseError("syntax error in tsquery")

    monkeypatch.setattr(search_views, "search_articles", broken)

    response = search(client, "lung")

    assert "Try different words" in response.content.decode()


def test_fallback_matches_words_that_begin_with_the_query_never_inside_other_words(client, editor):
    ArticleFactory(author=editor, title="Systemic sclerosis", standfirst="", body="Systemic disease of the skin.")
    ArticleFactory(author=editor, title="Stem cell trials", body="Stems and stem cells.")

    response = search(client, "stem")

    assert result_titles(response) == ["Stem cell trials"]
    [(_article, snippet, _claims)] = response.context["results"]
    assert "<mark>Stems</mark>" in snippet and "<mark>stem</mark>" in snippet


def test_highlight_marks_whole_words_from_their_start_only():
    assert highlight("Systemic stem cells; stems", ["stem"]) == "Systemic <mark>stem</mark> cells; <mark>stems</mark>"


def test_quoted_phrases_match_together_and_minus_leaves_a_word_out(client, editor):
    ArticleFactory(author=editor, title="Lung fibrosis", standfirst="", body="Scarring of the lung is fibrosis.")
    ArticleFactory(author=editor, title="Fibrosis of the liver", standfirst="", body="Liver, not lung fibrosis.")
    ArticleFactory(author=editor, title="Kidney scarring", standfirst="", body="Fibrosis in the kidney.")

    assert set(result_titles(search(client, '"lung fibrosis"'))) == {"Lung fibrosis", "Fibrosis of the liver"}
    assert result_titles(search(client, "fibrosis -liver -lung")) == ["Kidney scarring"]


def test_snippet_starts_and_ends_between_words_around_the_first_hit(client, editor):
    filler = " ".join(f"word{n}" for n in range(200))
    ArticleFactory(author=editor, title="Plain title", body=f"{filler} the quokka smiles. {filler}")

    [(_article, snippet, _claims)] = search(client, "quokka").context["results"]

    text = str(snippet)
    assert text.startswith("…") and text.endswith("…")
    assert "<mark>quokka</mark>" in text
    inner = text.strip("…").replace("<mark>", "").replace("</mark>", "")
    assert set(inner.split()) <= set(filler.split()) | {"the", "quokka", "smiles."}  # no word cut in two
    assert len(inner) <= 200


def test_search_runs_a_fixed_number_of_queries_however_many_results(client, editor, django_assert_max_num_queries):
    for n in range(25):
        ArticleFactory(author=editor, title=f"Pangolin scales {n}")
    ConditionFactory(name="Pangolin fever", slug="pangolin-fever")

    # The results, the conditions and the published claims the snippets show; PostgreSQL also counts the matches.
    with django_assert_max_num_queries(4 if connection.vendor == "postgresql" else 3):
        response = search(client, "pangolin")

    assert len(response.context["results"]) == 10
    assert len(response.context["conditions"]) == 1


def test_snippets_set_headings_off_from_the_text_that_follows(client, editor):
    ArticleFactory(
        author=editor,
        title="Plain title",
        body="## Two kinds of quokka\n\nWhen people talk about quokkas they mean one animal.\n\nIs it shy?\n\nNo.",
    )

    [(_article, snippet, _claims)] = search(client, "quokka").context["results"]

    text = str(snippet).replace("<mark>", "").replace("</mark>", "")
    assert "of quokka · When people talk about quokkas they mean one animal. Is it shy? No." in text


@pytest.mark.parametrize(
    "q, found",
    [
        ('"pulmonary fibrosis"', ["Idiopathic pulmonary fibrosis"]),
        ("fibrosis pulmonary", ["Idiopathic pulmonary fibrosis"]),
        ("fibrosis -idiopathic", ["Cystic fibrosis"]),
        ("fibrosis", ["Cystic fibrosis", "Idiopathic pulmonary fibrosis"]),
        ("-", []),
        ("remitting", []),  # inside "relapsing-remitting" only as a description, never searched
    ],
)
def test_condition_search_follows_the_same_syntax_as_article_search(client, q, found):
    ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf", synonyms="IPF", icd10_code="J84.1")
    ConditionFactory(name="Cystic fibrosis", slug="cf", icd10_code="E84", mesh_id="D003550")
    ConditionFactory(name="Multiple sclerosis", slug="ms", description="Often relapsing-remitting.")

    assert [condition.name for condition in search(client, q).context["conditions"]] == found


def test_the_query_shown_back_is_isolated_from_the_page_text(client):
    content = search(client, "\u202eright-to-left").content.decode()

    assert "“<bdi>\u202eright-to-left</bdi>”" in content


WORDY = st.text(alphabet="abcSTEMs -.,1_é\n", max_size=40)


@given(text=WORDY, term=st.from_regex(r"[a-zA-Z0-9é][a-zA-Z0-9é.]{0,5}( [a-zA-Z]{1,4})?", fullmatch=True))
def test_the_fast_word_test_finds_what_the_highlighting_finds(text, term):
    assert bool(lowered_term_pattern(term).search(text.lower())) == bool(term_pattern([term]).search(text))
    assert len(lowered_term_pattern(term).findall(text.lower())) == len(term_pattern([term]).findall(text))


GRADED = "Stem-cell transplants cure Crohn's disease in some patients."
UNGRADED_WORDS = "Crohn's disease affects the gut."


def test_a_snippet_showing_a_claimed_sentence_shows_its_grade_and_one_under_review_says_so(client, editor, reviewer):
    article = ArticleFactory(author=editor, title="Crohn's and transplants", body=f"{UNGRADED_WORDS} {GRADED}")
    approved_claim(
        reviewer,
        article=article,
        text=GRADED,
        condition=ConditionFactory(name="Crohn's disease", slug="crohns"),
        evidence_status=evidence("very-uncertain"),
        override_reason="Reports what clinics claim.",
    )
    published(article)

    response = search(client, "transplants cure")
    [(_revision, _snippet, claims)] = response.context["results"]
    assert [claim.public_grade.slug for claim in claims] == ["very-uncertain"]
    listed = response.content.decode().split('class="search-snippet__claims"')[1].split("</ul>")[0]
    assert "Very uncertain" in listed and "Crohn&#x27;s disease" in listed

    crohns = claims[0].condition
    ClaimFactory(article=article, text=UNGRADED_WORDS, condition=crohns, evidence_status=evidence("strong"))
    published(article)  # the new claim is not approved: readers see it under review
    listed = search(client, "gut").content.decode().split('class="search-snippet__claims"')[1].split("</ul>")[0]
    assert "Under review" in listed and "Strong" not in listed


def test_a_snippet_showing_no_claimed_words_lists_no_claims(client, editor, reviewer):
    plain = "Plain words about the weather. " * 20
    article = ArticleFactory(author=editor, title="Weather", body=f"{plain}\n\n{GRADED}")
    approved_claim(reviewer, article=article, text=GRADED, override_reason="Reports what clinics claim.")
    published(article)

    [(_revision, _snippet, claims)] = search(client, "weather").context["results"]
    assert claims == []
