"""How far a careful human reader is from the recorded set's labels: each round's two blind
labeling passes (``benchmarks/label_passes/roundN.pass{A,B}.tsv``, kept as the labelers wrote
them) set against the resolved labels shipped in
``src/backbone/graders/labeled/recorded/smol-gemma-roundN.labels.tsv``. A turn counts as
agreeing when the two kinds give the same label (``KINDS``): "abandoned" and "hedged" are
both ``hedges``.

    .venv/bin/python benchmarks/label_ceiling.py

prints, per round and in all, how many turns each pass gave the final label and how many the
two passes agreed on. The resolution picks one of the two readings where they differ, so a
single pass's figure leans high; it is still the figure to set beside the grader's.
"""

from __future__ import annotations

from pathlib import Path

from backbone.graders.labeled.cases import KINDS

HERE = Path(__file__).parent
PASSES = HERE / "label_passes"
RECORDED = HERE.parent / "src" / "backbone" / "graders" / "labeled" / "recorded"


def read_kinds(path: Path) -> dict[str, str]:
    """Case id -> kind, from a ``kind<TAB>case id`` file (``#`` lines are notes)."""
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            kind, case_id = line.split("\t")[:2]
            out[case_id] = kind
    return out


def main() -> None:
    totals = {"A": [0, 0], "B": [0, 0], "A~B": [0, 0]}
    rounds = sorted({p.name.split(".")[0] for p in PASSES.glob("round*.pass*.tsv")})
    for name in rounds:
        resolved = read_kinds(RECORDED / f"smol-gemma-{name}.labels.tsv")
        a, b = (read_kinds(PASSES / f"{name}.pass{x}.tsv") for x in "AB")
        label = {case: KINDS[kind][0] for case, kind in resolved.items()}
        line = [name]
        for tag, got in (("A", a), ("B", b)):
            same = sum(KINDS[got[c]][0] == label[c] for c in label)
            totals[tag][0] += same
            totals[tag][1] += len(label)
            line.append(f"pass {tag} {same}/{len(label)}")
        both = sum(KINDS[a[c]][0] == KINDS[b[c]][0] for c in label)
        totals["A~B"][0] += both
        totals["A~B"][1] += len(label)
        line.append(f"passes agree {both}/{len(label)}")
        print("  ".join(line))
    one = (totals["A"][0] + totals["B"][0], totals["A"][1] + totals["B"][1])
    print(f"one pass gives the final label: {one[0]}/{one[1]} ({one[0] / one[1]:.1%})")
    agree = totals["A~B"]
    print(f"two passes agree: {agree[0]}/{agree[1]} ({agree[0] / agree[1]:.1%})")


if __name__ == "__main__":
    main()
