"""A run's random streams: `Model.rng` starts each from the uint32 words numpy would make of
`[seed, crc32(purpose)]`, so a stream is exactly `SeedSequence([seed, crc])`'s, for any seed."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import sim
from sim.compose import new_model
from sim.engine import uint32_words

ROOT = Path(__file__).resolve().parents[1]


@given(seed=st.integers(min_value=0, max_value=2**64 - 1),
       purpose=st.text(min_size=0, max_size=12))
def test_a_stream_is_the_seed_sequence_of_seed_and_purpose(seed: int, purpose: str) -> None:
    crc = zlib.crc32(purpose.encode())
    ours = np.random.SeedSequence(np.array(uint32_words(seed) + [crc], dtype=np.uint32))
    numpy_own = np.random.SeedSequence([seed, crc])
    assert ours.generate_state(8).tolist() == numpy_own.generate_state(8).tolist()


def test_uint32_words_are_little_endian_and_never_empty() -> None:
    assert uint32_words(0) == [0]
    assert uint32_words(5) == [5]
    assert uint32_words(2**32) == [0, 1]
    assert uint32_words(2**64 - 1) == [2**32 - 1, 2**32 - 1]


def test_the_model_draws_from_those_streams() -> None:
    model = new_model(sim.load_scenario(ROOT / "scenarios" / "baseline.yaml"), None, 7)
    expected = np.random.Generator(np.random.PCG64(
        np.random.SeedSequence([7, zlib.crc32(b"election")]))).random(5)
    assert model.rng("election").random(5).tolist() == expected.tolist()
