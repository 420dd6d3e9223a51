from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = CORPUS / "seeds"


def seed(n: str) -> Path:
    return next(SEEDS.glob(f"{n}_*.txt"))


def need_corpus():
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
