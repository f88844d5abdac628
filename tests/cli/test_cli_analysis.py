"""gaps, recommend and brokers through the command line, on seed files and on Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.dataset import Dataset, write_seed
from ccm_graph.store import Store

from ..conftest import SMALL_SEED


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_gaps_json_has_stable_keys() -> None:
    result = run("gaps", "--as-of", "2026-06-01", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert records, "the shipped seed has gaps"
    assert all(list(r) == ["kind", "level", "severity", "state", "subjects", "names", "summary",
                           "evidence", "next_step"] for r in records)  # fmt: skip
    severities = [r["severity"] for r in records]
    assert severities == sorted(severities, reverse=True)


def test_gaps_table_for_people_and_filters() -> None:
    result = run("gaps", "--as-of", "2026-06-01", "--kind", "no_coalition", "--min-level",
                 "medium")  # fmt: skip
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Support for States Parties with time-bound obligations")
    assert any(line.startswith("Synergy gaps as of 2026-06-01 (funding window 2023–2026)")
               for line in lines)  # fmt: skip
    assert "== Chad (TCD)" in lines
    assert "no_coalition: Chad (TCD)" in result.stdout
    assert "→ Ask Chad whether it wants international assistance" in result.stdout
    assert "→ Explore a Country Coalition with Lebanon" in result.stdout  # it asked
    assert "no_coalition: Germany" not in result.stdout  # funds its own clearance
    assert "obligation_coverage" not in result.stdout


def test_gaps_csv_flattens_lists() -> None:
    result = run("gaps", "--seed", str(SMALL_SEED), "--as-of", "2026-01-01", "--format", "csv")
    header, *rows = result.stdout.splitlines()
    assert header == "kind,level,severity,state,subjects,names,summary,evidence,next_step"
    assert any(row.startswith("no_coalition,") for row in rows)


def test_gaps_on_data_without_affected_states(tmp_path: Path) -> None:
    write_seed(Dataset(), tmp_path / "empty")
    result = run("gaps", "--seed", str(tmp_path / "empty"))
    assert result.exit_code == 0
    assert "nothing to analyse" in result.stdout
    result = run("gaps", "--seed", str(tmp_path / "empty"), "--format", "json")
    assert json.loads(result.stdout) == []


def test_support_formats_name_the_window() -> None:
    table = run("support", "--as-of", "2026-02-27")
    assert table.exit_code == 0, table.output
    assert "supporters and funding recorded in 2023–2026" in table.stdout.splitlines()[0]
    md = run("support", "--as-of", "2026-02-27", "--format", "md").stdout.splitlines()
    assert md[0].startswith("*Support for States Parties") and "2023–2026" in md[0]
    assert md[2].startswith("| State | Article | Deadline | Status |")
    # "markdown" is the same format under the name `diff` uses
    assert run("support", "--as-of", "2026-02-27", "--format", "markdown").stdout.splitlines() == md
    records = json.loads(run("support", "--as-of", "2026-02-27", "--format", "json").stdout)
    assert {r["window"] for r in records} == {"2023–2026"}
    lao = next(r for r in records if r["state"] == "LAO")
    assert lao["funding"] == "USD 49,253,453" and lao["funding_unknown_amounts"] == 0
    csv_lines = run("support", "--as-of", "2026-02-27", "--window", "1", "--format",
                    "csv").stdout.splitlines()  # fmt: skip
    assert csv_lines[0].startswith("state,name,articles,obligations,status,deadline,")
    assert all(line.endswith(",2025,2026,2026-02-27") for line in csv_lines[1:])


def test_support_on_data_without_obligations(tmp_path: Path) -> None:
    write_seed(Dataset(), tmp_path / "empty")
    result = run("support", "--seed", str(tmp_path / "empty"), "--format", "md")
    assert result.exit_code == 0 and "No State Party" in result.stdout
    assert json.loads(run("support", "--seed", str(tmp_path / "empty"), "--format",
                          "json").stdout) == []  # fmt: skip


def test_recommend_explains_its_scores() -> None:
    result = run("recommend", "TCD", "--as-of", "2026-06-01", "--top", "5", "--explain")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(
        "Candidate donors, operators and technical partners for Chad (TCD)"
    )
    assert "path: NOR → mag → TCD" in result.stdout
    data = json.loads(run("recommend", "LBN", "--as-of", "2026-06-01", "--format", "json",
                          "--explain").stdout)  # fmt: skip
    assert len(data) == 10
    first = data[0]
    assert list(first) == ["target", "candidate", "name", "kind", "role", "band", "score",
                           "reasons", "parts"]  # fmt: skip
    assert sum(p["points"] for p in first["parts"]) == pytest.approx(first["score"])
    assert all("paths" in p for p in first["parts"])


def test_recommend_by_role_with_exclusions_and_bands() -> None:
    result = run("recommend", "Lao PDR", "--as-of", "2026-06-01", "--role", "donor",
                 "--exclude", "NLD,CHE", "--exclude", "Sweden")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Candidate donors for Lao People's Democratic Republic (LAO)" in result.stdout
    assert "(support or CCM funding recorded in 2023–2026, or support undated), so left out:" in (
        result.stdout
    )
    assert not {"(NLD,", "(CHE,", "(SWE,"} & set(result.stdout.split())
    assert "score" not in result.stdout  # bands for people; the number stays in JSON
    assert any(band in result.stdout for band in ("STRONG", "MEDIUM", "WEAK"))
    records = json.loads(run("recommend", "LAO", "--as-of", "2026-06-01", "--role", "donor",
                             "--format", "json").stdout)  # fmt: skip
    assert {r["role"] for r in records} == {"donor"}
    assert all(r["target"] == "LAO" for r in records)
    chad = run("recommend", "Chad", "--as-of", "2026-06-01", "--format", "csv")
    assert chad.exit_code == 0 and chad.stdout.startswith(
        "rank,candidate,name,kind,role,band,score,parts,reasons"
    )


@pytest.mark.parametrize(
    ("target", "why", "then"),
    [("BEN", "Benin (BEN) has no time-bound obligation",
      "(Article 3 stockpile destruction or Article 4 clearance) recorded in the data "
      "(data as of 2026-02-27)"),
     ("USA", "United States of America (USA) has not joined the Convention (data as of "
             "2026-02-27)",
      "What the Convention asks of United States of America is to join it (universalization)"),
     ("LTU", "Lithuania (LTU) has withdrawn from the Convention",
      "none is pitched to a State that has left it"),
     ("CHE", "every time-bound obligation of Switzerland (CHE) is recorded as completed",
      "says what worked")],
)  # fmt: skip
def test_recommend_for_a_state_with_no_obligation_says_so(target: str, why: str,
                                                          then: str) -> None:  # fmt: skip
    result = run("recommend", target, "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"No partners proposed: {why}")
    assert then in result.stdout
    assert "STRONG" not in result.stdout and "donor:" not in result.stdout
    as_json = run("recommend", target, "--as-of", "2026-06-01", "--format", "json")
    assert json.loads(as_json.stdout) == []
    assert as_json.stderr.startswith(f"No partners proposed: {why}")


def test_recommend_unknown_id_exits_1_with_suggestions() -> None:
    result = run("recommend", "Lebanonn")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no actor or coalition 'Lebanonn'; did you mean 'LBN'?"


def test_recommend_for_an_operator_exits_1() -> None:
    result = run("recommend", "halo-trust")
    assert result.exit_code == 1
    assert "recommendations are for a State or a coalition" in result.stderr


def test_brokers_table_and_json() -> None:
    result = run("brokers", "--top", "3")
    assert result.exit_code == 0
    assert result.stdout.startswith("Brokers: who connects the network")
    assert "Clusters (Louvain communities)" in result.stdout
    brokers = json.loads(run("brokers", "--format", "json").stdout)
    assert len(brokers) == 10 and brokers[0]["betweenness"] >= brokers[-1]["betweenness"]
    clusters = json.loads(run("brokers", "--format", "json", "--communities").stdout)
    assert clusters == json.loads(run("brokers", "--format", "json", "--communities").stdout)
    assert all(c["size"] >= 2 for c in clusters)


def test_bad_as_of_is_a_usage_error() -> None:
    result = run("gaps", "--as-of", "June 2026")
    assert result.exit_code == 2


def test_analysis_from_neo4j_matches_seed(neo4j_env: dict, store: Store) -> None:
    assert run("load", "--seed", str(SMALL_SEED)).exit_code == 0
    args = ["--as-of", "2026-01-01", "--format", "json"]
    from_seed = run("gaps", "--seed", str(SMALL_SEED), *args).stdout
    from_neo4j = run("gaps", "--from", "neo4j", *args).stdout
    assert json.loads(from_neo4j) == json.loads(from_seed)
    rec = run("recommend", "LAO", "--from", "neo4j", *args)
    assert rec.exit_code == 0
    assert json.loads(rec.stdout) == json.loads(
        run("recommend", "LAO", "--seed", str(SMALL_SEED), *args).stdout
    )


def test_debug_shows_the_real_exception() -> None:
    from ccm_graph.errors import UnknownRecord

    result = CliRunner().invoke(cli, ["--debug", "recommend", "Lebanonn"])
    assert isinstance(result.exception, UnknownRecord)
    assert result.exception.suggestions == ["LBN"]
