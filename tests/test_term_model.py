"""The term model (auditor/learning/term_tagger.py): it learns, saves and reloads to the same
probabilities; the shipped model flags misuse the rules do not list, says it is a model and
why, and leaves real terms, product names and ordinary health writing alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from auditor import Auditor
from auditor.errors import ModelError
from auditor.learning.artifacts import record
from auditor.learning.term_tagger import FILE, TermTagger, _in_words, _runs
from auditor.records import Finding

LEARNED = "model:term_tagger"

TRAINING = [
    ("Flush the sludge from your lymph with this tea.", "Flush the sludge"),
    ("Our drops recharge your adrenal battery overnight.", "adrenal battery"),
    ("This powder melts the toxic crust off your gut.", "toxic crust"),
    ("Ibuprofen can irritate the stomach lining.", None),
    ("The trial measured peak plasma concentration.", None),
    ("Buy Tylenol at any pharmacy.", None),
]


def _labelled(scanner, rows):  # type: ignore[no-untyped-def]
    sentences, labels = [], []
    for text, term in rows:
        sentence = next(iter(scanner(text).sents))
        start = text.index(term) if term else -1
        end = start + len(term) if term else -1
        sentences.append(sentence)
        labels.append([start <= t.idx < end for t in sentence])
    return sentences, labels


def _learned(report_findings: tuple[Finding, ...]) -> list[str]:
    return [f.quote for f in report_findings if f.rule == LEARNED]


def test_learns_saves_and_reloads_to_the_same_probabilities(auditor_no_parse: Auditor,
                                                            tmp_path: Path) -> None:
    sentences, labels = _labelled(auditor_no_parse.scanner, TRAINING)
    tagger = TermTagger.fit(sentences, labels, [1.0] * len(sentences))
    record(tmp_path, "term_tagger", FILE, tagger.save(tmp_path))
    again = TermTagger.load(tmp_path)
    for before, after in zip(tagger.token_probabilities(sentences),
                             again.token_probabilities(sentences), strict=True):
        np.testing.assert_array_equal(before, after)
    scores = tagger.token_probabilities(sentences)
    sludge = [t.text for t in sentences[0]].index("sludge")
    assert scores[0][sludge] > 0.5 > scores[3].max()


def test_labels_that_do_not_match_the_tokens_are_refused(auditor_no_parse: Auditor) -> None:
    sentences, labels = _labelled(auditor_no_parse.scanner, TRAINING)
    labels[0] = labels[0][:-1]
    with pytest.raises(ModelError, match="the labels do not match the sentences' tokens"):
        TermTagger.fit(sentences, labels, [1.0] * len(sentences))


def test_no_sentences_give_no_probabilities() -> None:
    assert TermTagger.load(Path(__file__).parents[1] / "models").token_probabilities([]) == []


def test_a_finding_is_a_run_of_words_around_a_confident_one(auditor_no_parse: Auditor) -> None:
    sentence = next(iter(auditor_no_parse.scanner("Boost your adrenal tank, friends.").sents))
    # Boost your adrenal tank ,    friends .
    scores = np.array([0.3, 0.85, 0.9, 0.97, 0.99, 0.85, 0.2])
    assert _runs(sentence, scores, 0.95, 0.8) == [(1, 4)]  # the comma ends the run
    assert _runs(sentence, scores, 0.995, 0.8) == []  # no word confident enough


def test_a_token_is_read_from_its_words_neighbours_quotes_and_naming_cues(
        auditor_no_parse: Auditor) -> None:
    sentence = next(iter(auditor_no_parse.scanner(
        'Doctors once called it "liver sludge" in France.').sents))
    # Doctors once called it " liver sludge " in France .
    keys = auditor_no_parse.term_tagger.features.keys(sentence)
    sludge, france = set(keys[6]), set(keys[9])
    assert {"w=sludge", "suf=dge", "pre=slu", "w-1=liver", "w-2=\"", "w1=\"", "w2=in",
            "pair-=liver sludge", 'pair+=sludge "', "quoted", "cue", "near=once",
            "near=called", "near=it", "near=france"} <= sludge
    # "liver" is a medical word, "sludge" is not, and "liver sludge" is no known term
    assert {"known-=100", "bands-=43"} <= sludge
    assert not {"title", "near=liver", "near=in"} & sludge  # neighbours are read by position
    assert {"title", "w=france", "near=liver", "near=sludge"} <= france
    assert not {"quoted", "cue"} & france  # the quotation closed; "called" is 7 words back


@pytest.mark.parametrize(("feature", "words"), [
    ("w=flush", "“flush”"),
    ("w-1=your", "“your” just before"),
    ("near=liver", "“liver” nearby"),
    ("pair+=adrenal tank", "“adrenal tank”"),
    ("suf=ing", "the ending “-ing”"),
    ("band=0", "a word rare in English"),
    ("known=False", "a word no medical vocabulary lists"),
    ("cue", "a naming word before it (“called”, “known as”)"),
    ("known-=100", "a word medical vocabularies know beside a word they do not, together no "
                   "known term"),
    ("known+=111", "a word medical vocabularies know beside a word medical vocabularies know, "
                   "together a known term"),
    ("bands+=30", "English frequency bands 3 and 0 side by side"),
])
def test_signals_are_said_in_words(feature: str, words: str) -> None:
    assert _in_words(feature) == words


# (sentence, the span the shipped model flags): misuse that no list or rule of the auditor
# covers. Regression pins of the shipped model; its accuracy is measured by `auditor eval`.
MODEL_FLAGS = [
    ("Our gummies unclog your hormone receptors so your body can finally listen.",
     "unclog your hormone receptors"),
    ("A weekly coffee enema keeps your liver bile flowing freely.", "your liver bile"),
    ("Our frequency patches retune your cells to their healthy vibration.", "retune your"),
    ("Magnesium baths pull the static out of your nervous system.", "static"),
]
# Real terms, product names and ordinary health writing the model must leave alone.
LEFT_ALONE = [
    "Lofexidine eases the physical symptoms of opioid withdrawal.",
    "The half-life of mitragynine varies between people.",
    "Hematopoietic stem cell transplantation is used to treat some leukaemias.",
    "Viral shedding can continue for days after symptoms end.",
    "Patients on dialysis often need to limit potassium.",
    "I bought a tube of Voltaren gel for my knee.",
    "The liver breaks down alcohol into acetaldehyde.",
    "Your doctor may check your thyroid with a TSH blood test.",
    "A medically supervised detox helps people withdraw from alcohol safely.",
    "Sunscreen with SPF 30 blocks about 97 percent of UVB rays.",
]


@pytest.mark.parametrize(("text", "quote"), MODEL_FLAGS)
def test_the_model_flags_misuse_no_rule_covers(auditor: Auditor, text: str, quote: str) -> None:
    findings = [f for f in auditor.audit(text).findings if f.category == "misused_term"]
    assert [(f.quote, f.rule) for f in findings] == [(quote, LEARNED)]
    finding = findings[0]
    assert finding.severity == "info"  # one step below the rules' warnings
    assert re.match(f"The term model reads “{quote}” as a misused or made-up health term "
                    r"\(probability (0\.9[5-9]|1\.00)\)", finding.explanation)
    assert "what weighed most: “" in finding.explanation
    assert finding.suggestion


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_the_model_leaves_real_terms_and_products_alone(auditor: Auditor, text: str) -> None:
    assert not [f for f in auditor.audit(text).findings if f.category == "misused_term"]


def test_a_term_a_rule_flagged_is_not_flagged_again_by_the_model(auditor: Auditor) -> None:
    text = "This green juice will detox your liver and flush toxins in three days."
    findings = [f for f in auditor.audit(text).findings if f.category == "misused_term"]
    assert {f.quote for f in findings} == {"detox your liver", "flush toxins"}
    assert all(f.rule != LEARNED for f in findings)


def test_no_term_model_leaves_only_the_rules(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(MODEL_FLAGS[0][0] + "\n", encoding="utf-8")
    rules = {}
    for flag in ([], ["--no-term-model"]):
        done = subprocess.run([sys.executable, "-m", "auditor.cli", "check", str(draft),
                               "--format", "json", *flag], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        rules[bool(flag)] = [f["rule"] for f in report["findings"]
                             if f["category"] == "misused_term"]
        assert report["auditor"]["models"]["term_model"] == ("off" if flag else "on")
    assert rules == {False: [LEARNED], True: []}
