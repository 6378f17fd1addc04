import pytest

from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory

pytestmark = pytest.mark.django_db

BODY = "Rest and oxygen **may ease** breathlessness, and exercise probably helps stamina. Other words."


def test_claims_on_parts_of_one_sentence_share_one_badge_group_after_the_last(client, editor):
    article = ArticleFactory(author=editor, body=BODY)
    first = ClaimFactory(article=article, text="Rest and oxygen may ease breathlessness", condition=ConditionFactory())
    second = ClaimFactory(article=article, text="exercise probably helps stamina", condition=ConditionFactory())
    html = client.get(article.get_absolute_url()).text
    assert html.count('class="badge-group"') == 1
    group_at = html.index('class="badge-group"')
    assert html.index(f'id="claim-{second.pk}"') < group_at
    assert f'href="#evidence-{first.pk}"' in html[group_at:] and f'href="#evidence-{second.pk}"' in html[group_at:]
    # Each badge in a shared group names its condition.
    assert first.condition.name in html[group_at : group_at + 2000]


def test_overlapping_claims_are_nested_and_get_one_group(client, editor):
    article = ArticleFactory(author=editor, body=BODY)
    outer = ClaimFactory(article=article, text="Rest and oxygen may ease breathlessness, and exercise")
    inner = ClaimFactory(article=article, text="oxygen may ease")
    html = client.get(article.get_absolute_url()).text
    assert html.count('class="badge-group"') == 1
    body = html[html.index('class="article__body"') : html.index("evidence-notes")]
    assert body.count("<span") == body.count("</span>")
    assert f'id="claim-{outer.pk}"' in body and f'id="claim-{inner.pk}"' in body


def test_claims_in_different_sentences_get_their_own_groups(client, editor):
    article = ArticleFactory(author=editor, body=BODY)
    ClaimFactory(article=article, text="exercise probably helps stamina")
    ClaimFactory(article=article, text="Other words.")
    html = client.get(article.get_absolute_url()).text
    assert html.count('class="badge-group"') == 2
