"""How topics (taggit tags) are written in the article form: as typed, separated by commas, never quoted.

taggit's own edit string quotes every tag of several words (`"lung disease", asthma`), which reads like a
mistake to editors. Here tags are joined with ", " as they are, and what is typed is split at commas only,
so "lung disease" stays one tag with or without quotes. A comma therefore never reaches a tag's name.

Text written the old way still reads sensibly: quotes around a whole piece are dropped, and a piece with
quotes inside it (`"lung disease" asthma`, typed before commas were the only separator) is read by
taggit's own rules. Settings `TAGGIT_TAGS_FROM_STRING` and `TAGGIT_STRING_FROM_TAGS` point here.
"""

from taggit.utils import _parse_tags as taggit_parse

QUOTES = '"'


def _names_in(piece):
    piece = piece.strip()
    if len(piece) >= 2 and piece[0] == piece[-1] == QUOTES and QUOTES not in piece[1:-1]:
        piece = piece[1:-1].strip()
    if QUOTES in piece:
        return taggit_parse(piece)
    return [piece] if piece else []


def tags_from_string(text):
    """The tag names in `text`, split at commas, each stripped of spaces and wrapping quotes; sorted, unique."""
    names = {" ".join(name.split()) for piece in (text or "").split(",") for name in _names_in(piece)}
    return sorted(name for name in names if name)


def string_from_tags(tags):
    """The tags as an editor typed them: their names joined by ", ", in alphabetical order, never quoted."""
    return ", ".join(sorted(tag.name for tag in tags))
