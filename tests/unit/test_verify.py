"""The "to verify" queue: each kind of item, from the data alone."""

from __future__ import annotations

from datetime import date

from ccm_graph.analysis.verify import ITEM_KINDS, to_verify
from ccm_graph.coverage import Coverage, FundingCoverage, YearWindow
from ccm_graph.dataset import Dataset, read_seed
from ccm_graph.i18n import voice
from ccm_graph.metadata import DatasetInfo
from ccm_graph.schema import Evidence, Obligation

from ..conftest import ROOT

AS_OF, TODAY = date(2026, 2, 27), date(2026, 12, 7)


def ob(ident: str = "ob-X-4", **fields: object) -> Obligation:
    values: dict[str, object] = {"state": "X", "article": 4, "deadline": "2030-01-01",
                                 "status": "open", "source": "s", **fields}  # fmt: skip
    return Obligation(ident, **values)  # type: ignore[arg-type]


def kinds(*obligations: Obligation, info: DatasetInfo | None = None) -> list[tuple[str, str]]:
    data = Dataset(obligations=list(obligations), info=info or DatasetInfo())
    return [(i.kind, i.record) for i in to_verify(data, as_of=AS_OF, today=TODAY)]


def test_an_unrecorded_or_pending_decision_is_to_verify_a_granted_one_is_not() -> None:
    asked = {"extension_requested": "2025", "original_deadline": None}
    found = kinds(ob("ob-A-4", request_outcome="not_recorded", **asked),
                  ob("ob-B-4", request_outcome="pending", **asked),
                  ob("ob-C-4", request_outcome="granted", **asked))  # fmt: skip
    assert ("decision", "ob-A-4") in found and ("decision", "ob-B-4") in found
    assert ("decision", "ob-C-4") not in found


def test_a_passed_deadline_says_whether_it_passed_after_the_data_date() -> None:
    after = ob("ob-A-4", deadline="2026-06-01")
    before = ob("ob-B-4", deadline="2025-08-01")
    done = ob("ob-C-4", deadline="2025-08-01", status="completed", completed="2025")
    future = ob("ob-D-4", deadline="2027-01-01")
    data = Dataset(obligations=[after, before, done, future])
    found = to_verify(data, as_of=AS_OF, today=TODAY)
    items = {i.record: i for i in found if i.kind == "deadline"}
    assert sorted(items) == ["ob-A-4", "ob-B-4"]
    assert "after the data's date" in str(items["ob-A-4"].reason)
    assert "no completion or new deadline" in str(items["ob-B-4"].reason)
    assert "deadline" in items["ob-A-4"].fields and "granted_by" in items["ob-A-4"].fields


def test_facts_without_evidence_and_indicative_ones() -> None:
    record = ob("ob-A-4", original_deadline="2020-01-01", extensions=1, status="extended",
                granted_by="2RC")  # fmt: skip
    bare = [i for i in to_verify(Dataset(obligations=[record]), as_of=AS_OF, today=TODAY)
            if i.kind == "unsupported"]  # fmt: skip
    assert len(bare) == 1
    assert "deadline, original_deadline, extension.1.granted_by" in str(bare[0].reason)
    quoted = [
        Evidence("ob-A-4", f, v, "quoted", "https://x", "2025", v)
        for f, v in (("deadline", "2030-01-01"), ("extension.1.granted_by", "2RC"))
    ]
    indicative = Evidence("ob-A-4", "original_deadline", "2020-01-01", "indicative", note="n")
    data = Dataset(obligations=[record], evidence=[*quoted, indicative])
    found = to_verify(data, as_of=AS_OF, today=TODAY)
    assert [(i.kind, i.fields) for i in found] == [("indicative", ("original_deadline",))]
    assert "indicative" in found[0].reason.render(voice("en"))


def test_funding_coverage_that_ends_before_this_year() -> None:
    windows = (("IRQ", YearWindow(2010, 2023)), ("LAO", YearWindow(2012, 2026)),
               ("KHM", YearWindow(2012)))  # fmt: skip
    info = DatasetInfo(coverage=Coverage(FundingCoverage(recipients=windows), stated=True))
    assert kinds(info=info) == [("coverage", "IRQ")]
    assert kinds() == []  # no coverage stated: nothing known to end


def test_the_shipped_seed_queue_is_ordered_by_kind_and_worded_in_three_languages() -> None:
    data = read_seed(ROOT / "seed")
    items = to_verify(data, as_of=AS_OF, today=TODAY)
    assert items and {i.kind for i in items} >= {"decision", "deadline"}
    ranks = [ITEM_KINDS.index(i.kind) for i in items]
    assert ranks == sorted(ranks)
    assert len({i.key for i in items}) == len(items)
    french = items[0].reason.render(voice("fr"))
    assert french != items[0].reason.render(voice("en")) and "prolongation" in french
