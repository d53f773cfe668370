#!/usr/bin/env python3
"""Architecture figures for ARCHITECTURE.md and reviews (run from the repo
root, or pass a source dir): (1) `crate::` edges between top-level modules
of src/ and the cycles among them (strongly connected components of size >
1), (2) production functions over 80 lines (test modules excluded; a
function counts from its `fn` line to its closing brace at the same
indent), (3) a mutual-import check one level down (`a::b` <-> `a::c`)."""
import os, re, sys
from collections import defaultdict

root = sys.argv[1] if len(sys.argv) > 1 else "src"
LIMIT = 80

def modname(path, depth):
    rel = os.path.relpath(path, root)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return "::".join(rel[:depth]) if rel else "<root>"

def prod_lines(text):
    """Lines outside `#[cfg(test)]` modules."""
    out, skip, depth = [], False, 0
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "#[cfg(test)]" and i + 1 < len(lines) and re.match(r"\s*(pub(\(crate\))? )?mod \w+ \{", lines[i + 1]):
            indent = len(lines[i + 1]) - len(lines[i + 1].lstrip())
            i += 2
            while i < len(lines) and not (lines[i].startswith(" " * indent + "}") and len(lines[i]) - len(lines[i].lstrip()) == indent):
                i += 1
            i += 1
            continue
        out.append((i + 1, line))
        i += 1
    return out

files = []
for d, _, names in os.walk(root):
    for n in names:
        if n.endswith(".rs"):
            files.append(os.path.join(d, n))

for depth in (1, 2):
    edges = defaultdict(set)
    for f in files:
        src = modname(f, depth)
        text = open(f).read()
        for _, line in prod_lines(text):
            if line.lstrip().startswith("//"):
                continue  # doc links are no imports
            for m in re.finditer(r"crate::(\w+(?:::\w+)?)", line):
                parts = m.group(1).split("::")
                dst = "::".join(parts[:depth])
                if depth == 2 and len(parts) < 2:
                    continue
                if dst != src and dst.split("::")[0] == dst.split("::")[0]:
                    edges[src].add(dst)
            # `use super::x` inside a submodule
        for m in re.finditer(r"use crate::\{([^}]*)\}", text):
            for p in m.group(1).split(","):
                dst = "::".join(p.strip().split("::")[:depth])
                if dst and dst != src:
                    edges[src].add(dst)
    # Tarjan
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
    nodes = set(edges) | {d for v in edges.values() for d in v}
    sys.setrecursionlimit(10000)
    def strong(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strong(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))
    for v in sorted(nodes):
        if v not in index:
            strong(v)
    label = "top-level modules" if depth == 1 else "second-level modules"
    print(f"cycles between {label}: {len(sccs)}")
    for c in sccs:
        pairs = [f"{a}->{b}" for a in c for b in c if b in edges.get(a, ())]
        print("  ", " ".join(c), "|", ", ".join(pairs))

long = []
for f in files:
    lines = prod_lines(open(f).read())
    for k, (no, line) in enumerate(lines):
        m = re.match(r"^(\s*)(pub(\([^)]*\))? )?(async )?(const )?fn (\w+)", line)
        if not m or line.rstrip().endswith(";"):
            continue
        indent = m.group(1)
        for no2, l2 in lines[k + 1:]:
            if l2.startswith(indent + "}") and not l2.startswith(indent + " "):
                n = no2 - no + 1
                if n > LIMIT:
                    # a justification comment in the 3 lines above
                    above = "\n".join(l for _, l in lines[max(0, k - 4):k])
                    why = "why: " in above.lower() or "long because" in above.lower()
                    long.append((n, f"{os.path.relpath(f)}:{no}", m.group(6), why))
                break
long.sort(reverse=True)
print(f"production functions over {LIMIT} lines: {len(long)}"
      f" ({sum(1 for l in long if not l[3])} without a comment saying why)")
for n, where, name, why in long:
    print(f"  {n:4}  {name:32} {where}{'  (commented)' if why else ''}")
