from django.db import migrations

STATUSES = [
    {
        "name": "Strong",
        "slug": "strong",
        "rank": 10,
        "symbol": "●●●●",
        "badge_text": "Strong evidence",
        "tone": "strong",
        "is_rated": True,
        "description": "Several good-quality studies in people agree. New research is unlikely to change this.",
        "wording_guidance": "State it plainly: “does”, “reduces”, “is effective”.",
    },
    {
        "name": "Moderate",
        "slug": "moderate",
        "rank": 20,
        "symbol": "●●●○",
        "badge_text": "Moderate evidence",
        "tone": "moderate",
        "is_rated": True,
        "description": "Studies in people point this way, but new research could still change the picture.",
        "wording_guidance": "Use “probably”, “is likely to”.",
    },
    {
        "name": "Limited",
        "slug": "limited",
        "rank": 30,
        "symbol": "●●○○",
        "badge_text": "Limited evidence",
        "tone": "weak",
        "is_rated": True,
        "description": "Only a few small or early studies in people, so this may turn out not to be true.",
        "wording_guidance": "Use “may”, “might”, “early studies suggest”.",
    },
    {
        "name": "Very uncertain",
        "slug": "very-uncertain",
        "rank": 40,
        "symbol": "●○○○",
        "badge_text": "Very uncertain",
        "tone": "uncertain",
        "is_rated": True,
        "description": "The studies are too few, too small or too flawed to tell. We do not know.",
        "wording_guidance": "Say “we do not know”, “it is unclear whether”.",
    },
    {
        "name": "Early research only (lab or animal)",
        "slug": "early-research",
        "rank": 50,
        "symbol": "◌",
        "badge_text": "Early research only",
        "tone": "uncertain",
        "is_rated": True,
        "description": "Seen only in cells in the laboratory or in animals, not yet shown in people.",
        "wording_guidance": (
            "Say where it was seen: “in mice”, “in laboratory studies”; never imply it works in people."
        ),
    },
    {
        "name": "Not supported by evidence",
        "slug": "not-supported",
        "rank": 60,
        "symbol": "✕",
        "badge_text": "Not supported by evidence",
        "tone": "against",
        "is_rated": True,
        "description": (
            "Good studies have looked and found that this is not true, or there is no evidence for it at all."
        ),
        "wording_guidance": "Say so directly: “there is no evidence that”, “studies found it does not”.",
    },
    {
        "name": "Not yet rated",
        "slug": "not-yet-rated",
        "rank": 90,
        "symbol": "?",
        "badge_text": "Not yet rated",
        "tone": "unrated",
        "is_rated": False,
        "description": "The evidence for this sentence has not been assessed yet.",
        "wording_guidance": "Internal: rate the evidence before sending the claim for approval.",
    },
]


def seed(apps, schema_editor):
    EvidenceStatus = apps.get_model("claims", "EvidenceStatus")
    for values in STATUSES:
        EvidenceStatus.objects.update_or_create(slug=values["slug"], defaults=values)


def unseed(apps, schema_editor):
    EvidenceStatus = apps.get_model("claims", "EvidenceStatus")
    EvidenceStatus.objects.filter(slug__in=[s["slug"] for s in STATUSES], claims__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
