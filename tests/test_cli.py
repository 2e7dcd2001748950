"""The command line end to end: build writes files, a broken brief exits 1 in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from tests.conftest import FIXTURES, SAMPLE

runner = CliRunner()


def test_build_writes_the_deck_and_the_memo_and_prints_their_counts(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "alibaba-one-ai.pptx").is_file()
    assert (tmp_path / "alibaba-one-ai.pdf").is_file()
    assert "slides)" in result.output
    assert "pages)" in result.output


def test_build_can_write_one_format(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SAMPLE), "--out", str(tmp_path), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alibaba-one-ai.pdf"]


def test_a_broken_brief_exits_1_with_a_located_one_line_message(tmp_path: Path) -> None:
    brief = tmp_path / "broken.yaml"
    brief.write_text("meta:\n  title: T\n  date: 2026-04-01\nthesis:\n  headlin: x\n")
    result = runner.invoke(app, ["build", str(brief), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == (f"{brief}:5:3: thesis.headlin: unknown key 'headlin' — "
                        "did you mean 'headline'?")
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_missing_brief_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "cannot read the file" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_option_is_a_usage_error_with_exit_code_2() -> None:
    result = runner.invoke(app, ["build", str(SAMPLE), "--nope"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_jobs_below_one_is_a_usage_error() -> None:
    result = runner.invoke(app, ["build", str(SAMPLE), "--jobs", "0"])
    assert result.exit_code == 2


def test_version_prints_the_version() -> None:
    from briefgen import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"briefgen {__version__}\n"


def test_shell_completion_script_and_completions(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess
    import sys

    # Asked for bash by name, whatever shell runs the tests: with detection on, typer takes
    # the shell that started the process (sh, under make) and ignores the name.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = runner.invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0, result.output
    assert "_briefgen_completion" in result.output
    env = {**os.environ, "_BRIEFGEN_COMPLETE": "complete_bash", "COMP_WORDS": "briefgen pre",
           "COMP_CWORD": "1"}
    script = Path(sys.executable).parent / "briefgen"  # completion keys on the program's name
    completed = subprocess.run([str(script)], env=env, capture_output=True, text=True,
                               check=False)
    assert completed.stdout.split() == ["preview"], completed.stderr


def test_the_cli_module_imports_no_rendering_or_validation_library() -> None:
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, "-X", "importtime", "-c", "import briefgen.cli"],
                               capture_output=True, text=True, check=True)
    modules = {line.rsplit("|", 1)[-1].strip().split(".")[0]
               for line in completed.stderr.splitlines()}
    assert not modules & {"pptx", "reportlab", "pydantic", "PIL", "yaml", "rich"}


def test_one_brief_in_a_folder_keeps_the_single_brief_output(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import FIXTURES

    (tmp_path / "briefs").mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", tmp_path / "briefs")
    result = runner.invoke(app, ["build", str(tmp_path / "briefs"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output == (f"{tmp_path / 'out' / 'minimal.pptx'} (2 slides)\n"
                             f"{tmp_path / 'out' / 'minimal.pdf'} (1 page)\n")


def test_themes_lists_every_theme_with_its_description() -> None:
    result = runner.invoke(app, ["themes"])
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.output.splitlines()]
    assert {"corporate", "midnight", "print"} <= set(names)
    assert "The default." in result.output


def test_themes_show_prints_a_resolved_theme_that_loads_again(tmp_path: Path) -> None:
    result = runner.invoke(app, ["themes", "show", "midnight"])
    assert result.exit_code == 0, result.output
    assert "primary: '#4FC3C7'" in result.output
    copy = tmp_path / "copy.yaml"
    copy.write_text(result.output)
    from briefgen.theme.loader import load_theme

    assert load_theme(str(copy)).model_dump() == load_theme("midnight").model_dump()


def test_themes_show_names_the_available_themes_for_an_unknown_one() -> None:
    result = runner.invoke(app, ["themes", "show", "neon"])
    assert result.exit_code == 1
    assert "unknown theme 'neon' — available themes: corporate" in result.output


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_the_console_command_flushes_its_output_and_keeps_its_exit_codes(tmp_path: Path
                                                                          ) -> None:
    # The command leaves without finalising the interpreter; nothing printed may be lost.
    built = run_cli("build", str(FIXTURES / "minimal.yaml"), "-o", str(tmp_path))
    assert (built.returncode, built.stdout) == (0, (
        f"{tmp_path / 'minimal.pptx'} (2 slides)\n{tmp_path / 'minimal.pdf'} (1 page)\n"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("meta:\n  title: T\n")
    failed = run_cli("build", str(broken), "-o", str(tmp_path))
    assert failed.returncode == 1
    assert failed.stderr.endswith("problems found\n")
    assert run_cli("nonsense").returncode == 2
    schema = run_cli("schema")
    assert schema.returncode == 0 and schema.stdout.rstrip().endswith("}")


def test_the_console_command_is_quiet_when_its_reader_goes_away() -> None:
    command = [sys.executable, "-m", "briefgen", "schema"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # gone before the schema is written, as `| head -0` would be
        errors = process.stderr.read().decode()
    assert process.returncode == 1
    assert errors == ""


def test_the_sample_builds_silently_and_tells_its_layout_notes_with_verbose(tmp_path: Path
                                                                            ) -> None:
    quiet = runner.invoke(app, ["build", str(SAMPLE), "--out", str(tmp_path)])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    told = runner.invoke(app, ["build", str(SAMPLE), "--out", str(tmp_path), "--verbose"])
    assert told.exit_code == 0, told.output
    notes = told.stderr.splitlines()
    assert notes and all(line.startswith(f"note: {SAMPLE}:") for line in notes), notes
    table = [line for line in notes if ".table: " in line]
    assert table == [f"note: {SAMPLE}:57:9: sections[1].blocks[2].table: text shrunk to 13 pt "
                     "to fit the slide"]


def test_validate_strict_passes_a_brief_whose_layout_has_only_notes() -> None:
    result = runner.invoke(app, ["validate", str(SAMPLE), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{SAMPLE}: ok\n"


@pytest.mark.parametrize("command", ["build", "validate"])
def test_debug_is_accepted_after_the_command(command: str, tmp_path: Path) -> None:
    args = [command, str(FIXTURES / "minimal.yaml"), "--debug"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path)] if command == "build" else args)
    assert result.exit_code == 0, result.output
