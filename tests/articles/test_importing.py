"""Plain-text import: parsing rules, upload checks, the three written articles and the command."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from articles.importing import MAX_BYTES, ImportRefused, check_upload, parse_plain_text
from articles.imports import DuplicateArticle, article_import
from articles.models import Article
from articles.rendering import render_markdown
from articles.text import read_html
from tests import prose
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def rendered_units(markdown):
    """(kind, text) of each block readers see."""
    document = read_html(render_markdown(markdown))
    return [(unit.kind, document.text[unit.start : unit.end]) for unit in document.units]


def blocks(text):
    return [(block.kind, block.text) for block in parse_plain_text(text).blocks]


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_article", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


# Title and paragraphs ---------------------------------------------------------------------


def test_title_is_the_first_non_empty_line_without_leading_hashes():
    imported = parse_plain_text("\n\n# Living with lung fibrosis\nBreathlessness gets worse over years.\n")
    assert imported.title == "Living with lung fibrosis"
    assert imported.paragraphs == ["Breathlessness gets worse over years."]
    assert imported.warnings == ()


def test_a_first_line_that_reads_like_a_sentence_is_also_the_opening_paragraph():
    imported = parse_plain_text("Stem cells are promising in lung disease.\nTrials are small.\n")
    assert imported.title == "Stem cells are promising in lung disease."
    assert imported.paragraphs == ["Stem cells are promising in lung disease.", "Trials are small."]
    assert "reads like a sentence" in imported.warnings[0]


def test_a_title_longer_than_the_field_is_shortened_at_a_word():
    first = "Stem cells " * 30 + "end."
    imported = parse_plain_text(f"{first}\nBody.\n")
    assert len(imported.title) <= 200 and imported.title.endswith("cells…")
    assert imported.paragraphs[0] == first.strip()


def test_without_blank_lines_every_line_is_a_paragraph():
    text = "Title\nFirst paragraph is here.\nSecond paragraph is here.\nThird one.\n"
    assert parse_plain_text(text).paragraphs == ["First paragraph is here.", "Second paragraph is here.", "Third one."]


def test_with_blank_lines_the_lines_of_a_paragraph_are_joined():
    text = (
        "Title\n\nAntifibrotic medicines slow the loss of lung\nfunction in pulmonary fibrosis.\n\n"
        "Stem-cell infusions may be safe in small\nearly trials.\n"
    )
    assert parse_plain_text(text).paragraphs == [
        "Antifibrotic medicines slow the loss of lung function in pulmonary fibrosis.",
        "Stem-cell infusions may be safe in small early trials.",
    ]


def test_blank_lines_after_the_title_alone_keep_one_paragraph_a_line():
    text = "Title\n\nFirst paragraph is here.\nSecond paragraph is here.\n"
    assert parse_plain_text(text).paragraphs == ["First paragraph is here.", "Second paragraph is here."]


def test_a_blank_line_block_of_long_lines_is_one_paragraph_a_line():
    long_one, long_two = "A" + " long sentence" * 10 + ".", "B" + " long sentence" * 10 + "."
    text = f"Title\n\nIntro.\n\nWhat trials show\n{long_one}\n{long_two}\n"
    assert blocks(text) == [
        ("paragraph", "Intro."),
        ("heading", "What trials show"),
        ("paragraph", long_one),
        ("paragraph", long_two),
    ]


def test_a_short_first_line_of_a_wrapped_block_stays_a_heading():
    text = "Title\n\nWhat trials show\nTwo small trials in people found the infusions\nsafe over one year.\n\nEnd.\n"
    assert blocks(text) == [
        ("heading", "What trials show"),
        ("paragraph", "Two small trials in people found the infusions safe over one year."),
        ("paragraph", "End."),
    ]


def test_a_wrapped_line_is_not_mistaken_for_a_heading():
    text = "Title\n\nStem cells have emerged as an area of research and\ntherapy in immune disorders.\n\nEnd.\n"
    assert blocks(text) == [
        ("paragraph", "Stem cells have emerged as an area of research and therapy in immune disorders."),
        ("paragraph", "End."),
    ]


# Headings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, is_heading",
    [
        ("Modern Studies and Clinical Uses", True),
        ("What is “fibrosis”", True),
        ("2024 guidance from NICE", True),
        ("Does it work?", False),
        ("Three things to know:", False),
        ("It works.", False),
        ("Benefits, risks;", False),
        ("Results were mixed…", False),
        ("and then the lungs", False),  # lower case: the middle of a sentence
        ("One two three four five six seven eight nine ten eleven twelve thirteen", False),
        ("A" * 81, False),
    ],
)
def test_short_lines_without_final_punctuation_are_headings(line, is_heading):
    kinds = blocks(f"Title\n{line}\nA paragraph follows.\n")
    assert kinds[0] == ("heading" if is_heading else "paragraph", line)


def test_the_last_line_and_a_line_before_lower_case_are_not_headings():
    assert blocks("Title\nFirst.\nThank you") == [("paragraph", "First."), ("paragraph", "Thank you")]
    assert blocks("Title\nStem cells have emerged as an area\nof research.\n")[0][0] == "paragraph"


def test_headings_render_as_level_two():
    imported = parse_plain_text("Title\nWhat trials show\nTwo trials.\n")
    assert imported.body_markdown.startswith("## What trials show\n\n")
    assert "<h2>What trials show</h2>" in render_markdown(imported.body_markdown)


def test_rules_and_underlines_are_dropped():
    assert blocks("Title\n=====\nWhat trials show\n-----\nTwo trials.\n* * *\nEnd.\n") == [
        ("heading", "What trials show"),
        ("paragraph", "Two trials."),
        ("paragraph", "End."),
    ]


# Lists ------------------------------------------------------------------------------------


def test_bullet_lines_become_one_list_whatever_the_bullet():
    imported = parse_plain_text(
        "Title\nSymptoms include:\n- cough\n* breathlessness\n• tiredness\n– weight loss\nEnd.\n"
    )
    assert imported.list_items == ["cough", "breathlessness", "tiredness", "weight loss"]
    html = render_markdown(imported.body_markdown)
    assert html.count("<ul>") == 1 and html.count("<li>") == 4


def test_numbered_lines_become_an_ordered_list_that_keeps_its_first_number():
    imported = parse_plain_text("Title\nSteps:\n3. Rest\n4) Breathe slowly\nEnd.\n")
    assert imported.list_items == ["Rest", "Breathe slowly"]
    assert imported.body_markdown == "Steps:\n\n3. Rest\n4. Breathe slowly\n\nEnd.\n"
    assert '<ol start="3">' in render_markdown(imported.body_markdown)


def test_bullets_and_numbers_make_separate_lists():
    html = render_markdown(parse_plain_text("Title\n- one\n1. two\nEnd.\n").body_markdown)
    assert "<ul>\n<li>one</li>\n</ul>" in html and "<ol>\n<li>two</li>\n</ol>" in html


def test_in_blank_line_text_the_lines_under_a_bullet_continue_it():
    text = "Title\n\nSymptoms:\n- a dry cough that lasts\n  for weeks\n- breathlessness\n\nEnd.\n"
    assert parse_plain_text(text).list_items == ["a dry cough that lasts for weeks", "breathlessness"]


def test_dashes_and_years_without_a_space_are_not_lists():
    assert blocks("Title\n-5 °C is cold.\n2019. A year of trials.\nEnd.\n") == [
        ("paragraph", "-5 °C is cold."),
        ("paragraph", "2019. A year of trials."),
        ("paragraph", "End."),
    ]


# Escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Scarring fell in mice [3] and rats [4, 5].",
        "# of patients fell.",
        "+ and - signs are used.",
        "> 50% improved.",
        "2019. A year of trials.",
        "The *asterisk* and _underscore_ stay.",
        "Use `code` and C:\\path\\to.",
        "p <0.05 and <b>bold</b> are text.",
        "Q&amp;A and &copy; are written out.",
        "[^1]: not a footnote.",
        "*[HTML]: not an abbreviation.",
        ": not a definition.",
        "~~~ not a fence.",
        "Heading {#id} text.",
        "See [the trial](http://example.org).",
        "![an image](http://example.org/x.png)",
    ],
)
def test_markdown_signs_in_prose_render_as_written(line):
    imported = parse_plain_text(f"Title\nFirst.\n{line}\n")
    assert rendered_units(imported.body_markdown) == [("paragraph", "First."), ("paragraph", line)]


def test_markdown_signs_in_headings_and_list_items_render_as_written():
    imported = parse_plain_text("Title\nWhy C# and [x] matter\n- item with *stars* and # sign\nEnd.\n")
    assert rendered_units(imported.body_markdown) == [
        ("heading", "Why C# and [x] matter"),
        ("list_item", "item with *stars* and # sign"),
        ("paragraph", "End."),
    ]


PROSE = st.text(alphabet="aB 19.#*_`[]()<>&;:!\\-+=~{}|/'\"•–", min_size=1, max_size=40)


@given(lines=st.lists(PROSE, min_size=1, max_size=6), blank_lines=st.booleans())
def test_every_block_renders_as_the_text_it_came_from(lines, blank_lines):
    text = ("\n\n" if blank_lines else "\n").join(["Title", *lines, "The end."])
    try:
        imported = parse_plain_text(text)
    except ImportRefused:
        return
    units = [text for _, text in rendered_units(imported.body_markdown)]
    assert units == [block.text for block in imported.blocks]


def test_windows_line_endings_and_a_byte_order_mark_are_read():
    imported = parse_plain_text("\ufeffTitle\r\nWhat trials show\r\nTwo trials.\r\n")
    assert imported.title == "Title"
    assert blocks("\ufeffTitle\r\nWhat trials show\r\nTwo trials.\r\n") == [
        ("heading", "What trials show"),
        ("paragraph", "Two trials."),
    ]


@pytest.mark.parametrize("text", ["", "  \n\n", "----\n", "Only a title\n", "Title\n\n====\n"])
def test_text_without_a_title_and_body_is_refused(text):
    with pytest.raises(ImportRefused):
        parse_plain_text(text)


# Checking uploads -------------------------------------------------------------------------


def test_check_upload_accepts_utf8_with_or_without_a_byte_order_mark():
    assert check_upload("Title\nCafé ✓\n".encode(), "a.txt") == "Title\nCafé ✓\n"
    assert check_upload(b"\xef\xbb\xbfTitle\nBody.\n", "a.txt") == "Title\nBody.\n"


def test_check_upload_takes_exactly_one_megabyte():
    data = b"Title\n" + b"x" * (MAX_BYTES - 6)
    assert len(check_upload(data, "a.txt")) == MAX_BYTES


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "a.txt: empty"),
        (b" \n\r\n\t", "a.txt: empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt: binary data"),
        (bytes(range(1, 32)) * 10 + b"text", "a.txt: binary data"),
        ("Title\nCafé\n".encode("latin-1"), "a.txt: not UTF-8 text (byte 0xE9 at position 9)"),
        ("Title\n".encode("utf-16"), "a.txt: UTF-16 text"),
        (b"x" * (MAX_BYTES + 1), "a.txt: larger than 1 MB"),
    ],
)
def test_check_upload_refuses_bad_input_clearly(data, message):
    with pytest.raises(ImportRefused, match=re.escape(message)):
        check_upload(data, "a.txt")


# The written articles ---------------------------------------------------------------------


def test_the_three_written_articles_are_there():
    assert sorted(prose.FOLDER.glob("*.txt")) == sorted(prose.ARTICLES)
    assert list(prose.HEADINGS) == [path.name for path in prose.ARTICLES]
    # The quirks the tests below rely on, so that an edit to the texts cannot quietly drop one.
    knee, iron, sleep = (prose.read(path) for path in prose.ARTICLES)
    assert "\n\n" not in knee + iron + sleep  # one block a line, as copied from a web page
    first = knee.splitlines()[0]
    assert 120 < len(first) <= 200 and first.endswith(".")
    assert all(sign in knee for sign in ["—", "–", "°", "[1]"])
    assert "’" in iron and "<110" in iron and "µ" in iron and not iron.endswith("\n")
    assert len(re.findall(r"^\d\. .*:$", sleep, re.MULTILINE)) == 5


@pytest.mark.parametrize("path", prose.ARTICLES, ids=lambda path: path.stem)
def test_a_written_article_keeps_every_heading_and_paragraph_in_place(path, editor):
    text = prose.read(path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body_lines = lines if path == prose.KNEE else lines[1:]  # its first line is a sentence
    article = article_import(text=text, author=editor).article
    assert article.title == lines[0]
    units = [(unit.kind, article.body_text[unit.start : unit.end]) for unit in read_html(article.body_html).units]
    # A numbered line ("1. Keep the Same Hours:") is an ordered list item: the list shows its number.
    expected = []
    for line in body_lines:
        numbered = re.match(r"(\d+)\. (.*)", line)
        if numbered:
            expected.append(("list_item", numbered.group(2)))
        elif line in prose.HEADINGS[path.name]:
            expected.append(("heading", line))
        else:
            expected.append(("paragraph", line))
    assert units == expected
    assert [text for kind, text in units if kind == "heading"] == prose.HEADINGS[path.name]


def test_the_numbered_article_keeps_its_numbers(editor):
    article = article_import(text=prose.read(prose.SLEEP), author=editor).article
    assert re.findall(r'<ol(?: start="(\d)")?>', article.body_html) == ["", "2", "3", "4", "5"]


# The command ------------------------------------------------------------------------------


@pytest.fixture
def articles_out(editor):
    return run_import(*prose.ARTICLES, "--author", editor.username)


def test_the_command_prints_one_line_per_article(articles_out, editor):
    out, err, error = articles_out
    assert error is None
    lines = out.splitlines()
    assert len(lines) == 3
    # Words as written: every word of the body, so the knee article's first line counts and the
    # sleep article's "1." to "5." do not (the ordered lists show them).
    for line, (words, headings) in zip(lines, [(331, 3), (359, 0), (353, 0)], strict=True):
        title, *counts, slug = line.split(" · ")
        article = Article.objects.get(slug=slug)
        sentences = sum(1 for sentence in article.sentences() if sentence.kind != "heading")
        assert (title, counts) == (
            article.title,
            [f"{words} words", f"{headings} headings", f"{sentences} sentences"],
        )
        assert article.status == Article.Status.DRAFT and article.author == editor


def test_the_command_shows_progress_and_warns_about_a_sentence_for_a_title(articles_out):
    _, err, _ = articles_out
    assert "Importing [" in err and "3/3 done" in err
    assert f"{prose.KNEE}: The first line reads like a sentence" in err


def test_a_long_title_gets_a_slug_cut_at_a_word(articles_out):
    assert Article.objects.filter(
        slug="physiotherapy-after-knee-replacement-surgery-is-where-most-of-the-recovery"
    ).exists()


def test_one_file_has_no_progress_bar(editor):
    out, err, error = run_import(prose.IRON, "--author", "editor")
    assert error is None and out.count("\n") == 1 and err == ""


def bad_file(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty.txt: empty. There is nothing to import."),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "photo.txt: binary data, not plain text."),
        ("latin.txt", "Title\nCafé\n".encode("latin-1"), "latin.txt: not UTF-8 text (byte 0xE9 at position 9)."),
        ("big.txt", b"Title\n" + b"word " * (MAX_BYTES // 5), "big.txt: larger than 1 MB."),
        ("title.txt", b"Only a title\n", "title.txt: There is no text under the title"),
    ],
)
def test_a_bad_file_is_reported_and_creates_nothing(tmp_path, editor, name, data, message):
    path = bad_file(tmp_path, name, data)
    out, err, error = run_import(path, "--author", "editor")
    assert out == ""
    assert f"{tmp_path}/{message}" in err
    assert str(error) == "1 of 1 file(s) not imported; nothing was created for them."
    assert not Article.objects.exists()


def test_a_bad_file_does_not_stop_the_others(tmp_path, editor):
    empty = bad_file(tmp_path, "empty.txt", b"")
    out, err, error = run_import(empty, tmp_path / "missing.txt", prose.IRON, "--author", "editor")
    assert out.count("\n") == 1 and "empty.txt: empty" in err and "missing.txt: cannot be read" in err
    assert str(error) == "2 of 3 file(s) not imported; nothing was created for them."
    assert list(Article.objects.values_list("title", flat=True)) == [prose.IRON_TITLE]


def test_a_title_used_before_is_refused_with_a_new_slug_offered(editor):
    existing = ArticleFactory(title=prose.IRON_TITLE, slug="iron-in-pregnancy")
    body = existing.body
    out, err, error = run_import(prose.IRON, "--author", "editor")
    assert error is not None and out == ""
    assert "An article titled “Iron Supplements in Pregnancy: Who Needs Them and Why” exists already" in err
    assert "Nothing was imported or overwritten" in err
    assert "iron-supplements-in-pregnancy-who-needs-them-and-why”. Run again with --new-slug" in err
    assert Article.objects.count() == 1
    existing.refresh_from_db()
    assert existing.body == body


def test_new_slug_imports_under_the_offered_slug_and_overwrites_nothing(editor):
    run_import(prose.IRON, "--author", "editor")
    original = Article.objects.get()
    out, err, error = run_import(prose.IRON, "--author", "editor", "--new-slug")
    assert error is None
    assert out.rstrip().endswith(" · iron-supplements-in-pregnancy-who-needs-them-and-why-2")
    assert Article.objects.count() == 2
    assert Article.objects.get(pk=original.pk).updated_at == original.updated_at


def test_the_author_is_the_only_superuser_when_not_given(superuser):
    out, _, error = run_import(prose.IRON)
    assert error is None and Article.objects.get().author == superuser


@pytest.mark.parametrize("superusers", [0, 2])
def test_without_author_and_a_single_superuser_the_command_refuses(superusers):
    for number in range(superusers):
        UserFactory(username=f"root{number}", is_superuser=True)
    with pytest.raises(CommandError, match="Say who the author is with --author USERNAME"):
        call_command("import_article", str(prose.IRON), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Article.objects.exists()


def test_the_author_must_be_an_active_staff_user(editor):
    UserFactory(username="reader", is_staff=False)
    for username, message in [("nobody", "There is no active user “nobody”"), ("reader", "“reader” is not staff")]:
        with pytest.raises(CommandError, match=message):
            call_command("import_article", str(prose.IRON), "--author", username, stdout=io.StringIO())
    assert not Article.objects.exists()


# The service ------------------------------------------------------------------------------


def test_a_chosen_slug_allows_a_title_used_before(editor):
    ArticleFactory(title="Lung health", slug="lung-health")
    result = article_import(text="Lung health\nA new text.\n", author=editor, slug="lung-health-2026")
    assert result.article.slug == "lung-health-2026" and result.article.status == Article.Status.DRAFT


def test_a_taken_slug_offers_the_next_free_one(editor):
    ArticleFactory(title="Other", slug="lung-health")
    ArticleFactory(title="Other 2", slug="lung-health-2")
    with pytest.raises(DuplicateArticle) as refusal:
        article_import(text="Lung health\nA new text.\n", author=editor)
    assert refusal.value.offered_slug == "lung-health-3"
    assert "The slug “lung-health” is taken by the article “Other”" in str(refusal.value)
    assert Article.objects.count() == 2


def test_a_title_used_before_under_another_slug_is_offered_its_own_slug(editor):
    ArticleFactory(title="LUNG HEALTH", slug="breathing")
    with pytest.raises(DuplicateArticle) as refusal:
        article_import(text="Lung health\nA new text.\n", author=editor)
    assert refusal.value.offered_slug == "lung-health"


def test_an_invalid_chosen_slug_is_refused(editor):
    with pytest.raises(ImportRefused, match="Slug: Enter a valid"):
        article_import(text="Lung health\nA new text.\n", author=editor, slug="not a slug!")
    assert not Article.objects.exists()
