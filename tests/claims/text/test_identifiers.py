import pytest
from django.urls import reverse

from claims.models import Condition
from claims.text import identifiers
from claims.text.identifiers import IdentifierError, detect, normalise, resolver_url


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
        ("PMID:29298160", "pmid", "29298160"),
        ("pmid 29298160", "pmid", "29298160"),
        ("PMID: 029298160", "pmid", "29298160"),
        ("  29298160  ", "pmid", "29298160"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/29298160", "pmid", "29298160"),
        ("DOI: 10.1056/NEJMoa1703327", "doi", "10.1056/nejmoa1703327"),
        ("doi 10.1056/NEJMoa1703327", "doi", "10.1056/nejmoa1703327"),
        ("https://dx.doi.org/10.1056/NEJMoa1703327", "doi", "10.1056/nejmoa1703327"),
        ("HTTP://DOI.ORG/10.1056/NEJMOA1703327;", "doi", "10.1056/nejmoa1703327"),
        ("NCT00114530", "nct", "NCT00114530"),
        ("https://clinicaltrials.gov/ct2/show/nct00114530?term=fibrosis", "nct", "NCT00114530"),
        ("https://www.clinicaltrials.gov/study/NCT00114530/", "nct", "NCT00114530"),
        ("HTTPS://www.nhs.uk/", "url", "HTTPS://www.nhs.uk/"),
    ],
)
def test_pasted_identifiers_are_recognised_and_normalised(pasted, kind, identifier):
    assert detect(pasted) == (kind, identifier)


PMID_FORM = "A PubMed ID is a number, e.g. 29298160."
DOI_FORM = "A DOI looks like 10.1056/NEJMoa1703327"
NCT_FORM = "NCT followed by 8 digits, e.g. NCT00114530."
URL_FORM = "A web source must be a full http:// or https:// address."


@pytest.mark.parametrize(
    "kind, value, expected_form",
    [
        ("pmid", "abc", PMID_FORM),
        ("pmid", "0", PMID_FORM),
        ("pmid", "-5", PMID_FORM),
        ("pmid", "1234567890", PMID_FORM),
        ("pmid", "29298160abc", PMID_FORM),
        ("pmid", "２９２９８１６０", PMID_FORM),  # full-width digits
        ("pmid", "29298160\x00", PMID_FORM),
        ("doi", "11.1000/xyz", DOI_FORM),
        ("doi", "10.12/short-prefix", DOI_FORM),
        ("doi", "10.1000/with space", DOI_FORM),
        ("doi", "10.١٠٠٠/arabic-indic-digits", DOI_FORM),
        ("doi", "doi:", DOI_FORM),
        ("nct", "NCT123", NCT_FORM),
        ("nct", "NCT 00114530", NCT_FORM),
        ("nct", "NCT001145301", NCT_FORM),
        ("nct", "NCT٠٠١١٤٥٣٠", NCT_FORM),
        ("url", "javascript:alert(1)", URL_FORM),
        ("url", "JavaScript:alert(1)//https://example.org", URL_FORM),
        ("url", "data:text/html,<script>alert(1)</script>", URL_FORM),
        ("url", "ftp://example.org/file", URL_FORM),
        ("url", "https://exa mple.org", URL_FORM),
        ("url", "https://example.org/\n<script>", URL_FORM),
        ("url", "https://", URL_FORM),
        ("url", "//example.org/path", URL_FORM),
    ],
)
def test_malformed_identifiers_are_refused_with_the_expected_form(kind, value, expected_form):
    with pytest.raises(IdentifierError) as refusal:
        normalise(kind, value)
    assert expected_form in str(refusal.value)


@pytest.mark.parametrize("kind", ["pmid", "doi", "nct", "url"])
def test_identifiers_longer_than_a_source_can_hold_are_refused(kind):
    with pytest.raises(IdentifierError, match="at most 500 characters; this one has 1,020"):
        normalise(kind, "https://example.org/" + "a" * 1000)


@pytest.mark.parametrize(
    "pasted",
    ["javascript:alert(1)", "<script>alert(1)</script>", "'; DROP TABLE claims_source; --", "", "   ", "PMID:"],
)
def test_pasted_text_that_is_no_identifier_is_refused_with_the_forms_it_could_take(pasted):
    with pytest.raises(IdentifierError, match=r"PubMed ID \(29298160\), DOI \(10.1056/NEJMoa1703327\), NCT number"):
        detect(pasted)


def test_unrecognisable_text_is_refused():
    with pytest.raises(IdentifierError, match=r"This is not a PubMed ID \(29298160\), DOI"):
        detect("a paper I read once")


def test_each_kind_links_to_its_resolver():
    assert resolver_url("pmid", "29298160") == "https://pubmed.ncbi.nlm.nih.gov/29298160/"
    assert resolver_url("doi", "10.1056/nejmoa1703327") == "https://doi.org/10.1056/nejmoa1703327"
    assert resolver_url("nct", "NCT00114530") == "https://clinicaltrials.gov/study/NCT00114530"
    assert resolver_url("url", "https://www.nhs.uk/") == "https://www.nhs.uk/"


@pytest.mark.parametrize(
    "code, valid",
    [
        ("J84.1", True),
        ("M34", True),
        ("U07.1", True),
        ("j84.1", True),
        (" J84.1 ", True),
        ("J8", False),
        ("84.1", False),
        ("J84.12345", False),
        ("J84.", False),
        ("J٨4.1", False),
        ("<b>J84</b>", False),
    ],
)
def test_icd10_format(code, valid):
    assert identifiers.is_icd10(code) is valid


@pytest.mark.parametrize(
    "code, valid",
    [
        ("D054990", True),
        ("D000086382", True),
        ("d054990", True),
        ("D5499", False),
        ("C054990", False),
        ("D0549901", False),
        ("D０５４９９０", False),
    ],
)
def test_mesh_descriptor_format(code, valid):
    assert identifiers.is_mesh_descriptor(code) is valid


@pytest.mark.django_db
def test_condition_codes_typed_in_lower_case_are_stored_upper_case(client, editor):
    client.force_login(editor)
    data = {"name": "Fibrosis", "slug": "fibrosis", "icd10_code": "j84.1", "mesh_id": "d054990"}
    response = client.post(reverse("admin:claims_condition_add"), {**data, "synonyms": "", "description": ""})
    assert response.status_code == 302
    condition = Condition.objects.get(slug="fibrosis")
    assert (condition.icd10_code, condition.mesh_id) == ("J84.1", "D054990")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, expected_form",
    [
        (
            "icd10_code",
            "J8",
            "An ICD-10 code looks like J84.1 or M34: a letter, two characters, an optional dot and more.",
        ),
        ("mesh_id", "D5499", "A MeSH descriptor ID is D followed by 6 or 9 digits, e.g. D054990."),
    ],
)
def test_malformed_condition_codes_are_refused_with_the_expected_form(client, editor, field, value, expected_form):
    client.force_login(editor)
    data = {"name": "Fibrosis", "slug": "fibrosis", "icd10_code": "", "mesh_id": "", "synonyms": "", "description": ""}
    response = client.post(reverse("admin:claims_condition_add"), {**data, field: value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [expected_form]
