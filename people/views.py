"""A person's public page: who they are, what they declared, and the published articles they wrote or reviewed."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from articles.models import ArticleRevision

from .models import Profile


def live_revisions():
    """What readers see of articles: the live revision of each, not archived, newest first by first publication."""
    return (
        ArticleRevision.objects.public()
        .select_related("article", "reviewed_in")
        .only("title", "signed_off_by", "signed_off_at", "reviewed_in__signed_off_at", "article__slug",
              "article__published_at", "article__created_at", "article__author")
        .order_by("-article__published_at", "-article__created_at", "-article_id")
    )  # fmt: skip


def written_by(user_id):
    """The published articles the person wrote (as their live revisions read)."""
    return live_revisions().filter(article__author_id=user_id)


def reviewed_by(user_id):
    """The published articles whose medical review readers see is the person's: the live revision's sign-off,
    or the one a minor revision keeps."""
    return live_revisions().filter(Q(signed_off_by_id=user_id) | Q(reviewed_in__signed_off_by_id=user_id))


def with_public_work(profiles):
    """The profiles of people who wrote or medically reviewed an article readers can see."""
    public = ArticleRevision.objects.public()
    return profiles.filter(
        Q(user_id__in=public.values("article__author_id"))
        | Q(user_id__in=public.values("signed_off_by_id"))
        | Q(user_id__in=public.values("reviewed_in__signed_off_by_id"))
    )


@require_safe
def person_detail(request, slug):
    """The person's page; not found for an unknown slug, or a person with no published work (drafts never count)."""
    profile = get_object_or_404(Profile.objects.select_related("user"), slug=slug)
    written = list(written_by(profile.user_id))
    reviewed = list(reviewed_by(profile.user_id))
    if not written and not reviewed:
        raise Http404("No published work")
    context = {"profile": profile, "written": written, "reviewed": reviewed}
    return TemplateResponse(request, "people/person_detail.html", context)
