from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from auditor import Auditor
from auditor.nlp import components  # noqa: F401  (registers the auditor_* factories)
from auditor.nlp.pipeline import adapt_tokenizer
from auditor.paths import corpora_dir, models_dir

SEED = corpora_dir("examples", "kratom_seed.txt")


@pytest.fixture(scope="session")
def auditor() -> Auditor:
    """The full auditor with the English model, loaded once per session."""
    return Auditor()


@pytest.fixture(scope="session")
def auditor_no_parse() -> Auditor:
    return Auditor(parse=False)


@pytest.fixture(scope="session")
def blank_nlp() -> Language:
    """Tokenizer + auditor components, no statistical model: negation scope by word window."""
    nlp = adapt_tokenizer(spacy.blank("en"))
    nlp.add_pipe("auditor_segmenter")
    nlp.add_pipe("auditor_lexicon")
    nlp.add_pipe("auditor_claims")
    return nlp


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def corpora_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged corpora, for tests that break a data file."""
    import shutil

    target = tmp_path / "corpora"
    shutil.copytree(corpora_dir(), target)
    return target


@pytest.fixture
def data_dir(corpora_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the auditor at the writable corpora copy (AUDITOR_DATA_DIR), for one test."""
    import shutil

    from auditor import paths

    shutil.copytree(models_dir(), corpora_copy.parent / "models")
    monkeypatch.setenv("AUDITOR_DATA_DIR", str(corpora_copy.parent))
    paths.data_root.cache_clear()
    yield corpora_copy
    monkeypatch.delenv("AUDITOR_DATA_DIR")
    paths.data_root.cache_clear()


# The exemplar self-test leaves its pass rate here; the summary prints it after every run.
PASS_RATE = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    if PASS_RATE in config.stash:
        terminalreporter.write_line(config.stash[PASS_RATE])
