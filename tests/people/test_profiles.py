"""Profiles: made the first time a person is needed, with a slug of their name that never changes."""

import pytest
from django.apps import apps

from people.bylines import person_for
from people.models import Profile
from people.profiles import free_slug, profile_for
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def migration_0002():
    from importlib import import_module

    return import_module("people.migrations.0002_profiles_for_authors_and_reviewers")


def test_a_profile_is_made_once_named_after_the_account():
    user = UserFactory(first_name="Priya", last_name="Raman")

    profile = profile_for(user)

    assert (profile.slug, profile.name, profile.display_name) == ("priya-raman", "Priya Raman", "")
    assert profile_for(UserFactory._meta.model.objects.get(pk=user.pk)) == profile
    assert Profile.objects.filter(user=user).count() == 1


def test_two_people_of_one_name_get_numbered_slugs():
    first = profile_for(UserFactory(first_name="Sam", last_name="Okafor"))
    second = profile_for(UserFactory(first_name="Sam", last_name="Okafor"))
    third = profile_for(UserFactory(first_name="Sam", last_name="Okafor"))

    assert [first.slug, second.slug, third.slug] == ["sam-okafor", "sam-okafor-2", "sam-okafor-3"]


def test_a_name_with_no_letters_for_a_slug_still_gets_one():
    assert free_slug("</script>") == "script"
    assert free_slug("😀 ✓") == "person"
    assert len(free_slug("a" * 300)) <= Profile._meta.get_field("slug").max_length


def test_the_slug_stays_when_the_name_changes():
    profile = profile_for(UserFactory(first_name="Jo", last_name="Bloggs"))

    profile.display_name = "Dr Joanna Bloggs-Smith"
    profile.save()
    profile.user.first_name = "Joanna"
    profile.user.save()

    assert Profile.objects.get(pk=profile.pk).slug == "jo-bloggs"


def test_the_display_name_wins_over_the_account_name_and_credentials_are_stripped():
    user = UserFactory(first_name="Jo", last_name="Bloggs")
    profile = profile_for(user)
    profile.display_name, profile.credentials, profile.specialty = "Dr Jo Bloggs", "  MD, FRCP ", ""
    profile.save()
    user.refresh_from_db()

    person = person_for(user)

    assert (person.name, person.credentials, person.job_title) == ("Dr Jo Bloggs", "MD, FRCP", "MD, FRCP")
    assert person.url == "/people/jo-bloggs/"
    assert person_for(None) is None


def test_the_migration_gives_authors_and_signers_a_profile_and_nobody_else(editor, reviewer):
    ArticleFactory(author=editor, medical_reviewer=reviewer, last_reviewed="2026-01-05")  # live, signed by reviewer
    bystander = UserFactory(first_name="Not", last_name="Involved")
    already = profile_for(UserFactory(first_name="Has", last_name="One"))
    Profile.objects.exclude(pk=already.pk).delete()

    migration_0002().make_profiles(apps, None)

    assert set(Profile.objects.values_list("user__username", "slug")) == {
        (editor.username, f"alex-{editor.last_name.lower()}"),
        (reviewer.username, f"dr-jo-{reviewer.last_name.lower()}"),
        (already.user.username, "has-one"),
    }
    assert not Profile.objects.filter(user=bystander).exists()
