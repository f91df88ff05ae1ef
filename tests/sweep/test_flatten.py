from sim.sweep.flatten import column_order, flatten, history_rows, is_outcome


def test_flatten_summary():
    row = flatten({
        "scenario": "x", "seed": 1, "parameters": {"a": 1}, "history": [{"day": 0}],
        "seats": {"sadrists": 73, "sol": 30}, "prime_minister": None,
        "government": ["sol", "badr"], "elections": [{"day": 1}, {"day": 2}],
        "posts": {"cmc_board": "aah", "imn": None}, "casualties": 30,
    })
    assert row == {
        "seats.sadrists": 73, "seats.sol": 30, "prime_minister": None,
        "government": ["sol", "badr"], "government.size": 2, "elections.size": 2,
        "posts.cmc_board": "aah", "posts.imn": None, "casualties": 30,
        "in_government.sadrists": False, "in_government.sol": True, "in_government.badr": True,
    }


def test_indicators_sets_and_safe_names():
    row = flatten({
        "prime_minister": "al-sudani", "prime_minister_party": "sudani",
        "election_law": "2023_sl17", "government": [], "seats": {"sol": 1},
        "alliances": [["aah", "sol"], ["aah", "sudani"]], "formation": None,
        "ministries": {"Construction and Housing": "puk", "Oil (federal)": "sol"},
        "government_formed": False, "caretaker": True, "days_to_government": None,
    })
    assert row["pm.al-sudani"] is True and row["pm_party.sudani"] is True
    assert row["law.2023_sl17"] is True and row["in_government.sol"] is False
    assert row["alliances"] == ["aah+sol", "aah+sudani"] and row["alliances.size"] == 2
    assert "formation" not in row and row["government"] == []
    assert row["ministries.Construction_and_Housing"] == "puk"
    assert row["ministries.Oil_federal"] == "sol"
    assert row["caretaker"] is True and row["days_to_government"] is None
    assert not [c for c in row if " " in c]


def test_history_rows_are_long():
    dates, variables, values = history_rows([
        {"day": 0, "date": "2024-06-01", "seats": {"sol": 40}, "casualties": 0,
         "relationships": [["a", "b", 0.5]]},
        {"day": 30, "date": "2024-07-01", "seats": {"sol": 41}, "casualties": 3},
    ])
    assert list(zip(dates, variables, values, strict=True)) == [
        ("2024-06-01", "seats.sol", 40.0), ("2024-06-01", "casualties", 0.0),
        ("2024-07-01", "seats.sol", 41.0), ("2024-07-01", "casualties", 3.0)]


def test_column_order_is_fixed():
    cols = ["worker", "seats.b", "status", "param.z", "seats.a", "run_id", "param.a", "seed"]
    assert column_order(cols, ["z", "a"]) == [
        "run_id", "seed", "param.z", "param.a", "status", "seats.a", "seats.b", "worker"]
    assert is_outcome("seats.a") and not is_outcome("param.a") and not is_outcome("elapsed_s")


def test_a_caretaker_cabinet_puts_nobody_in_government():
    base = {"seats": {"sol": 40, "badr": 20, "sadrists": 70}, "government": ["sol", "badr"]}
    caretaker = flatten({**base, "government_formed": False, "caretaker": True})
    formed = flatten({**base, "government_formed": True, "caretaker": False})
    fell = flatten({**base, "government_formed": True, "caretaker": True})  # formed, then fell
    old = flatten({**base, "caretaker": True})  # a summary without government_formed
    for party in ("sol", "badr", "sadrists"):
        assert caretaker[f"in_government.{party}"] is False
        assert old[f"in_government.{party}"] is False
    assert formed["in_government.sol"] and formed["in_government.badr"]
    assert fell["in_government.sol"] and not formed["in_government.sadrists"]
    assert caretaker["government"] == ["sol", "badr"]  # the cabinet itself is still reported


def test_history_snapshots_are_compact_and_skip_text_and_flags():
    from sim.sweep.flatten import history_snapshots

    dates, labels, values = history_snapshots([
        {"day": 0, "date": "2024-06-01", "seats": {"sol": 40, "aah": 10}, "pm": "sol",
         "flags": {"a": True, "b": 2}, "casualties": 0},
        {"day": 30, "date": "2024-07-01", "seats": {"sol": 41, "aah": 9}, "pm": "sol",
         "flags": {"a": False, "b": 3}, "casualties": 3},
        {"day": 60, "date": "2024-08-01", "pm": "sol"},  # nothing to plot: left out
    ])
    assert dates == ["2024-06-01", "2024-07-01"]
    assert labels[0] == ("seats.sol", "seats.aah", "flags.b", "casualties")
    assert labels[1] is labels[0]  # one tuple for every snapshot of the same variables
    assert list(values) == [40, 10, 2, 0, 41, 9, 3, 3]
