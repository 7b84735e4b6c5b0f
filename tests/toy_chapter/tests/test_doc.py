"""docs/new_chapter.md copies its code from the worked example: every ```python
block that starts with a `# tests/toy_chapter/<file>` line must be found in that
file (a line `...` in the block skips code), so the recipe and the code that the
suite runs cannot drift apart."""

import re
from pathlib import Path

import pytest

from approvals.tiers import validate_tier_table
from tests.toy_chapter.policies import DEFAULT_CHAINS

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "new_chapter.md"
BLOCK = re.compile(r"```python\n# (tests/toy_chapter/[\w/.]+)[^\n]*\n(.*?)```", re.S)


def blocks():
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


def test_the_recipe_quotes_the_worked_example():
    assert len(blocks()) >= 8


@pytest.mark.parametrize("path,body", blocks(), ids=[p for p, _b in blocks()])
def test_each_quoted_block_is_in_its_file(path, body):
    source = (ROOT / path).read_text(encoding="utf-8")
    for chunk in re.split(r"^\s*\.\.\.\s*$", body, flags=re.M):
        chunk = chunk.strip("\n")
        if chunk.strip():
            assert chunk in source, f"{path}: not found:\n{chunk}"


def test_toy1_default_chain_passes_its_own_validator():
    """A policy's default is not validated at registration: test it once."""
    validate_tier_table(DEFAULT_CHAINS)
