"""No import cycles in server_api: a module never needs, however indirectly, a module that needs it.
(The layers themselves are import-linter's contracts in pyproject.toml; a cycle inside one layer
would pass those, so it is checked here.)"""

from __future__ import annotations

import grimp


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return cycles


def test_server_api_has_no_import_cycles():
    graph = grimp.build_graph("server_api")
    cycles = import_cycles(graph)
    described = []
    for group in cycles:
        first = group[0]
        chain = graph.find_shortest_chain(importer=first, imported=next(m for m in group if m != first))
        back = graph.find_shortest_chain(importer=chain[-1], imported=first)
        described.append(" -> ".join([*chain, *back[1:]]))
    assert cycles == [], "import cycles (break them by moving the shared name down a layer):\n" + "\n".join(
        described)


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.d"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")  # a -> b -> c -> a
    graph.add_import(importer="pkg.d", imported="pkg.a")  # d only leads into it
    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
