"""Why did this happen?  The cause chain of an event, back to what set it off.

Every event records the id of the event that led to it, so any outcome can be traced back,
step by step, to the scheduled events of the scenario and the decisions actors took on the way.
`sim explain` accepts an event id or a plain question ("why is sudani prime minister",
"why pm", "why clash", an event kind) and answers with that chain, oldest first, as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sim.catalogue import kind_label, kinds_in
from sim.errors import InputError
from sim.report.load import RunData
from sim.teaching.text import clean

PM_WORDS = ("prime minister", "prime-minister", "premier", "pm", "government")
STOP = {"why", "is", "was", "did", "does", "the", "a", "an", "become", "became", "end", "ended",
        "up", "as", "get", "got", "how", "come", "what", "happened", "happen", "to", "of", "?"}


@dataclass(frozen=True)
class Step:
    """One event in a cause chain, with the role it plays in the story."""

    event: dict[str, Any]
    role: str  # "start", "scheduled", "trigger", "decision" or "consequence"


@dataclass(frozen=True)
class Explanation:
    """The answer to one question: the event asked about and its chain, oldest first."""

    question: str
    target: dict[str, Any]
    chain: list[Step]
    premise: str | None = None  # set when the question assumes something the run contradicts

    def as_dict(self) -> dict[str, Any]:
        return {"question": self.question, "event": self.target["id"], "premise": self.premise,
                "chain": [dict(step.event, role=step.role) for step in self.chain]}


def fields(event: dict[str, Any]) -> dict[str, Any]:
    """An event's state changes and its description in one mapping (description wins)."""
    return {**event["changes"], **event["details"]}


def role_of(event: dict[str, Any]) -> str:
    """Where an event sits in the story: what started it, planned, triggered or decided.

    The engine logs a ``scheduled`` event when a scenario's planned event fires and a
    ``trigger_fired`` one for triggers; anything an actor does is that actor's decision (its
    policy chose it); the rest is the institutions' or the world's consequence.
    """
    if event["cause"] is None:
        return "start"
    if event["kind"] == "scheduled":
        return "scheduled"
    if event["kind"] == "trigger_fired":
        return "trigger"
    if event["actor"]:
        return "decision"
    return "consequence"


def chain_of(run: RunData, event_id: int) -> list[Step]:
    """The event and its causes, oldest first; stops safely on a broken or cyclic log."""
    steps: list[Step] = []
    seen: set[int] = set()
    current: int | None = event_id
    while current is not None and current not in seen and current in run.by_id:
        seen.add(current)
        event = run.by_id[current]
        steps.append(Step(event, role_of(event)))
        cause = event["cause"]
        current = int(cause) if cause is not None else None
    return list(reversed(steps))


def _actor_in(words: list[str], run: RunData) -> str | None:
    """An actor id or name mentioned in the question (e.g. 'khazali', 'sadr', 'aah')."""
    text = " ".join(words)
    for actor_id, meta in run.actors.items():
        candidates = {actor_id.lower(), *(part.strip().lower() for part in
                                          str((meta or {}).get("name", "")).split("/"))}
        for candidate in candidates:
            if candidate and re.search(rf"(?<!\w){re.escape(candidate)}(?!\w)", text):
                return actor_id
    for word in words:  # a word of a name, e.g. 'maliki' in 'Maliki / State of Law'
        for actor_id, meta in run.actors.items():
            name_words = re.findall(r"[\w'-]+", str((meta or {}).get("name", "")).lower())
            if len(word) > 3 and word in name_words:
                return actor_id
    return None


def _last(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    return events[-1] if events else None


def find_target(run: RunData, query: str) -> dict[str, Any]:
    """The event a question is about; InputError (on EVENT_ID) when nothing matches."""
    text = " ".join(query.split())
    if re.fullmatch(r"#?\d+", text):
        event_id = int(text.lstrip("#"))
        if event_id not in run.by_id:
            top = max(run.by_id) if run.by_id else -1
            raise InputError.cli("EVENT_ID", f"no event {event_id} in {run.path} "
                                             f"(events are numbered 0 to {top})")
        return run.by_id[event_id]
    lowered = text.lower()
    kinds = {str(e["kind"]) for e in run.events}
    as_kind = lowered.replace(" ", "_").replace("-", "_")
    for candidate in (as_kind, re.sub(r"^why_", "", as_kind)):
        if candidate in kinds:
            return _last([e for e in run.events if e["kind"] == candidate])
    words = [w for w in re.findall(r"[\w'-]+", lowered) if w not in STOP]
    actor = _actor_in(words, run)
    if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered) for w in PM_WORDS):
        found = _pm_event(run)
        if found is not None:
            return found
    best = _best_match(run, words, actor)
    if best is not None:
        return best
    sample = ", ".join(sorted(kinds)[:12])
    raise InputError.cli("EVENT_ID", f"no event matches {query!r}: give an event id, "
                                     f"'why pm', or an event kind ({sample}, ...)")


