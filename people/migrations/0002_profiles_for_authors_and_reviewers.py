"""A profile for everyone who wrote an article or signed off a revision, its display name left blank (their
account's name shows, as before).

Later authors and reviewers get theirs when a page first names them (people.profiles.profile_for).
The slug is made here as profile_for makes it: the name's slug, numbered when another person has it.
"""

from django.db import migrations
from django.utils.text import slugify


def slug_of(name, taken):
    base = slugify(name)[:132].strip("-") or "person"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def make_profiles(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Article = apps.get_model("articles", "Article")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    Profile = apps.get_model("people", "Profile")
    ids = set(Article.objects.values_list("author_id", flat=True))
    ids |= set(Article.objects.exclude(medical_reviewer=None).values_list("medical_reviewer_id", flat=True))
    ids |= set(ArticleRevision.objects.exclude(signed_off_by=None).values_list("signed_off_by_id", flat=True))
    ids -= set(Profile.objects.values_list("user_id", flat=True))
    taken = set(Profile.objects.values_list("slug", flat=True))
    for user in User.objects.filter(pk__in=ids).order_by("pk"):
        full_name = f"{user.first_name} {user.last_name}".strip()
        name = (full_name or user.username)[:120]
        Profile.objects.create(user=user, slug=slug_of(name, taken))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("articles", "0011_revision_origin"),
    ]

    operations = [migrations.RunPython(make_profiles, migrations.RunPython.noop)]
