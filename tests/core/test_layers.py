"""The apps are layers, and imports run one way: each app imports only from itself and
the apps below it, never from one above (not even inside a function)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. core: what every app shares; teams: units, accounts, teams; projects:
# leads, projects, funds; trips: outbound trips (they link leads); events: investment
# events and the signings at them; supervision: supervision orders (督办单) to units;
# ledgers: the import of older ledgers (written through the services of projects);
# targets: targets and
# progress (they count all of the above); reports: bulletins, reviews, the dashboard;
# work: each person's work queue, the notifications' pages and the daily digest (it reads
# every app's selectors); demo: the demo county, written through every app's services.
LAYERS = [
    "core",
    "teams",
    "projects",
    "trips",
    "events",
    "supervision",
    "ledgers",
    "targets",
    "reports",
    "work",
    "demo",
]


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The project apps a module imports, each with the line of its first import."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                found.setdefault(top, node.lineno)
    return set(found.items())


def test_every_app_imports_only_from_the_layers_below_it():
    upward = []
    for rank, app in enumerate(LAYERS):
        for path in sorted((ROOT / app).rglob("*.py")):
            for imported, line in imported_apps(path):
                if LAYERS.index(imported) > rank:
                    upward.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not upward, "imports that run up the layers:\n" + "\n".join(upward)


def module_imports(path: Path, package: str) -> set[str]:
    """The modules of `package` a module imports at its top level (run on import)."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith(package + "."):
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith(package + ".")}
    return names


def test_the_modules_of_core_import_each_other_without_a_circle():
    graph = {}
    for path in (ROOT / "core").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        graph[module] = module_imports(path, "core")

    def circle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            module, trail = stack.pop()
            for imported in graph.get(module, ()):
                if imported == start:
                    return [*trail, start]
                if imported not in trail:
                    stack.append((imported, [*trail, imported]))
        return None

    circles = [circle for module in graph if (circle := circle_from(module))]
    assert not circles, f"import circles in core: {circles[0]}"


def test_the_layer_test_sees_an_upward_import(tmp_path):
    # The check itself: a module of core importing from teams is found.
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from teams.models import Unit\n    return Unit\n")
    assert imported_apps(module) == {("teams", 2)}
