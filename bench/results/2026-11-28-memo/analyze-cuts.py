"""Reads the `A` lines that `analysis.diff` writes to stderr (MEMO_ANALYZE=1 gramc bench ...) and
prints, over the computed masks: how many repeat a mask their grammar computed before (hash with
EOS), how many a cut configuration of k frames could serve (valid cut met before, by an earlier
computed mask, within the same grammar), and how the repeats that no cut serves differ from the
first mask of their value.

Line format: A grammar config trieNodes steps hash accepting cut1:ok cut2:ok ... R top rules."""
import collections
import re
import sys

KS = [1, 2, 3, 4, 6, 8]


def parse(path):
    for line in open(path):
        if not line.startswith("A "):
            continue
        head, _, rules = line.rstrip("\n").partition(" R ")
        r = head.split()
        cuts = [tuple(map(int, x.split(":"))) for x in r[7:]]
        yield r[1], int(r[3]), r[5], cuts, rules


def tops(rules):
    return [p.split("<")[0] for p in rules.split(" | ")]


def main(path):
    seen_hash = collections.defaultdict(set)
    seen_cut = [collections.defaultdict(dict) for _ in KS]
    first = {}
    count, nodes = collections.Counter(), collections.Counter()
    kinds, kind_nodes = collections.Counter(), collections.Counter()
    for g, nd, h, cuts, rules in parse(path):
        repeat = h in seen_hash[g]
        count["computed masks"] += 1
        nodes["computed masks"] += nd
        if repeat:
            count["repeats"] += 1
            nodes["repeats"] += nd
        served = False
        for i, k in enumerate(KS):
            cut, ok = cuts[i]
            if cut < 0 or not ok:
                continue
            count[f"valid cut, k={k}"] += 1
            known = seen_cut[i][g].get(cut)
            if known is not None:
                assert known == h, "a valid cut served a different mask"
                count[f"served, k={k}"] += 1
                nodes[f"served, k={k}"] += nd
                served = True
            seen_cut[i][g][cut] = h
        if served:
            count["served at some k (oracle)"] += 1
            nodes["served at some k (oracle)"] += nd
        key = (g, h)
        if key in first and not served:
            fc, fr = first[key]
            if cuts[0][0] < 0 or fc[0][0] < 0:
                kind = "single-frame stacks only"
            elif fc[0][0] == cuts[0][0]:
                kind = "same top states, a token reaches the frames below"
            else:
                a = sorted({re.sub(r"@\d+", "", x) for x in tops(fr)})
                b = sorted({re.sub(r"@\d+", "", x) for x in tops(rules)})
                pos = lambda x: re.sub(r"\.o\d+", ".o#", re.sub(r"@\d+", "", x))
                shape = lambda x: re.sub(r"^[^.@]*", "D", pos(x))
                if a == b:
                    kind = "top states differ: same rules, other states of them"
                elif sorted(set(map(pos, tops(fr)))) == sorted(set(map(pos, tops(rules)))):
                    kind = "top states differ: same object, other member positions"
                elif set(map(pos, tops(rules))) < set(map(pos, tops(fr))) or set(map(pos, tops(fr))) < set(map(pos, tops(rules))):
                    kind = "top states differ: one kernel's positions a subset of the other's"
                elif sorted(set(map(shape, tops(fr)))) == sorted(set(map(shape, tops(rules)))):
                    kind = "top states differ: same shape, other definitions"
                else:
                    kind = "top states differ: other"
            kinds[kind] += 1
            kind_nodes[kind] += nd
        if key not in first:
            first[key] = (cuts, rules)
        seen_hash[g].add(h)
    for k in count:
        print(f"{k:34s} {count[k]:7d} {nodes[k]:10d}" if nodes[k] else f"{k:34s} {count[k]:7d}")
    print("repeats no cut serves, by how they differ from the first mask of their value:")
    for k in sorted(kinds, key=lambda x: -kind_nodes[x]):
        print(f"  {k:66s} {kinds[k]:6d} {kind_nodes[k]:10d}")


if __name__ == "__main__":
    main(sys.argv[1])
