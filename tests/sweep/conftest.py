import pandas as pd
import pytest

from sim.sweep.flatten import TRAILING


def same_table(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal apart from the timing and host columns."""
    pd.testing.assert_frame_equal(a.drop(columns=list(TRAILING)), b.drop(columns=list(TRAILING)))


@pytest.fixture
def toy_kw():
    from tests.sweep import fakes

    return {"runner": fakes.toy_run, "hasher": fakes.toy_hash}