def _stem(word: str) -> str:
    """A crude English stem, enough to match 'sanctioned' to 'sanctions_imposed'."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _best_match(run: RunData, words: list[str], actor: str | None) -> dict[str, Any] | None:
    """The event whose kind and text best match the question's words (latest on ties)."""
    names = set()
    if actor is not None:
        names = {actor.lower(), *re.findall(r"[\w'-]+", run.name(actor).lower())}
    stems = [_stem(w) for w in words if len(w) > 2 and w not in names]
    best, best_score = None, 0
    for event in run.events:
        kind = str(event["kind"]).lower()
        text = str(event["text"]).lower()
        score = sum(2 * (stem in kind) + (stem in text) for stem in stems)
        if stems and score == 0:
            continue
        if actor is not None:
            if _involves(event, actor):
                score += 1
            elif not stems:
                continue
        if score >= best_score and score > 0:
            best, best_score = event, score
    return best


def _involves(event: dict[str, Any], actor: str) -> bool:
    if event["actor"] == actor:
        return True
    payload = fields(event)
    return any(v == actor or (isinstance(v, list) and actor in v) for v in payload.values())


def _pm_event(run: RunData) -> dict[str, Any] | None:
    """The event that decided who is prime minister at the end, read from the state changes.

    The last event that changed `pm_person` or `pm` (by the fold, the one that installed the
    final prime minister), unless government formation has gone on since: then the latest
    step of that formation (why the incumbent is still there, as caretaker); with neither,
    the start of the run.
    """
    installed = [e for e in run.events
                 if "pm_person" in e["changes"] or "pm" in e["changes"]]
    after = installed[-1]["id"] if installed else 0
    steps = [e for e in run.events if e["id"] > after and e["kind"] in kinds_in("formation")]
    if steps:
        return steps[-1]
    return installed[-1] if installed else run.by_id.get(0)


def explain(run: RunData, query: str) -> Explanation:
    """Answer a question about a run with the cause chain of the event it is about."""
    target = find_target(run, query)
    return Explanation(query, target, chain_of(run, int(target["id"])),
                       premise=false_premise(run, query))


def false_premise(run: RunData, query: str) -> str | None:
    """What is wrong with a prime-minister question's premise, or None if nothing is.

    "why is badr prime minister" when Sudani is: the answer explains the actual prime
    minister, and must say so first; "why is sudani prime minister" when no government formed
    and Sudani only stays on as caretaker: say that too.
    """
    from sim.report.stats import government_formed

    lowered = " ".join(query.split()).lower()
    if re.fullmatch(r"#?\d+", lowered) or not any(
            re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered) for w in PM_WORDS[:4]):
        return None
    summary = run.summary
    pm, party = summary.get("prime_minister"), summary.get("prime_minister_party")
    person = (summary.get("people") or {}).get(pm) if pm is not None else None
    actual = (str(person.get("name")) if isinstance(person, dict) and person.get("name")
              else run.name(pm) if pm is not None else None)
    words = [w for w in re.findall(r"[\w'-]+", lowered) if w not in STOP]
    people = summary.get("people") or {}
    asked_words = set(re.findall(r"[\w']+", lowered)) - STOP
    named = [pid for pid, info in people.items() if isinstance(info, dict) and (
        pid.lower() in words or any(len(w) > 3 and w in asked_words for w in
                                    re.findall(r"[\w']+", str(info.get("name", "")).lower())))]
    if named and pm not in named:  # a person (a candidate) who is not the prime minister
        info = people[named[0]]
        now = (f"{actual} is" if actual else "nobody is") + (
            " (as caretaker: no government formed)" if not government_formed(summary) else "")
        return (f"{info.get('name') or named[0]} is not prime minister at the end of this run; "
                f"{now}. Here is how that came about.")
    asked = _actor_in(words, run)
    if asked is not None and asked not in (pm, party) and not named:
        now = (f"{actual} is" if actual else "nobody is") + (
            " (as caretaker: no government formed)" if not government_formed(summary) else "")
        return (f"{run.name(asked)} is not prime minister at the end of this run; {now}. "
                "Here is how that came about.")
    if not government_formed(summary) and actual:
        return (f"No government formed after the last election: {actual} only stays on as "
                "caretaker. Here is how that came about.")
    return None


ROLE_LABEL = {"start": "start", "scheduled": "scheduled", "trigger": "trigger",
              "decision": "decision", "consequence": "then"}


def format_explanation(explanation: Explanation, run: RunData) -> str:
    """The chain as text, oldest first, one event per line, indented to show it unfold."""
    target = explanation.target
    who = f" ({run.name(target['actor'])})" if target["actor"] else ""
    lines = [f"Not so: {explanation.premise}", ""] if explanation.premise else []
    lines += [f"Why: {target['text'] or target['kind']}{who}",
              f"     event #{target['id']} {target['kind']} on {target['date']}",
             "", "Cause chain, oldest first:"]
    for depth, step in enumerate(explanation.chain):
        event = step.event
        actor = run.name(event["actor"])
        head = f"{'  ' * min(depth, 12)}{'└─ ' if depth else ''}#{event['id']} "
        text = event["text"] or kind_label(str(event["kind"]))
        lines.append(f"{head}{event['date']}  [{ROLE_LABEL[step.role]}] "
                     f"{actor + ': ' if actor else ''}{text}")
    roots = [s for s in explanation.chain[:-1] if s.role in ("scheduled", "decision", "trigger")]
    if roots:
        lines += ["", "Set in motion by: " + "; ".join(
            f"#{s.event['id']} {s.event['kind']} ({s.role}"
            + (f" by {run.name(s.event['actor'])}" if s.event["actor"] else "") + ")"
            for s in roots)]
    return "\n".join(clean(line) for line in lines)  # event texts are data: no control codes
