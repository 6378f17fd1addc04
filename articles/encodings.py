"""Which content coding a response may use, from the request's Accept-Encoding header (RFC 9110, 12.5.3).

Plain Python: the article view and the compression middleware of public pages ask it.
"""

# Old names some clients still send for the same codings.
ALIASES = {"x-gzip": "gzip"}


def _quality(value: str) -> float | None:
    """A q value ("0", "0.5", "1.000"), or None when it is not one."""
    try:
        quality = float(value)
    except ValueError:
        return None
    return quality if 0 <= quality <= 1 else None


def accepted(header: str) -> dict[str, float]:
    """{coding: quality} as the header states them, lower-cased; "*" stands for any coding not named.

    A part that cannot be read (a q value that is not a number from 0 to 1) is left out, as if not sent.
    """
    codings = {}
    for part in (header or "").split(","):
        name, *parameters = (piece.strip() for piece in part.split(";"))
        name = ALIASES.get(name.lower(), name.lower())
        if not name:
            continue
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                quality = _quality(value.strip())
        if quality is not None:
            codings[name] = max(quality, codings.get(name, 0.0))
    return codings


def preferred_encoding(header: str, offered) -> str | None:
    """The coding of `offered` (in the server's order of preference) the client accepts best, or None.

    None means the response goes uncompressed: no header, nothing offered accepted, or only with q=0.
    """
    codings = accepted(header)
    best, best_quality = None, 0.0
    for coding in offered:
        quality = codings.get(coding, codings.get("*", 0.0))
        if quality > best_quality:
            best, best_quality = coding, quality
    return best
