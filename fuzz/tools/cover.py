#!/usr/bin/env python3
"""Rebuilds the committed corpus fuzz/corpus/TARGET from the working corpus.

usage (from the repository root, after `cargo xtask fuzz TARGET` built and ran it):
    python3 fuzz/tools/cover.py TARGET [--cap 50]

libFuzzer's own minimization (`cargo fuzz cmin`, `-merge=1`) keeps every input that adds
a feature, hundreds per target here; the committed corpus is capped instead. This runs
the target's binary with `-set_cover_merge=1 -use_counters=0` over the seeds, the
provider's fixtures, the committed corpus and the working corpus, which writes every
input's full set of coverage edges to a control file, then greedily takes the input
adding the most edges not already covered by the seeds and fixtures (which every run
reads anyway), the smaller on a tie, until nothing is gained or CAP are taken. It prints
how many edges the cap leaves out; FUZZING.md records that per target.
"""
import os
import shutil
import subprocess
import sys
import tempfile

BINARIES = "fuzz/target/x86_64-unknown-linux-gnu/release"


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    target = args[0]
    cap = int(args[args.index("--cap") + 1]) if "--cap" in args else 50
    provider = target.split("_")[0]
    bases = [
        d
        for d in (f"fuzz/seeds/{target}", f"crates/pagos-{provider}/tests/fixtures")
        if os.path.isdir(d)
    ]
    corpus = f"fuzz/corpus/{target}"
    sources = bases + [
        d for d in (corpus, f"fuzz/target/corpus/{target}") if os.path.isdir(d)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out, control = os.path.join(tmp, "out"), os.path.join(tmp, "control")
        os.mkdir(out)
        subprocess.run(
            [f"{BINARIES}/{target}", "-set_cover_merge=1", "-use_counters=0",
             f"-merge_control_file={control}", out, *sources],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        lines = open(control).read().split("\n")
        count = int(lines[0])
        files = lines[2 : 2 + count]
        edges = {}
        for line in lines[2 + count :]:
            # In set-cover mode an `FT i f…` line lists every feature of input i; with
            # -use_counters=0 a feature is one edge.
            if line.startswith("FT "):
                parts = line.split()
                edges[int(parts[1])] = {int(f) for f in parts[2:]}
        covered, candidates, seen = set(), [], set()
        for i, path in enumerate(files):
            if any(path.startswith(b + "/") for b in bases):
                covered |= edges.get(i, set())
                continue
            with open(path, "rb") as f:
                content = f.read()
            if content not in seen:
                seen.add(content)
                candidates.append((path, edges.get(i, set()), content))
        total = set(covered).union(*(e for _, e, _ in candidates))
        base = len(covered)
        chosen = []
        while len(chosen) < cap and candidates:
            best = max(candidates, key=lambda c: (len(c[1] - covered), -len(c[2])))
            if not best[1] - covered:
                break
            chosen.append(best)
            covered |= best[1]
            candidates.remove(best)
        # Replace only now: the committed corpus was one of the sources.
        shutil.rmtree(corpus, ignore_errors=True)
        os.makedirs(corpus)
        for path, _, content in chosen:
            with open(os.path.join(corpus, os.path.basename(path)), "wb") as f:
                f.write(content)
    print(
        f"{target}: seeds and fixtures cover {base} edges; kept {len(chosen)} inputs "
        f"({sum(len(c) for _, _, c in chosen)} bytes) covering {len(covered)} of "
        f"{len(total)} edges ({len(total) - len(covered)} left out by the cap)"
    )


if __name__ == "__main__":
    main()
