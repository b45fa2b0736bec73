"""The README's REPL sessions are executed, so their printed numbers never go stale."""

import doctest
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
