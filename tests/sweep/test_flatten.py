from sim.sweep.flatten import column_order, flatten, is_outcome


def test_flatten_summary():
    row = flatten({
        "scenario": "x", "seed": 1, "parameters": {"a": 1}, "history": [{"day": 0}],
        "seats": {"sadrists": 73, "sol": 30}, "prime_minister": None,
        "government": ["sol", "badr"], "elections": [{"day": 1}, {"day": 2}],
        "posts": {"cmc_board": "aah", "imn": None}, "casualties": 30,
    })
    assert row == {
        "seats.sadrists": 73, "seats.sol": 30, "prime_minister": None,
        "government": "sol,badr", "government.size": 2, "elections.size": 2,
        "posts.cmc_board": "aah", "posts.imn": None, "casualties": 30,
    }


def test_column_order_is_fixed():
    cols = ["worker", "seats.b", "status", "param.z", "seats.a", "run_id", "param.a", "seed"]
    assert column_order(cols, ["z", "a"]) == [
        "run_id", "seed", "param.z", "param.a", "status", "seats.a", "seats.b", "worker"]
    assert is_outcome("seats.a") and not is_outcome("param.a") and not is_outcome("elapsed_s")
