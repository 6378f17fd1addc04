"""Reading Accept-Encoding: which stored copy of a page a browser gets."""

import pytest

from articles.encodings import accepted, preferred_encoding

OFFERED = ("br", "gzip")


@pytest.mark.parametrize(
    "header, expected",
    [
        ("", None),
        ("gzip", "gzip"),
        ("gzip, deflate, br", "br"),
        ("br;q=0.8, gzip;q=0.9", "gzip"),
        ("br;q=0.9, gzip;q=0.9", "br"),
        ("GZIP", "gzip"),
        ("x-gzip", "gzip"),
        ("gzip;q=0", None),
        ("gzip; q=0.000, br;q=0", None),
        ("*", "br"),
        ("*;q=0", None),
        ("br;q=0, *", "gzip"),
        ("identity;q=1, *;q=0", None),
        ("deflate, zstd", None),
        ("gzip;q=1.5", None),
        ("gzip;q=-1, br", "br"),
        ("gzip;q=abc", None),
        (", ,;q=1, gzip", "gzip"),
    ],
)
def test_the_preferred_coding_respects_each_quality(header, expected):
    assert preferred_encoding(header, OFFERED) == expected


def test_qualities_are_read_per_coding():
    assert accepted("gzip;q=0.5, br, deflate;q=0") == {"gzip": 0.5, "br": 1.0, "deflate": 0.0}


def test_nothing_offered_means_uncompressed():
    assert preferred_encoding("gzip, br", ()) is None
