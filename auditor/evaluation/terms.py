"""The labelled term occurrences (corpora/eval/terms/: the dev half in occurrences.yaml, the
held-out half in heldout.yaml; guide beside them) and their score: precision and recall of
misused_term findings on made-up and misapplied terms, with real technical terms and product
names as the negatives."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from auditor import paths
from auditor.datafiles import Closed, load
from auditor.errors import DataError
from auditor.records import Report, overlaps

MISUSED = ("made_up", "misapplied")
# One file per half, so that working on the dev half never puts held-out items on screen.
SPLIT_FILES = {"dev": "occurrences.yaml", "heldout": "heldout.yaml"}


class OccurrenceSchema(Closed):
    id: str
    split: Literal["dev", "heldout"]
    label: Literal["made_up", "misapplied", "legit_technical", "legit_product"]
    term: str = Field(min_length=2)
    text: str = Field(min_length=5)
    note: str | None = None

    @model_validator(mode="after")
    def _term_in_text(self) -> OccurrenceSchema:
        if self.term not in self.text:
            raise ValueError(f"term {self.term!r} is not in the text")
        return self


class OccurrencesFile(Closed):
    version: int = 1
    occurrences: list[OccurrenceSchema] = Field(min_length=1)


@dataclass(frozen=True)
class TermScores:
    true_positives: int
    false_positives: int
    false_negatives: int
    by_label: tuple[tuple[str, int, int], ...]  # (label, occurrences, flagged)

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        positives = self.true_positives + self.false_negatives
        return self.true_positives / positives if positives else 1.0


def split_file(split: str, corpora: Path | None = None) -> Path:
    return (corpora or paths.corpora_dir()) / "eval" / "terms" / SPLIT_FILES[split]


def load_occurrences(path: Path) -> list[OccurrenceSchema]:
    return load(path, OccurrencesFile).occurrences


def load_split(split: str, corpora: Path | None = None) -> list[OccurrenceSchema]:
    """The items of one half, from its own file; an item labelled for the other half is a
    data error (it would leak between them)."""
    path = split_file(split, corpora)
    items = load_occurrences(path)
    strays = [o.id for o in items if o.split != split]
    if strays:
        raise DataError(str(path), f"items {', '.join(strays)} are not split {split!r}; "
                        f"move them to {SPLIT_FILES['dev' if split == 'heldout' else 'heldout']}")
    return items


def term_bounds(item: OccurrenceSchema) -> tuple[int, int]:
    """Character offsets of the labelled term in its text."""
    start = item.text.index(item.term)
    return start, start + len(item.term)


def score_terms(occurrences: Iterable[OccurrenceSchema], reports: Iterable[Report]) -> TermScores:
    items = list(occurrences)
    return score_flags(items, flagged_terms(items, reports))


def flagged_terms(occurrences: Iterable[OccurrenceSchema], reports: Iterable[Report]
                  ) -> list[bool]:
    """Whether each occurrence's term has a misused_term finding on it."""
    flagged = []
    for item, report in zip(occurrences, reports, strict=True):
        start, end = term_bounds(item)
        flagged.append(any(f.category == "misused_term" and overlaps(f.start, f.end, start, end)
                           for f in report.findings))
    return flagged


def score_flags(occurrences: Iterable[OccurrenceSchema], flagged: Iterable[bool]) -> TermScores:
    """Scores of a detector that flagged the term of each occurrence or not."""
    tp = fp = fn = 0
    per_label: dict[str, list[int]] = {}
    for item, hit in zip(occurrences, flagged, strict=True):
        counts = per_label.setdefault(item.label, [0, 0])
        counts[0] += 1
        counts[1] += hit
        if item.label in MISUSED:
            tp += hit
            fn += not hit
        else:
            fp += hit
    return TermScores(tp, fp, fn, tuple((k, n, f) for k, (n, f) in sorted(per_label.items())))
