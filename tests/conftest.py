"""Shared fixtures: paths of the sample and fixture briefs, and a built sample."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "briefs" / "alibaba-one-ai.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Parsed fonts go to a folder of the test run (inherited by CLI subprocesses), never to
    the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("BRIEFGEN_CACHE_DIR")
    os.environ["BRIEFGEN_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["BRIEFGEN_CACHE_DIR"]
    else:
        os.environ["BRIEFGEN_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from briefgen.build import build

    out = tmp_path_factory.mktemp("sample")
    return build(SAMPLE, out=out).outputs
