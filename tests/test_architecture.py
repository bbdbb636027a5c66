"""The layering of docs/architecture.md, read from the code's imports with `ast`.

1. Nothing under pioneer/search/ imports a page package.
2. pioneer/models/ imports no page package, nor search, the importer or mail.
3. No page package imports another page package (its views, forms, queries or anything else).
Also: every page package has the same shape (bp in __init__.py, views in views.py), and the domain
layer imports nothing above it.
"""

import ast
import importlib
from pathlib import Path

import pytest

from pioneer import PAGE_PACKAGES

PACKAGE = Path(__file__).resolve().parent.parent / "pioneer"
ABOVE_THE_DOMAIN = {*PAGE_PACKAGES, "search", "importer", "demo", "mail", "cli", "errors", "templating", "access"}


def modules_under(folder):
    return sorted(path for path in (PACKAGE / folder).rglob("*.py") if "migrations" not in path.parts)


def imported_modules(path):
    """The pioneer modules a file imports, as dotted names relative to the package ("catalogue.views")."""
    here = path.relative_to(PACKAGE).with_suffix("").parts
    package = here[:-1]  # the package a relative import starts from, for a module and an __init__.py alike
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.removeprefix("pioneer.") for alias in node.names
                         if alias.name.startswith("pioneer"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            elif node.module and node.module.startswith("pioneer"):
                target = node.module.removeprefix("pioneer").lstrip(".")
            else:
                continue
            # `from . import views` names a module, not an attribute: count it as that module.
            found.update(f"{target}.{alias.name}".lstrip(".") for alias in node.names)
            found.add(target)
    return {name for name in found if name}


def top(name):
    return name.split(".")[0]


def offenders(folder, forbidden):
    return sorted(
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in modules_under(folder)
        for name in imported_modules(path)
        if top(name) in forbidden
    )


def test_the_import_reader_sees_relative_and_absolute_imports(tmp_path):
    sample = PACKAGE / "catalogue" / "views.py"
    names = imported_modules(sample)
    assert "catalogue.queries" in names and "domain.claims" in names and "access" in names


def test_search_depends_only_on_the_domain():
    assert offenders("search", set(PAGE_PACKAGES)) == []


def test_models_import_no_page_package_search_importer_or_mail():
    assert offenders("models", {*PAGE_PACKAGES, "search", "importer", "mail", "domain"}) == []


@pytest.mark.parametrize("package", PAGE_PACKAGES)
def test_a_page_package_imports_no_other_page_package(package):
    others = set(PAGE_PACKAGES) - {package}
    assert offenders(package, others) == []


def test_the_domain_imports_nothing_above_it():
    assert offenders("domain", ABOVE_THE_DOMAIN) == []


@pytest.mark.parametrize("package", PAGE_PACKAGES)
def test_every_page_package_has_one_shape(package):
    module = importlib.import_module(f"pioneer.{package}")
    init = ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8"))
    assigned = {target.id for node in init.body if isinstance(node, ast.Assign) for target in node.targets
                if isinstance(target, ast.Name)}
    assert "bp" in assigned, f"pioneer/{package}/__init__.py must create the blueprint bp"
    assert module.bp.name == package
    assert (PACKAGE / package / "views.py").exists()
    extra_views = [path.name for path in (PACKAGE / package).glob("*.py")
                   if path.name != "views.py" and "@bp." in path.read_text(encoding="utf-8")]
    assert extra_views == [], f"routes of {package} outside views.py"


@pytest.mark.parametrize("package", PAGE_PACKAGES)
def test_views_leave_their_selects_to_queries(package):
    """A view reads the request, calls the domain and renders; what it loads is written in queries.py."""
    source = (PACKAGE / package / "views.py").read_text(encoding="utf-8")
    calls = {node.func.attr for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert not calls & {"select", "paginate", "first_or_404"}, f"pioneer/{package}/views.py builds its own query"


# What open data (pioneer/api/) may read of the page packages: their queries, and the catalogue's
# filters and search path, so it answers exactly what /projects answers (docs/api.md).
API_MAY_READ = {"catalogue.queries", "catalogue.filters", "catalogue.searching", "calls.queries"}


def test_open_data_reads_the_pages_queries_and_no_page_package_imports_it():
    def allowed(name):
        # `from ..catalogue import queries` names the package, `from ..catalogue.filters import Filters` the class.
        return name in PAGE_PACKAGES or any(name == module or name.startswith(module + ".")
                                            for module in API_MAY_READ)

    reads = [(path.relative_to(PACKAGE), name) for path in modules_under("api") for name in imported_modules(path)
             if top(name) in PAGE_PACKAGES]
    assert reads, "the reader sees api's imports"
    assert [f"{path} imports {name}" for path, name in reads if not allowed(name)] == []
    for package in PAGE_PACKAGES:
        assert offenders(package, {"api"}) == [], package
    assert offenders("domain", {"api"}) == [] and offenders("search", {"api"}) == []
