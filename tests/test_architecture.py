"""The layering ARCHITECTURE.md describes, checked on the source: who may import whom, and no import circles."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("loket", "workers")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, *, module_level_only: bool) -> set[str]:
    """The project modules a file imports (`from a.b import c` counts a.b and a.b.c when that is a module)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    found = set()
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES and name in MODULES}


MODULES = {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def _imports_of(prefix: str, *, module_level_only: bool = False) -> dict[str, set[str]]:
    return {name: _imports(path, module_level_only=module_level_only)
            for name, path in MODULES.items() if name == prefix or name.startswith(prefix + ".")}


def _offences(importer_prefix: str, forbidden_prefixes: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {target}"
                  for module, targets in _imports_of(importer_prefix).items()
                  for target in targets
                  if any(target == f or target.startswith(f + ".") for f in forbidden_prefixes))


@pytest.mark.parametrize("layer, forbidden", [
    ("loket.models", ("loket.services", "loket.blueprints", "loket.jobs", "workers")),
    ("loket.services", ("loket.blueprints", "workers")),
    ("loket.formatting", ("loket.services", "loket.blueprints")),
    ("loket.jobs", ("loket.services", "loket.blueprints", "workers")),
    # Delivery direction: notifications -> outbox -> (by dotted path through loket.jobs) -> mail.
    ("loket.services.messaging.mail", ("loket.services.messaging.outbox", "loket.services.messaging.notifications")),
    ("loket.services.messaging.outbox", ("loket.services.messaging.mail", "loket.services.messaging.notifications")),
])
def test_layers_import_only_downwards(layer, forbidden):
    assert _offences(layer, forbidden) == []


def test_nothing_in_loket_imports_workers():
    """Web code enqueues jobs by dotted path; only the worker process imports the job modules."""
    assert _offences("loket", ("workers",)) == []


def test_services_never_read_the_request_or_the_logged_in_user():
    offenders = []
    for name, path in MODULES.items():
        if not name.startswith("loket.services"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login"):
                used = {alias.name for alias in node.names} & {"request", "session", "current_user", "g"}
                offenders += [f"{name} imports {node.module}.{u}" for u in sorted(used)]
    assert offenders == []


def find_cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every import circle found by a depth-first walk, as 'a -> b -> a'."""
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if target == node or _is_parent(target, node):
                continue  # `from loket.services.requests import workflow` names the package, not a cycle
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


def test_no_import_circles_between_modules():
    """Module-level imports form no cycle (a blueprint package importing its routes at the bottom is the
    one circle Flask's docs accept, so blueprint packages are left out)."""
    graph = {name: {t for t in targets if not _is_blueprint_package(t)}
             for name, targets in _imports_of("loket", module_level_only=True).items()
             if not _is_blueprint_package(name)}
    graph.update(_imports_of("workers", module_level_only=True))
    assert find_cycles(graph) == []


def test_the_cycle_check_would_notice_a_circle():
    """Guard: the walk reports a circle through three modules, and the reader sees real imports."""
    graph = {"loket.a": {"loket.b"}, "loket.b": {"loket.c"}, "loket.c": {"loket.a"}, "loket.d": {"loket.a"}}
    assert find_cycles(graph) == ["loket.a -> loket.b -> loket.c -> loket.a"]
    notifications = MODULES["loket.services.messaging.notifications"]
    assert "loket.services.messaging.outbox" in _imports(notifications, module_level_only=True)


def _is_blueprint_package(name: str) -> bool:
    parts = name.split(".")
    return len(parts) == 3 and parts[:2] == ["loket", "blueprints"] and MODULES[name].name == "__init__.py"


def _is_parent(candidate: str, module: str) -> bool:
    return module.startswith(candidate + ".") and candidate in MODULES and MODULES[candidate].name == "__init__.py"
