"""Shared fixtures: paths of the sample and fixture briefs, and a built sample."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "briefs" / "alibaba-one-ai.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from briefgen.build import build

    out = tmp_path_factory.mktemp("sample")
    return build(SAMPLE, out=out).outputs
