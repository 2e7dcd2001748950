"""The Python API: the README example runs as written, and the entry points are documented."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import briefgen
from tests.conftest import FIXTURES, SAMPLE

README_EXAMPLE = textwrap.dedent('''\
    import briefgen

    brief = briefgen.load_brief("briefs/alibaba-one-ai.yaml")
    result = briefgen.build(brief, out="out", stem="alibaba-one-ai", base="briefs")
    print(result.outputs["pptx"], result.slides, "slides")
    print(result.outputs["pdf"], result.pages, "pages")
    ''')


def test_the_readme_example_builds_the_sample(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "briefs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "briefs" / SAMPLE.name)
    monkeypatch.chdir(tmp_path)
    exec(compile(README_EXAMPLE, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("out/alibaba-one-ai.pptx ") and lines[0].endswith(" slides")
    assert lines[1].startswith("out/alibaba-one-ai.pdf ") and lines[1].endswith(" pages")
    assert int(lines[0].split()[1]) > 10
    assert (tmp_path / "out" / "alibaba-one-ai.pptx").is_file()
    assert (tmp_path / "out" / "alibaba-one-ai.pdf").is_file()


def test_build_takes_a_path_and_one_format(tmp_path: Path) -> None:
    result = briefgen.build(FIXTURES / "minimal.yaml", out=tmp_path, formats=["pdf"])
    assert result.outputs == {"pdf": tmp_path / "minimal.pdf"}
    assert result.pages == 1 and result.slides == 0
    assert result.warnings == []


def test_a_bad_brief_raises_brief_error_with_located_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta:\n  title: T\n  date: 2026-04-01\nthesis:\n  headlin: x\n")
    with pytest.raises(briefgen.BriefError) as caught:
        briefgen.load_brief(bad)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column, problem.key) == (5, 3, "thesis.headlin")


def test_the_api_is_documented() -> None:
    for function in (briefgen.build, briefgen.load_brief):
        assert function.__doc__ and len(function.__doc__.splitlines()) > 1
    assert "BuildResult" in str(briefgen.build.__annotations__["return"])


def test_the_readme_shows_exactly_the_example_this_file_runs() -> None:
    readme = (SAMPLE.parent.parent / "README.md").read_text()
    section = readme.split("## Python API", 1)[1]
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert block == README_EXAMPLE
