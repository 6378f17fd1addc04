"""The Markdown editor's preview and upload endpoints, open only to staff who may write articles.

An uploaded image is trusted for nothing but its pixels: the bytes must decode as a PNG, JPEG, GIF
or WebP image within the limits in articles.images, whatever the file's name or declared type, and
what is stored is a fresh encoding of those pixels under a random name. Metadata (EXIF with GPS
positions, comments, text chunks, XMP, colour profiles) and anything hidden around the pixels never
reach the server's disk.
"""

import logging
import uuid
from functools import wraps

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils import timezone
from markdownx.forms import ImageForm
from markdownx.settings import MARKDOWNX_MEDIA_PATH
from markdownx.views import ImageUploadView, MarkdownifyView
from markdownx.widgets import MarkdownxWidget

from . import policy
from .images import UPLOAD_MAX_BYTES, RefusedImage, prepare_image, too_large_message

logger = logging.getLogger(__name__)


class ArticleBodyWidget(MarkdownxWidget, AdminTextareaWidget):
    """The body's Markdown with its preview beside it on wide screens, below it on narrow ones.

    The preview is styled as readers' article page (css/article-body.css, with admin/article-preview.css
    keeping the admin's styles out of it), not with markdownx's admin stylesheet, which is not loaded. What
    fills it is still markdownx's request to the markdownify endpoint, answered by articles.rendering.
    """

    template_name = "articles/widgets/article_body.html"

    class Media:
        css = {"all": ["css/article-body.css", "admin/article-preview.css"]}
        js = ["admin/article-preview.js"]


class EditorImageForm(ImageForm):
    """markdownx's upload form, judging the file by its decoded content rather than its declared type."""

    image = forms.FileField(
        allow_empty_file=False,
        error_messages={
            "required": "No image was received: drop or paste an image file into the text.",
            "empty": "The file is empty: no image was received.",
        },
    )

    prepared = None

    def clean_image(self):
        upload = self.cleaned_data["image"]
        try:
            if upload.size > UPLOAD_MAX_BYTES:  # refused before a large file is read into memory
                raise RefusedImage(too_large_message(upload.name, upload.size))
            self.prepared = prepare_image(upload.read(), upload.name)
        except RefusedImage as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from None
        return upload

    def clean(self):
        # markdownx's clean() trusts the Content-Type the browser declared; clean_image() has decided.
        return self.cleaned_data

    def save(self, commit=True):
        """Store the re-encoded image under a new random name in this month's folder; return its URL."""
        today = timezone.localdate()
        name = f"{MARKDOWNX_MEDIA_PATH}{today:%Y/%m}/{uuid.uuid4().hex}.{self.prepared.extension}"
        if not commit:
            return name
        return default_storage.url(default_storage.save(name, ContentFile(self.prepared.data)))


def upload_error(message, status):
    # markdownx's script hands any JSON without "image_code" to the page as a fileUploadError event;
    # static/admin/editor-uploads.js shows the messages listed under "image".
    return JsonResponse({"image": [message]}, status=status)


class EditorImageUploadView(ImageUploadView):
    form_class = EditorImageForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        messages = [str(message) for errors in form.errors.values() for message in errors]
        logger.info("Refused an editor upload from %s: %s", self.request.user, " ".join(messages))
        return JsonResponse({"image": messages}, status=400)

    def form_valid(self, form):
        url = form.save()
        logger.info("Stored an editor upload from %s as %s", self.request.user, url)
        # A paragraph of its own wherever it is dropped: dropped at the start of a heading or inside a
        # sentence, a bare image would turn the heading into text or split the sentence's claim.
        return JsonResponse({"image_code": f"\n\n![]({url})\n\n"}, status=201)

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = upload_error("Images are uploaded by dropping or pasting them into the editor.", 405)
        response["Allow"] = "POST"
        return response


def article_writers_only(view, *, json=False):
    """Refuse anyone who could not save what the editor makes.

    Reviewers are staff too, but never write articles: they get no upload space and no preview.
    """

    def refuse(message):
        if json:
            return upload_error(message, 403)
        return HttpResponseForbidden(f"{message}\n", content_type="text/plain")

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            message = "Sign in to the editorial site to use the editor."
            return refuse(
                f"{message} (Your session may have ended: sign in again in another tab.)" if json else message
            )
        if not policy.may_write_articles(user):
            return refuse("Only editors who write articles can use the editor.")
        return view(request, *args, **kwargs)

    return wrapped


def preview_requests_only(view):
    """markdownx's preview fails with a server error on a GET or a post without content: answer those."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if "content" not in request.POST:
            return HttpResponseBadRequest(
                "Nothing to preview: send the Markdown as “content”.\n", content_type="text/plain"
            )
        return view(request, *args, **kwargs)

    return wrapped


markdownx_urlpatterns = [
    path("upload/", article_writers_only(EditorImageUploadView.as_view(), json=True), name="markdownx_upload"),
    path(
        "markdownify/",
        article_writers_only(preview_requests_only(MarkdownifyView.as_view())),
        name="markdownx_markdownify",
    ),
]
