"""The state keeps its own copy of what events carry (`sim.state.plain_copy`)."""

from __future__ import annotations

import copy

import numpy as np

from sim.state import plain_copy


def test_plain_copy_equals_deepcopy_and_shares_nothing_mutable() -> None:
    record = {"day": 12.5, "law": "2023_sl17", "formed": True, "pm": None,
              "seats": {"sol": 40, "kdp": 31}, "rows": [["a", "b", 0.25], ("c", "d", -0.5)],
              "governorates": {"Basra": {"votes": {"sol": 1200}}}, "weight": np.float64(0.5)}
    copied = plain_copy(record)
    assert copied == copy.deepcopy(record) == record
    copied["seats"]["sol"] = 0
    copied["rows"][0][2] = 1.0
    copied["governorates"]["Basra"]["votes"]["sol"] = 0
    assert record["seats"]["sol"] == 40 and record["rows"][0][2] == 0.25
    assert record["governorates"]["Basra"]["votes"]["sol"] == 1200
    assert type(copied["weight"]) is np.float64  # not plain data: deep-copied as before
