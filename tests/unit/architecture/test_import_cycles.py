"""No module of packdesk imports itself back through others; a loop fails naming its modules.

Imports inside functions count (they run when the function does); imports under
`TYPE_CHECKING` do not: they name a type for the type checker and never run.
"""

from __future__ import annotations

import grimp
import pytest


def import_loops(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each group of modules that import one another (Tarjan's strongly connected
    components), written as one loop through them: `a -> b -> c -> a`."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        # Depth-first, without recursion: a long chain of imports must not hit the limit.
        work = [(module, iter(edges.get(module, [])))]
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        while work:
            node, successors = work[-1]
            step = next(successors, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(edges.get(step, []))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in edges:
        if module not in index:
            visit(module)
    return [_loop_through(graph, group) for group in sorted(groups)]


def _loop_through(graph: grimp.ImportGraph, group: list[str]) -> list[str]:
    """The shortest loop from the group's first module back to itself."""
    start = group[0]
    best: tuple[str, ...] | None = None
    for first in graph.find_modules_directly_imported_by(start):
        if first not in group:
            continue
        chain = graph.find_shortest_chain(importer=first, imported=start)
        if chain is not None and (best is None or len(chain) < len(best)):
            best = chain
    assert best is not None
    return [start, *best]


def describe(loops: list[list[str]]) -> str:
    return "Import loops:\n" + "\n".join(" -> ".join(loop) for loop in loops)


@pytest.fixture(scope="module")
def loops() -> list[list[str]]:
    return import_loops(grimp.build_graph("packdesk", exclude_type_checking_imports=True))


def test_no_import_loops(loops: list[list[str]]) -> None:
    assert loops == [], describe(loops)


def test_a_loop_is_found_and_named() -> None:
    graph = grimp.ImportGraph()
    for module in ("app", "app.a", "app.b", "app.c", "app.d"):
        graph.add_module(module)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.c")
    graph.add_import(importer="app.c", imported="app.a")
    graph.add_import(importer="app.c", imported="app.d")
    assert import_loops(graph) == [["app.a", "app.b", "app.c", "app.a"]]
    assert describe(import_loops(graph)).endswith("app.a -> app.b -> app.c -> app.a")
