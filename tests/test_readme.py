"""The README's REPL sessions are executed, so their printed numbers never go stale."""

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_examples():
    parser = doctest.DocTestParser()
    text = README.read_text(encoding="utf-8")
    test = parser.get_doctest(text, {}, "README.md", str(README), 0)
    assert len(test.examples) >= 10, "the README lost its REPL session"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0


def _shell_examples(text):
    """(command, expected output) pairs of the README's ```bash blocks that run the CLI."""
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        command, output = None, []
        for line in [*block.splitlines(), "$ END"]:
            if line.startswith("$ "):
                if command and command.startswith("python -m autograd"):
                    yield command, "\n".join(output)
                command, output = line[2:], []
            elif command:
                output.append(line)


def test_readme_command_line_examples(tmp_path):
    examples = list(_shell_examples(README.read_text(encoding="utf-8")))
    assert len(examples) >= 3, "the README lost its command-line examples"
    for command, expected in examples:
        args = shlex.split(command)
        result = subprocess.run([sys.executable, *args[1:]], cwd=tmp_path, capture_output=True,
                                text=True, env={**os.environ, "PYTHONPATH": str(README.parent)})
        shown = (result.stdout + result.stderr).rstrip("\n")
        assert shown == expected, f"{command}\n--- README ---\n{expected}\n--- actual ---\n{shown}"


def test_ci_runs_exactly_the_readme_test_command():
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    text = README.read_text(encoding="utf-8")
    assert ci in text, f".ci/run's command {ci!r} is not the README's"
    assert "bash scripts/setup.sh && .venv/bin/python -m demos.moons" in text


def test_readme_op_example_is_the_real_rule():
    """The 'How an op is written' snippet is quoted from autograd/ops.py, line for line."""
    text = README.read_text(encoding="utf-8")
    snippet = text.split("### How an op is written", 1)[1].split("```python\n", 1)[1]
    snippet = snippet.split("```", 1)[0]
    ops = (README.parent / "autograd" / "ops.py").read_text(encoding="utf-8")
    assert snippet.strip() and snippet in ops
