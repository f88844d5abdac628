"""What refuses a query that touches a workbench account: its plan, and its result's values."""

from __future__ import annotations

import pytest

from ccm_graph.accounts import hash_password
from ccm_graph.store.accounts_guard import (
    ACCOUNTS_REFUSED,
    AccountFragments,
    plan_account_problem,
)


def plan(*details: str) -> dict:
    """A plan of one operator per detail, each the child of the one before."""
    node: dict = {}
    for detail in reversed(details):
        node = {"operatorType": "X@neo4j", "args": {"Details": detail},
                "children": [node] if node else []}  # fmt: skip
    return node


@pytest.mark.parametrize(
    "details",
    ["a:Account", "n:Actor|Account", "n:`Account`", "n:!Account", "n:Actor&Account",
     "n.hash AS h", "n.`hash` AS `n.``hash```", "substring(n.hash, $autoint_1) AS x",
     "RANGE INDEX foo FOR (:Account) ON (x)", "n{hash: n.hash, name: n.name} AS n"],
)  # fmt: skip
def test_a_plan_that_names_the_label_or_a_hash_is_refused(details: str) -> None:
    assert plan_account_problem(plan("`n`", details, "AllNodesScan n")) == ACCOUNTS_REFUSED


@pytest.mark.parametrize(
    "details",
    ["n:Actor", "n:Accountant", "$autostring_0 IN labels(n)", "n.hashtag AS t", "Account AS a",
     "n.name AS hash", "{Account: $autoint_0} AS m"],
)  # fmt: skip
def test_a_plan_of_data_passes(details: str) -> None:
    assert plan_account_problem(plan(details, "AllNodesScan n")) is None
    assert plan_account_problem(None) is None


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_password("a long enough passphrase")


@pytest.fixture(scope="module")
def fragments(stored: str) -> AccountFragments:
    secret = "$".join(stored.split("$")[-2:])
    pieces = {secret[i : i + 8] for i in range(len(secret) - 7)}
    return AccountFragments(frozenset({"4:abc:7"}), frozenset(pieces))


def test_any_piece_of_a_hash_anywhere_in_a_result_is_refused(fragments, stored) -> None:
    salt_and_digest = stored.rsplit("$", 2)
    for value in (stored, stored[1:], stored[20:60], salt_and_digest[1][3:11],
                  salt_and_digest[1][-4:] + "$" + salt_and_digest[2][:4], [[{"k": stored[40:]}]],
                  {stored[-9:]: 1}, "text before $argon2id$v=19 and after"):  # fmt: skip
        assert fragments.problem(iter([1, value])) == ACCOUNTS_REFUSED, value


def test_values_of_data_pass(fragments) -> None:
    values = ["Lao People's Democratic Republic", "coal-mne", 2024, None, 1.5, True,
              ["NLD", "CHE"], {"name": "Norway", "amount_usd": 1500000}]  # fmt: skip
    assert fragments.problem(iter(values)) is None
    assert AccountFragments(frozenset(), frozenset()).problem(iter(values)) is None
