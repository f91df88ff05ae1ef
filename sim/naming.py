"""Names in words for event texts: actors, election laws, ministries and posts.

Pure functions of the world, so the engine, the behaviours (through `Context.name`), narration
and tests all name things the same way."""

from __future__ import annotations

from typing import Any


def actor_name(world: Any, actor: str | None) -> str:
    """An actor's display name; an id the world does not name ('sadrist_bloc') in words."""
    if actor is None:
        return "nobody"
    spec = world.actors.get(actor)
    if spec is not None:
        return str(spec.name)
    words = actor.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else actor


def post_name(world: Any, post: str) -> str:
    """A ministry or post in words: 'the Finance ministry', 'the governorship of Basra',
    'the CMC board'."""
    if post in world.ministries:
        return f"the {post} ministry"
    spec = world.posts.get(post)
    if spec is not None and spec.kind == "governorship" and spec.governorate:
        return f"the governorship of {spec.governorate}"
    common = {"oil", "the", "of", "and", "for", "land"}
    words = [w.upper() if len(w) <= 3 and w not in common else w
             for w in post.replace("_", " ").split()]
    return "the " + " ".join(words)


def law_name(world: Any, law: str) -> str:
    """An election law in words, for event texts: '2023_sl17' -> 'the 2023 law
    (Sainte-Laguë, first divisor 1.7)'; 'maliki_amendment' -> 'the Maliki amendment
    (D'Hondt)'.  Derived from the world's law entry, so new laws read well too."""
    spec = world.laws.get(law)
    year = law[:4] if law[:4].isdigit() else None
    words = law.replace("_", " ").strip()
    title = f"{year} law" if year else words[:1].upper() + words[1:]
    if spec is None:
        return f"the {title}"
    method = {"sainte-lague": "Sainte-Laguë", "dhondt": "D'Hondt", "hare": "Hare quota",
              "sntv": "SNTV"}.get(str(spec.method), str(spec.method))
    extra = [method]
    divisor = getattr(spec, "first_divisor", None)
    if divisor is not None and spec.method == "sainte-lague":
        extra.append(f"first divisor {getattr(divisor, 'value', divisor):g}")
    districts = getattr(spec, "districts", None)
    if getattr(spec, "districting", None) == "districts" and districts:
        extra.append(f"{getattr(districts, 'value', districts):g} districts")
    return f"the {title} ({', '.join(extra)})"
