"""Structure the package promises its contributors and users: checked, not hoped for."""

import ast
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import attn_sklearn
import attn_sklearn.datasets
import attn_sklearn.inspection
import attn_sklearn.layers
import attn_sklearn.plotting

PUBLIC_MODULES = (
    attn_sklearn,
    attn_sklearn.datasets,
    attn_sklearn.inspection,
    attn_sklearn.layers,
    attn_sklearn.plotting,
)
PACKAGE = Path(attn_sklearn.__file__).parent
MODULES = sorted(info.name for info in pkgutil.iter_modules([str(PACKAGE)]))


def _imported_modules(module):
    """Package modules ``module`` imports, at top level or inside functions."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("attn_sklearn."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("attn_sklearn.")
            )
    return found & set(MODULES)


def _third_party_imports(module):
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_package_modules_import_each_other_without_a_cycle():
    graph = {module: _imported_modules(module) for module in MODULES}
    visiting, done = [], set()

    def visit(module):
        if module in done:
            return
        assert module not in visiting, f"import cycle: {' -> '.join([*visiting, module])}"
        visiting.append(module)
        for imported in graph[module]:
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in MODULES:
        visit(module)
    # Persistence finds estimators through its registry, never by importing them.
    assert not graph["_persistence"] & {"_regressor", "_classifier", "_multimodal", "_base"}


def test_only_the_base_module_imports_scikeras():
    users = [module for module in MODULES if "scikeras" in _third_party_imports(module)]
    assert users == ["_base"]


def test_every_package_module_is_under_400_lines():
    lengths = {m: len((PACKAGE / f"{m}.py").read_text().splitlines()) for m in MODULES}
    assert {m: n for m, n in lengths.items() if n >= 400} == {}


def _public_objects():
    for namespace in PUBLIC_MODULES:
        for name in namespace.__all__:
            yield f"{namespace.__name__}.{name}", getattr(namespace, name)


PUBLIC = dict(_public_objects())
PUBLIC_CLASSES = {name: obj for name, obj in PUBLIC.items() if inspect.isclass(obj)}


@pytest.mark.parametrize("name", sorted(PUBLIC_CLASSES))
def test_public_constructors_take_at_most_one_positional_parameter(name):
    parameters = list(inspect.signature(PUBLIC_CLASSES[name].__init__).parameters.values())[1:]
    positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert len(positional) <= 1, f"{name}({', '.join(positional)}, ...) should be keyword-only"


def _docstrings(obj):
    yield getattr(obj, "__doc__", None) or ""
    if inspect.isclass(obj):
        for attribute, member in vars(obj).items():
            if not attribute.startswith("_") and callable(member):
                yield member.__doc__ or ""


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_docstrings_name_no_internal_documents_or_private_paths(name):
    for doc in _docstrings(PUBLIC[name]):
        assert not re.search(r"seed\s*0\d\d", doc, flags=re.IGNORECASE), doc
        assert "attn_sklearn._" not in doc, doc


def test_module_docstrings_of_public_modules_name_no_internal_documents():
    for module in PUBLIC_MODULES:
        assert not re.search(r"seed\s*0\d\d", module.__doc__, flags=re.IGNORECASE)


@pytest.mark.parametrize(
    "estimator",
    [
        attn_sklearn.AttentionLSTMRegressor(),
        attn_sklearn.AttentionLSTMClassifier(),
        attn_sklearn.MultimodalAttentionClassifier(),
    ],
)
def test_wrapper_extras_are_not_part_of_the_api(estimator):
    for name in ("initialize", "initialized_", "current_epoch", "scorer", "feature_encoder"):
        with pytest.raises(AttributeError, match=name):
            getattr(estimator, name)
    # help(est.predict) describes sequences, not the wrapper's tabular routing.
    for method in ("fit", "predict", "explain", "save"):
        doc = getattr(estimator, method).__doc__
        assert "n_timesteps" in doc or "path" in doc, method
        assert "**kwargs" not in doc and "fit__" not in doc, method


def test_the_multimodal_classifier_does_not_inherit_from_a_concrete_estimator():
    concrete = {obj for obj in PUBLIC_CLASSES.values()}
    for cls in PUBLIC_CLASSES.values():
        assert not concrete & set(cls.__mro__[1:]), cls
