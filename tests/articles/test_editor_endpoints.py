"""The Markdown editor's preview and upload endpoints: for staff who write articles, as the editor calls them.

Who may use them is in tests/test_permission_matrix.py, what uploads are stored in
tests/articles/test_editor_uploads.py; here, users who are not staff and bad requests.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.rendering import render_markdown
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MARKDOWNIFY_URL = "/markdownx/markdownify/"
UPLOAD_URL = "/markdownx/upload/"
EDITOR_REQUEST = {"x-requested-with": "XMLHttpRequest"}  # the editor's script sends this header

HOSTILE_MARKDOWN = (
    "Stem cells **may** help.\n\n"
    "<script>alert(1)</script>\n\n"
    "A [link](javascript:alert(1)) here.\n\n"
    '<img src="https://example.org/x.png" onerror="alert(1)">\n'
)

# The smallest valid GIF: one transparent pixel.
GIF_BYTES = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def gif_upload():
    return SimpleUploadedFile("pixel.gif", GIF_BYTES, content_type="image/gif")


def test_markdown_preview_is_forbidden_to_signed_in_users_who_are_not_staff(client):
    client.force_login(UserFactory(username="reader", is_staff=False))

    response = client.post(MARKDOWNIFY_URL, {"content": "**Hello**"})

    assert response.status_code == 403
    assert b"<strong>" not in response.content


def test_markdown_preview_for_staff_is_the_sanitised_public_rendering(editor_client):
    response = editor_client.post(MARKDOWNIFY_URL, {"content": HOSTILE_MARKDOWN})

    assert response.status_code == 200
    html = response.content.decode()
    assert html == render_markdown(HOSTILE_MARKDOWN)
    assert "<strong>may</strong>" in html
    assert '<img src="https://example.org/x.png">' in html
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_image_upload_is_forbidden_to_signed_in_users_who_are_not_staff(client):
    client.force_login(UserFactory(username="reader", is_staff=False))

    response = client.post(UPLOAD_URL, {"image": gif_upload()}, headers={"x-requested-with": "XMLHttpRequest"})

    assert response.status_code == 403
    assert b"image_code" not in response.content


def test_markdown_preview_without_content_is_a_bad_request(editor_client):
    response = editor_client.post(MARKDOWNIFY_URL, {}, headers=EDITOR_REQUEST)

    assert response.status_code == 400
    assert "Nothing to preview" in response.content.decode()
