import re

import pytest

from articles.rendering import render_markdown
from articles.text import read_html, split_sentences, wrap_ranges
from tests import prose
from tests.helpers import sentences_of


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "MSCs may reduce inflammation, e.g. in mice. Results vary.",
            ["MSCs may reduce inflammation, e.g. in mice.", "Results vary."],
        ),
        ("Dr. Smith et al. reported it. Others did not.", ["Dr. Smith et al. reported it.", "Others did not."]),
        (
            "See N. Engl. J. Med. 2018 for the trial. It was large.",
            ["See N. Engl. J. Med. 2018 for the trial.", "It was large."],
        ),
        (
            "The dose was 1.5 mg/kg (p < 0.05). Side effects were rare.",
            ["The dose was 1.5 mg/kg (p < 0.05).", "Side effects were rare."],
        ),
        ("Scarring fell in mice [3]. Humans differ.", ["Scarring fell in mice [3].", "Humans differ."]),
        ("Scarring fell in mice.[3] Humans differ.", ["Scarring fell in mice.[3]", "Humans differ."]),
        (
            "Compare approx. 30 people vs. 40 in Fig. 2. That is small.",
            ["Compare approx. 30 people vs. 40 in Fig. 2.", "That is small."],
        ),
        ("He said “it works.” Nobody checked.", ["He said “it works.”", "Nobody checked."]),
        ("Is it safe? We do not know! Ask your doctor.", ["Is it safe?", "We do not know!", "Ask your doctor."]),
        ("Results were mixed... More trials are needed.", ["Results were mixed...", "More trials are needed."]),
        (
            "See doi.org/10.1056/NEJMoa1703327 for details. Then decide.",
            ["See doi.org/10.1056/NEJMoa1703327 for details.", "Then decide."],
        ),
        ("No full stop at the end", ["No full stop at the end"]),
    ],
)
def test_sentences_split_where_a_reader_would(text, expected):
    assert sentences_of(text) == expected


def test_plain_text_collapses_whitespace_and_separates_blocks():
    document = read_html(
        "<h2>Title</h2>\n<p>One  sentence\nwrapped. <em>Two</em> here.</p>\n<ul>\n<li>Item</li>\n</ul>"
    )
    assert document.text == "Title\n\nOne sentence wrapped. Two here.\n\nItem"
    assert [u.kind for u in document.units] == ["heading", "paragraph", "list_item"]


def test_units_cover_headings_list_items_and_table_cells():
    html = render_markdown("## Head\n\nPara one. Para two.\n\n- Rest. Sleep.\n\n| x | y |\n|---|---|\n| 1 | 2 |\n")
    sentences = read_html(html).sentences()
    assert [(s.kind, s.text) for s in sentences] == [
        ("heading", "Head"),
        ("paragraph", "Para one."),
        ("paragraph", "Para two."),
        ("list_item", "Rest."),
        ("list_item", "Sleep."),
        ("table_cell", "x"),
        ("table_cell", "y"),
        ("table_cell", "1"),
        ("table_cell", "2"),
    ]


def test_sentence_offsets_index_the_plain_text():
    document = read_html(render_markdown("First claim here. *Second* claim there.\n\nThird."))
    for sentence in document.sentences():
        assert document.text[sentence.start : sentence.end] == sentence.text


def _open(key, first):
    return f'<span data-k="{key}">'


def _visible(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_wrapping_across_inline_markup_keeps_html_well_formed_and_text_unchanged():
    html = render_markdown("Stem cells **may reduce** scarring in *some* people. Next.")
    document = read_html(html)
    start = document.text.index("Stem")
    end = document.text.index("people.") + len("people.")
    wrapped = wrap_ranges(document, [(start, end, 7)], _open, after=lambda keys: "")
    assert '<strong><span data-k="7">may reduce</span></strong>' in wrapped
    assert wrapped.count('<span data-k="7">') == 5
    assert wrapped.count("<span") == wrapped.count("</span>")
    assert _visible(wrapped) == _visible(html)


def test_badge_follows_the_last_piece_and_never_lands_inside_a_link():
    document = read_html(render_markdown("Read [the trial report](https://example.org) now."))
    start = document.text.index("Read")
    end = document.text.index(" now")
    wrapped = wrap_ranges(document, [(start, end, 1)], _open, after=lambda keys: "[BADGE]")
    assert "</a>[BADGE]" in wrapped


def test_claims_sharing_a_sentence_get_one_badge_group():
    document = read_html("<p>Both conditions improve. Other.</p>")
    end = document.text.index(" Other")
    wrapped = wrap_ranges(document, [(0, end, 1), (0, end, 2)], _open, after=lambda keys: f"[{sorted(keys)}]")
    assert wrapped.count("[[1, 2]]") == 1
    assert '<span data-k="1"><span data-k="2">Both conditions improve.</span></span>[[1, 2]]' in wrapped


def test_wrapped_text_is_escaped():
    document = read_html("<p>p &lt; 0.05 &amp; more.</p>")
    wrapped = wrap_ranges(document, [(0, len(document.text), 1)], _open)
    assert "p &lt; 0.05 &amp; more." in wrapped


def real_prose():
    """The demo articles' Markdown, and the articles written for the tests, one paragraph a line."""
    from claims.demo_content import ARTICLES

    texts = [article["body"] for article in ARTICLES]
    for path in prose.ARTICLES:
        paragraphs = [line for line in prose.read(path).splitlines() if line.strip()]
        texts.append("\n\n".join(paragraphs))
    return texts


def test_real_articles_give_sentences_that_rejoin_to_their_paragraphs():
    texts = real_prose()
    assert len(texts) >= len(prose.ARTICLES) + 1  # the written articles and the demo's
    for text in texts:
        document = read_html(render_markdown(text))
        for unit in document.units:
            pieces = split_sentences(document.text, unit.start, unit.end)
            rejoined = " ".join(document.text[s:e] for s, e in pieces)
            assert rejoined == document.text[unit.start : unit.end]
