import pytest

from claims import identifiers
from claims.identifiers import IdentifierError, detect, normalise, resolver_url


@pytest.mark.parametrize(
    "pasted, kind, identifier",
    [
        ("29298160", "pmid", "29298160"),
        ("PMID: 29298160", "pmid", "29298160"),
        ("https://pubmed.ncbi.nlm.nih.gov/29298160/", "pmid", "29298160"),
        ("doi:10.1056/NEJMoa1703327", "doi", "10.1056/nejmoa1703327"),
        ("https://doi.org/10.1001/jama.2014.6368", "doi", "10.1001/jama.2014.6368"),
        ("10.1016/j.chest.2016.10.061.", "doi", "10.1016/j.chest.2016.10.061"),
        ("nct00114530", "nct", "NCT00114530"),
        ("https://clinicaltrials.gov/study/NCT02013700", "nct", "NCT02013700"),
        ("https://www.nhs.uk/conditions/", "url", "https://www.nhs.uk/conditions/"),
    ],
)
def test_pasted_identifiers_are_recognised_and_normalised(pasted, kind, identifier):
    assert detect(pasted) == (kind, identifier)


@pytest.mark.parametrize(
    "kind, value",
    [
        ("pmid", "abc"),
        ("pmid", "0"),
        ("doi", "11.1000/xyz"),
        ("doi", "10.12/short-prefix"),
        ("nct", "NCT123"),
        ("url", "javascript:alert(1)"),
        ("url", "ftp://example.org/file"),
        ("url", "https://exa mple.org"),
    ],
)
def test_malformed_identifiers_are_refused_with_a_message(kind, value):
    with pytest.raises(IdentifierError) as refusal:
        normalise(kind, value)
    assert str(refusal.value)


def test_unrecognisable_text_is_refused():
    with pytest.raises(IdentifierError, match=r"This is not a PubMed ID \(29298160\), DOI"):
        detect("a paper I read once")


def test_each_kind_links_to_its_resolver():
    assert resolver_url("pmid", "29298160") == "https://pubmed.ncbi.nlm.nih.gov/29298160/"
    assert resolver_url("doi", "10.1056/nejmoa1703327") == "https://doi.org/10.1056/nejmoa1703327"
    assert resolver_url("nct", "NCT00114530") == "https://clinicaltrials.gov/study/NCT00114530"
    assert resolver_url("url", "https://www.nhs.uk/") == "https://www.nhs.uk/"


@pytest.mark.parametrize(
    "code, valid", [("J84.1", True), ("M34", True), ("U07.1", True), ("J8", False), ("84.1", False)]
)
def test_icd10_format(code, valid):
    assert identifiers.is_icd10(code) is valid


@pytest.mark.parametrize("code, valid", [("D054990", True), ("D000086382", True), ("D5499", False), ("C054990", False)])
def test_mesh_descriptor_format(code, valid):
    assert identifiers.is_mesh_descriptor(code) is valid
