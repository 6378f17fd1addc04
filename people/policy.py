"""Who may change which profile: everyone on the staff their own, superusers everyone's."""


def may_edit_profile(user, profile=None) -> bool:
    """Staff edit their own profile; superusers every profile. `profile` None asks about profiles in general."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return profile is None or profile.user_id == user.pk


def may_manage_profiles(user) -> bool:
    """Adding and deleting profiles (they are otherwise made as they are needed): superusers only."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def lacks_credentials(user) -> bool:
    """Whether the user has no credentials on file (no profile, or an empty credentials field)."""
    from .models import Profile

    credentials = Profile.objects.filter(user_id=user.pk).values_list("credentials", flat=True).first()
    return not (credentials or "").strip()
