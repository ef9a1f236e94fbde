"""The apps form one-way layers, and no module imports itself back through others.

LAYERS lists the portal's apps bottom first. An app may import only apps listed before it; two
apps may never import each other; and inside an app the modules import each other without a
cycle. Imports inside functions count too: a deferred import is still a dependency.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

# Bottom first. Feature apps (assistant, payments, sync, feedback) go between stats and portal.
LAYERS = [
    "outbox",
    "procedures",
    "onestop",
    "accounts",
    "dossiers",
    "stats",
    "assistant",
    "feedback",
    "payments",
    "sync",
    "ioc",
    "portal",
]
SKIPPED_DIRS = {"migrations", "__pycache__"}


def _modules(root: Path, app: str) -> dict[str, Path]:
    """Dotted module name -> file, for every Python file of the app outside its migrations."""
    found = {}
    for path in sorted((root / app).rglob("*.py")):
        if SKIPPED_DIRS & set(path.relative_to(root).parts):
            continue
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported_modules(path: Path, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Every module named by an import statement in the file, relative imports resolved.

    `from pkg import name` counts `pkg.name` when that is a module, else `pkg` itself: importing
    a submodule runs its package's `__init__` anyway, for every module of the package alike."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.add(submodule if submodule in known else base)
    return names


def import_graph(root: Path, apps: list[str]) -> dict[str, set[str]]:
    """Module -> the modules of the given apps that it imports."""
    modules: dict[str, Path] = {}
    for app in apps:
        modules.update(_modules(root, app))
    known = set(modules)
    graph = {}
    for module, path in modules.items():
        imported = _imported_modules(path, module, path.name == "__init__.py", known)
        graph[module] = {name for name in imported if name in known and name != module}
    return graph


def layer_violations(graph: dict[str, set[str]], layers: list[str]) -> list[str]:
    """'a.x imports b.y' for each import of an app from a higher (or unlisted) layer."""
    rank = {app: index for index, app in enumerate(layers)}
    found = []
    for module, imported in sorted(graph.items()):
        source = module.split(".")[0]
        for target in sorted(imported):
            app = target.split(".")[0]
            if app != source and rank.get(app, len(layers)) > rank.get(source, -1):
                found.append(f"{module} imports {target}")
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of nodes (first repeated last), or None."""
    visiting: list[str] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        visiting.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*visiting[visiting.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        visiting.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def app_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    apps: dict[str, set[str]] = {}
    for module, imported in graph.items():
        source = module.split(".")[0]
        apps.setdefault(source, set()).update(
            t.split(".")[0] for t in imported if t.split(".")[0] != source
        )
    return apps


@pytest.fixture(scope="module")
def portal_graph() -> dict[str, set[str]]:
    return import_graph(Path(settings.BASE_DIR), LAYERS)


def test_layers_list_every_app_of_the_project_when_compared_with_installed_apps():
    own = [app for app in settings.INSTALLED_APPS if (Path(settings.BASE_DIR) / app).is_dir()]
    assert own == LAYERS, "keep LAYERS and INSTALLED_APPS in the same (bottom-first) order"


def test_apps_import_only_lower_layers_when_the_tree_is_scanned(portal_graph):
    assert layer_violations(portal_graph, LAYERS) == []


def test_apps_never_import_each_other_when_the_tree_is_scanned(portal_graph):
    assert find_cycle(app_graph(portal_graph)) is None


def test_modules_of_an_app_form_no_cycle_when_the_tree_is_scanned(portal_graph):
    assert find_cycle(portal_graph) is None


def private_imports(root: Path, apps: list[str]) -> list[str]:
    """'module imports other._name' for each underscore name taken from another module."""
    found = []
    for app in apps:
        for module, path in _modules(root, app).items():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom):
                    continue
                if node.level == 0 and (node.module or "").split(".")[0] not in apps:
                    continue
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{module} imports {node.module}.{alias.name}")
    return found


def test_modules_import_only_public_names_when_the_tree_is_scanned():
    assert private_imports(Path(settings.BASE_DIR), LAYERS) == []


def test_private_imports_names_a_planted_private_import_when_one_module_borrows_another(tmp_path):
    _plant(
        tmp_path,
        {
            "stats/__init__.py": "",
            "stats/legs.py": "def _extend():\n    pass\n",
            "stats/services.py": "from stats.legs import _extend\n",
        },
    )
    assert private_imports(tmp_path, ["stats"]) == ["stats.services imports stats.legs._extend"]


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_layer_violations_names_a_planted_upward_import_when_a_lower_app_reaches_up(tmp_path):
    _plant(
        tmp_path,
        {
            "procedures/__init__.py": "",
            "procedures/models.py": "",
            # Planted: the catalog reaching up to the statistics, inside a function.
            "procedures/views.py": "def page():\n    from stats.selectors import figures\n",
            "stats/__init__.py": "",
            "stats/selectors.py": "from procedures import models\n",
        },
    )
    graph = import_graph(tmp_path, ["procedures", "stats"])
    assert layer_violations(graph, ["procedures", "stats"]) == [
        "procedures.views imports stats.selectors"
    ]
    assert find_cycle(app_graph(graph)) == ["procedures", "stats", "procedures"]


def test_find_cycle_names_the_circle_when_modules_of_one_app_import_each_other(tmp_path):
    _plant(
        tmp_path,
        {
            "stats/__init__.py": "from stats.services import refresh\n",
            "stats/services.py": "def refresh():\n    from stats.tasks import refresh_task\n",
            "stats/tasks.py": "from . import services\n",
        },
    )
    cycle = find_cycle(import_graph(tmp_path, ["stats"]))
    assert cycle == ["stats.services", "stats.tasks", "stats.services"]
