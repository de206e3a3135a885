"""``auditor factbase validate|stats|show|explain``: rendering for the curator tools."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from auditor.errors import InputError
from auditor.factbase.loader import Fact, FactBase, load_factbase
from auditor.factbase.tools import exemplars, stats, validate

EXIT_OK, EXIT_PROBLEMS = 0, 1


def run_factbase(args: argparse.Namespace) -> int:
    today: date = args.today or date.today()
    if args.tool == "validate":
        return _validate(args.format, args.strict, today)
    if args.tool == "stats":
        _print(stats(load_factbase(), today), args.format, _stats_text)
        return EXIT_OK
    if args.tool == "show":
        _print(_show(load_factbase(), args.id), args.format, _show_text)
        return EXIT_OK
    from auditor.api import Auditor
    from auditor.judge.explain import explain, explanation_dict, render_explanation

    traces = explain(Auditor(), args.sentence)
    print(json.dumps(explanation_dict(traces), indent=2, ensure_ascii=False)
          if args.format == "json" else render_explanation(traces))
    return EXIT_OK


def _validate(fmt: str, strict: bool, today: date) -> int:
    problems = validate(today=today)
    errors = [p for p in problems if p.level == "error" or strict]
    if fmt == "json":
        print(json.dumps([vars(p) for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem)
        warnings = len(problems) - sum(p.level == "error" for p in problems)
        verdict = "invalid" if errors else "valid"
        print(f"fact base {verdict}: {sum(p.level == 'error' for p in problems)} error(s), "
              f"{warnings} warning(s)")
    return EXIT_PROBLEMS if errors else EXIT_OK


def _print(data: dict[str, Any], fmt: str, as_text: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False) if fmt == "json" else as_text(data))


def _stats_text(data: dict[str, Any]) -> str:
    lines = [f"fact base {data['factbase_version']}: {data['topics']} topics, "
             f"{data['subjects']} subjects, {data['facts']} facts, {data['exemplars']} exemplars",
             "facts by verdict: " + ", ".join(f"{k} {v}" for k, v in
                                               data["facts_by_verdict"].items()),
             f"citations: {data['citations']} ({data['citations_primary']} primary, "
             f"{data['citations_copy']} copy)", "facts by topic:"]
    lines += [f"  {topic:<28} {count}" for topic, count in data["facts_by_topic"].items()]
    lines.append("citations by publisher:")
    lines += [f"  {count:>4}  {publisher}"
              for publisher, count in data["citations_by_publisher"].items()]
    due = data["facts_due_for_review"]
    lines.append(f"due for review: {', '.join(due) if due else 'none'}")
    return "\n".join(lines)


def _show(factbase: FactBase, wanted: str) -> dict[str, Any]:
    if wanted in factbase.facts:
        return {"record": "fact", **_fact_dict(factbase.facts[wanted])}
    if wanted in factbase.subjects:
        subject = factbase.subjects[wanted]
        facts = [f.id for f in factbase.facts.values() if wanted in f.subjects]
        return {"record": "subject", **vars(subject), "facts": facts}
    if wanted in factbase.topics:
        facts = [f.id for f in factbase.facts.values() if f.topic == wanted]
        subjects = [s.id for s in factbase.subjects.values() if s.topic == wanted]
        return {"record": "topic", "id": wanted, "title": factbase.topics[wanted],
                "subjects": subjects, "facts": facts}
    close = sorted(i for i in (*factbase.facts, *factbase.subjects, *factbase.topics)
                   if wanted.split(".")[0] in i)[:8]
    hint = f"; similar ids: {', '.join(close)}" if close else "; try 'auditor factbase stats'"
    raise InputError(f"{wanted}: no fact, subject or topic has this id{hint}")


def _fact_dict(fact: Fact) -> dict[str, Any]:
    data = {k: v for k, v in vars(fact).items() if k not in ("contradicts", "supports")}
    data["citations"] = [vars(c) for c in fact.citations]
    data["exemplars"] = [{"text": t, "expected": e} for t, e in exemplars(fact)]
    return data


def _show_text(data: dict[str, Any]) -> str:
    if data["record"] != "fact":
        return "\n".join(f"{key}: {value}" for key, value in data.items() if key != "record")
    lines = [f"{data['id']}  ({data['verdict']}; {data['predicate']} {data['polarity']}; "
             f"subjects: {', '.join(data['subjects'])})", f"  {data['statement']}",
             f"  as of {data['as_of']}, review by {data['review_by']}; file {data['path']}"]
    if data["conditions"]:
        lines.append(f"  conditions: {', '.join(data['conditions'])}")
    if data["suggestion"]:
        lines.append(f"  suggestion: {data['suggestion']}")
    lines.append("  citations:")
    for c in data["citations"]:
        lines.append(f"    - {c['publisher']}, “{c['title']}”, {c['date'] or 'n.d.'} "
                     f"[{c['seen']}] {c['url']}")
        if c["quote"]:
            lines.append(f"      “{c['quote']}”")
    lines.append("  exemplars:")
    lines += [f"    {e['expected']:<12} {e['text']}" for e in data["exemplars"]]
    return "\n".join(lines)
