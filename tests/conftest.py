from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"  # copied from tests/corpus; provenance in tests/corpus/README.md
SEEDS = CORPUS / "seeds"


def seed(n: str) -> Path:
    return next(SEEDS.glob(f"{n}_*.txt"))


def need_corpus():
    # The corpus ships with the repository: a missing corpus is a broken checkout, never a reason to skip.
    assert SEEDS.is_dir(), f"the test corpus is missing: {SEEDS}"


PDF_ENGINES = ("pdfminer", "pdfium")


@pytest.fixture(params=PDF_ENGINES)
def pdf_engine(request, monkeypatch):
    """Run the test once per PDF engine: what ``auto`` chooses is set to each in turn (both must give the same)."""
    from gpalint.readers import pdf
    monkeypatch.setattr(pdf, "auto_engine", lambda: request.param)
    return request.param
