"""Making a person's profile the first time it is needed, with a slug of their name that never changes."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .models import Profile, account_name

SLUG_MAX = Profile._meta.get_field("slug").max_length


def slug_base(name: str) -> str:
    """The slug a name gives, before any number that tells it apart from another person's."""
    return slugify(name)[: SLUG_MAX - 8].strip("-") or "person"


def free_slug(name: str, *, taken=None) -> str:
    """The slug of `name`, or with -2, -3… added when another profile has it already."""
    base = slug_base(name)
    taken = (
        taken
        if taken is not None
        else set(Profile.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def profile_for(user) -> Profile:
    """The user's profile, made now if they have none yet: named by their account, its slug of that name."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        pass
    name = account_name(user)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                profile = Profile.objects.create(user=user, slug=free_slug(name))
        except IntegrityError:
            # Another request made it meanwhile, or took the slug: take theirs, or try the next number.
            profile = Profile.objects.filter(user=user).first()
            if profile is None:
                continue
        user.profile = profile
        return profile
    raise IntegrityError(f"No profile could be made for user {user.pk}.")
