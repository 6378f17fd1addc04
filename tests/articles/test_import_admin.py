"""The admin page that imports a plain-text article (upload or paste)."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.importing import MAX_BYTES
from articles.models import Article
from tests import prose
from tests.factories import ArticleFactory, UserFactory
from tests.helpers import messages_of, unescaped_html

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/articles/article/import/"
IRON_SLUG = "iron-supplements-in-pregnancy-who-needs-them-and-why"
PASTED = "Living with lung fibrosis\nWhat trials show\nTwo small trials found infusions safe.\n- cough\n- tiredness\n"


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_the_url_is_the_named_admin_url():
    assert reverse("admin:articles_article_import") == IMPORT_URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_non_staff_users_are_sent_to_sign_in(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.post(IMPORT_URL, {"text": PASTED})
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert not Article.objects.exists()


def test_staff_who_cannot_add_articles_are_refused(reviewer_client):
    assert reviewer_client.get(IMPORT_URL).status_code == 403
    assert reviewer_client.post(IMPORT_URL, {"text": PASTED}).status_code == 403
    assert not Article.objects.exists()


def test_the_article_list_links_to_the_import_for_editors_only(client, editor, reviewer):
    client.force_login(editor)
    assert (
        f'<a href="{IMPORT_URL}" class="addlink">Import plain text</a>'
        in client.get("/admin/articles/article/").content.decode()
    )
    client.force_login(reviewer)
    assert IMPORT_URL not in client.get("/admin/articles/article/").content.decode()


def test_the_page_offers_an_upload_and_a_text_box(editor_client):
    response = editor_client.get(IMPORT_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    assert 'type="file" name="file"' in content and '<textarea name="text"' in content and 'name="slug"' in content


def test_an_uploaded_file_becomes_a_draft_and_opens_its_change_page(editor_client, editor):
    data = {"file": upload("iron.txt", prose.IRON.read_bytes()), "text": "", "slug": ""}
    response = editor_client.post(IMPORT_URL, data)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert (article.title, article.status, article.author) == (prose.IRON_TITLE, Article.Status.DRAFT, editor)
    assert article.slug == IRON_SLUG
    messages = messages_of(response)
    sentences = len(article.sentences())  # the article has no headings
    assert messages == [
        f"Imported “{prose.IRON_TITLE}” as a draft: 359 words, 0 headings, {sentences} sentences. "
        "Check the headings and lists before sending it for review."
    ]
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_id, entry.change_message) == (
        ADDITION,
        str(article.pk),
        "Imported from plain text.",
    )


def test_pasted_text_becomes_a_draft_with_a_markdown_body(editor_client):
    response = editor_client.post(IMPORT_URL, {"text": PASTED, "slug": "lung-fibrosis"})
    article = Article.objects.get()
    assert response.status_code == 302 and article.slug == "lung-fibrosis"
    assert article.body == "## What trials show\n\nTwo small trials found infusions safe.\n\n- cough\n- tiredness\n"


def test_a_sentence_for_a_title_is_imported_with_a_warning(editor_client):
    response = editor_client.post(IMPORT_URL, {"text": "Stem cells may help lungs.\nTrials are small.\n"}, follow=True)
    assert Article.objects.get().title == "Stem cells may help lungs."
    assert "The first line reads like a sentence, not a title" in unescaped_html(response)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "The submitted file is empty."),  # Django's own check, before ours
        ("blank.txt", b"  \n\n", "blank.txt: empty. There is nothing to import."),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png: binary data, not plain text."),
        ("latin.txt", "Title\nCafé\n".encode("latin-1"), "latin.txt: not UTF-8 text (byte 0xE9 at position 9)."),
        ("big.txt", b"Title\n" + b"word " * (MAX_BYTES // 5), "big.txt: larger than 1 MB."),
        ("title.txt", b"Only a title\n", "There is no text under the title “Only a title”: nothing to import."),
    ],
)
def test_a_bad_upload_is_refused_clearly_and_creates_nothing(editor_client, name, data, message):
    response = editor_client.post(IMPORT_URL, {"file": upload(name, data), "text": ""})
    assert response.status_code == 200
    assert message in unescaped_html(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "  \n "}, "Upload a text file or paste the text to import."),
        ({"text": PASTED, "file": upload("a.txt", b"Title\nBody.\n")}, "Upload a file or paste the text, not both."),
        ({"text": "Title\n" + "\x01\x02\x03\x04 " * 20}, "The pasted text: binary data, not plain text."),
        ({"text": "Title\nBody \x00.\n"}, "Null characters are not allowed."),  # Django's own check
        ({"text": PASTED, "slug": "Not a slug!"}, "Enter a valid “slug”"),
    ],
)
def test_a_bad_form_is_refused_clearly_and_creates_nothing(editor_client, data, message):
    response = editor_client.post(IMPORT_URL, data)
    assert response.status_code == 200
    assert message in unescaped_html(response)
    assert not Article.objects.exists()


def test_refused_pasted_text_stays_in_the_box(editor_client):
    response = editor_client.post(IMPORT_URL, {"text": "Only a <title> & nothing else\n"})
    assert response.status_code == 200
    assert "There is no text under the title" in unescaped_html(response)
    assert response.context["form"]["text"].value() == "Only a <title> & nothing else\n"
    assert "Only a &lt;title&gt; &amp; nothing else" in response.content.decode()


def test_a_title_used_before_is_refused_offering_a_new_slug(editor_client):
    existing = ArticleFactory(title="Living with lung fibrosis", slug="living-with-lung-fibrosis")
    response = editor_client.post(IMPORT_URL, {"text": PASTED})
    assert response.status_code == 200
    assert "An article titled “Living with lung fibrosis” exists already" in unescaped_html(response)
    assert "the slug “living-with-lung-fibrosis-2”. Import again to use it" in unescaped_html(response)
    form = response.context["form"]
    assert form["slug"].value() == "living-with-lung-fibrosis-2"
    assert form["text"].value() == PASTED
    assert Article.objects.count() == 1

    response = editor_client.post(IMPORT_URL, {"text": form["text"].value(), "slug": form["slug"].value()})
    assert response.status_code == 302
    assert Article.objects.get(slug="living-with-lung-fibrosis-2").title == "Living with lung fibrosis"
    existing.refresh_from_db()
    assert existing.body != Article.objects.get(slug="living-with-lung-fibrosis-2").body


def test_a_duplicate_upload_moves_its_text_into_the_box(editor_client):
    ArticleFactory(title=prose.IRON_TITLE, slug=IRON_SLUG)
    response = editor_client.post(IMPORT_URL, {"file": upload("iron.txt", prose.IRON.read_bytes())})
    form = response.context["form"]
    assert form["text"].value() == prose.read(prose.IRON)
    assert form["slug"].value() == f"{IRON_SLUG}-2"
    assert Article.objects.count() == 1


def test_a_taken_chosen_slug_offers_the_next_free_one(editor_client):
    ArticleFactory(title="Something else", slug="lung-fibrosis")
    response = editor_client.post(IMPORT_URL, {"text": PASTED, "slug": "lung-fibrosis"})
    assert "The slug “lung-fibrosis” is taken by the article “Something else”" in unescaped_html(response)
    assert response.context["form"]["slug"].value() == "lung-fibrosis-2"
    assert Article.objects.count() == 1
