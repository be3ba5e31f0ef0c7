"""Read product folders into validated ``ProductVersion`` objects.

Layout: ``products/<code>/<YYYY-MM-DD>/`` where the folder name is the version's
``effective_from``. Top-level ``*.yaml`` files each contribute top-level keys of the version
document (a key may come from one file only); every file under ``packages/`` is one package.

A bad file is refused as a whole product: ``load_catalog`` either returns every product valid or
raises ``TermsError`` listing each problem with its file, the line, the path inside the file and
the rule broken, e.g.::

    products/health/2024-01-01/packages/2-outpatient.yaml:88:
        packages[1].services["2.8.e"].options.full.limit.value: must not be negative, got -1
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from zdrave.engine.terms.product import ProductVersion
from zdrave.engine.terms.rules import service_matches

Loc = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``file`` relative to the products root's parent, ``path`` inside the
    file (``packages[1].services["2.8.e"].clause``), ``line`` when known (1-based)."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.path:
            where = f"{where}: {self.path}"
        return f"{where}: {self.message}"


class TermsError(Exception):
    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# ---- YAML ------------------------------------------------------------------------------------


# libyaml's parser is ~10× faster than PyYAML's pure-Python one (the health product is ~15 000
# YAML nodes); both give the same nodes and marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML keeps the last of two equal keys silently; a product file must not."""


class DuplicateKeyError(yaml.constructor.ConstructorError):
    pass


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise DuplicateKeyError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)
# Dates stay text for pydantic to parse: PyYAML's own timestamp reading crashes on 2019-02-30
# with no line, where pydantic names the key.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class _YamlFile:
    display: str
    data: Any
    lines: dict[Loc, int]  # path inside the file → line of its node

    def line_for(self, loc: Loc) -> int | None:
        """The line of the deepest node on ``loc`` that exists (a missing key points at the
        mapping that lacks it)."""
        key = tuple(str(p) for p in loc)
        while True:
            if key in self.lines:
                return self.lines[key]
            if not key:
                return None
            key = key[:-1]


def _node_lines(node: yaml.Node, prefix: Loc = (), line: int | None = None) -> dict[Loc, int]:
    # A mapping entry is found at its key's line ("rules:"), not where its value starts.
    lines = {prefix: line or node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines.update(
                _node_lines(
                    value_node, (*prefix, str(key_node.value)), key_node.start_mark.line + 1
                )
            )
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_node_lines(item, (*prefix, str(index))))
    return lines


def _read_yaml(path: Path, display: str) -> _YamlFile:
    loader = _UniqueKeyLoader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        if isinstance(exc, DuplicateKeyError):
            text = f"{problem}: a key may appear once in a mapping"
        else:
            text = f"malformed YAML: {problem}" + (f" ({context})" if context else "")
        if mark:
            text += f" at line {mark.line + 1}, column {mark.column + 1}"
        raise TermsError([Problem(display, "", text, mark.line + 1 if mark else None)]) from exc
    finally:
        loader.dispose()
    return _YamlFile(display, data, _node_lines(node) if node is not None else {})


# ---- paths and messages ----------------------------------------------------------------------


def _format_loc(loc: Iterable[Any], data: Any) -> str:
    """``('packages', 1, 'services', 7, 'options', 'full', 'limit')`` →
    ``packages[1].services["2.8.e"].options.full.limit``: list items that carry a ``code``
    are shown by it, as a reviewer would look them up; packages by their position, since each
    is its own file."""
    out = ""
    node = data
    parent = None
    for part in loc:
        if part == "[key]" or part in ("str", "list[str]", "int", "bool"):
            continue  # pydantic's markers for a dict key or a union branch, not a path step
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            code = item.get("code") if isinstance(item, dict) and parent != "packages" else None
            out += f'["{code}"]' if isinstance(code, str) else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
        parent = part
    return out


def _message(err: Any) -> str:
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    loc = [p for p in err["loc"] if p != "[key]"]
    last = str(loc[-1]) if loc else ""
    if err["type"] == "extra_forbidden":
        msg = "unknown key (not part of the product schema)"
    elif err["type"] == "missing" and last.endswith("clause"):
        msg = (
            "missing clause citation: every rule names the seed clause it comes from, "
            "e.g. '004 Чл.21(1) т.20'"
        )
    elif err["type"] == "missing":
        msg = "required key is missing"
    elif err["type"] == "enum" and "expected" in err.get("ctx", {}):
        what = "option" if "[key]" in err["loc"] and "options" in loc else "value"
        msg = f"unknown {what} {err.get('input')!r}; expected {err['ctx']['expected']}"
    elif err["type"] == "literal_error" and "expected" in err.get("ctx", {}):
        msg = f"unknown value {err.get('input')!r}; expected {err['ctx']['expected']}"
    elif err["type"] == "less_than_equal" and last == "number" and loc[0] == "packages":
        msg = f"unknown package number {err.get('input')!r}: 002 has packages 1 to 6"
    return msg


@dataclass
class _Sources:
    """Which file each part of the merged document came from."""

    folder: str
    by_key: dict[str, _YamlFile] = field(default_factory=dict)
    packages: list[_YamlFile] = field(default_factory=list)

    def locate(self, loc: Loc) -> tuple[str, int | None]:
        """The file and line of ``loc`` in the merged document."""
        in_package = len(loc) > 1 and loc[0] == "packages" and isinstance(loc[1], int)
        if in_package and loc[1] < len(self.packages):
            source = self.packages[loc[1]]
            return source.display, source.line_for(loc[2:])
        source = self.by_key.get(str(loc[0])) if loc else None
        if source is None:
            return self.folder, None
        return source.display, source.line_for(loc)

    def problem(self, loc: Loc, document: Any, message: str) -> Problem:
        file, line = self.locate(loc)
        return Problem(file, _format_loc(loc, document), message, line)


# ---- one version -----------------------------------------------------------------------------


def _read_folder(folder: Path, root: Path) -> tuple[dict[str, Any], _Sources]:
    sources = _Sources(_display(folder, root))
    document: dict[str, Any] = {}
    problems: list[Problem] = []
    top_files = sorted(folder.glob("*.yaml"))
    if not top_files:
        raise TermsError([Problem(sources.folder, "", "no product files (*.yaml) in this folder")])
    files: list[_YamlFile] = []
    package_files: list[_YamlFile] = []
    for path in [*top_files, *sorted((folder / "packages").glob("*.yaml"))]:
        try:
            read = _read_yaml(path, _display(path, root))
        except TermsError as exc:
            problems.extend(exc.problems)
            continue
        (package_files if path.parent.name == "packages" else files).append(read)
    for source in files:
        if source.data is None:
            continue
        if not isinstance(source.data, dict):
            problems.append(Problem(source.display, "", "a product file must be a mapping of keys"))
            continue
        for key, value in source.data.items():
            if key == "packages":
                problems.append(
                    Problem(
                        source.display,
                        key,
                        "packages go in packages/*.yaml, one a file",
                        source.line_for((key,)),
                    )
                )
            elif key in document:
                problems.append(
                    Problem(
                        source.display,
                        str(key),
                        f"already given in {sources.by_key[key].display}",
                        source.line_for((key,)),
                    )
                )
            else:
                document[key] = value
                sources.by_key[str(key)] = source
    if package_files:
        document["packages"] = [source.data for source in package_files]
        sources.packages = package_files
    if problems:
        raise TermsError(problems)
    return document, sources


def _duplicate_services(document: dict[str, Any], sources: _Sources) -> list[Problem]:
    """Each row of a package table has its own code (002); point at the second row, since
    pydantic can only name the package."""
    problems = []
    for p_index, package in enumerate(document.get("packages") or []):
        services = package.get("services") if isinstance(package, dict) else None
        first: dict[str, int] = {}
        for s_index, service in enumerate(services if isinstance(services, list) else []):
            code = service.get("code") if isinstance(service, dict) else None
            if not isinstance(code, str):
                continue
            if code in first:
                loc = ("packages", p_index, "services", s_index)
                file, line = sources.locate(loc)
                problems.append(
                    Problem(
                        file,
                        f"packages[{p_index}].services[{s_index}]",
                        f"duplicate service code {code!r}: already used by services[{first[code]}]",
                        line,
                    )
                )
            else:
                first[code] = s_index
    return problems


def _rule_service_patterns(version: ProductVersion) -> Iterable[tuple[Loc, str]]:
    for group in ("exclusions", "waiting_periods", "purchase_deadlines", "claim_types"):
        for i, rule in enumerate(getattr(version.rules, group)):
            for j, pattern in enumerate(rule.match.services):
                yield ("rules", group, i, "match", "services", j), pattern
            for j, pattern in enumerate(getattr(rule, "unless_services", [])):
                yield ("rules", group, i, "unless_services", j), pattern


def _unknown_services(version: ProductVersion, document: Any, sources: _Sources) -> list[Problem]:
    """A rule that names a service the packages do not have would silently never apply."""
    if not version.packages:
        return []
    codes = [s.code for _, s in version.services()]
    numbers = sorted(p.number for p in version.packages)
    problems = []
    for loc, pattern in _rule_service_patterns(version):
        if any(service_matches(code, pattern) for code in codes):
            continue
        head = pattern.rstrip("*").split(".", 1)[0]
        if not head.isdigit() or int(head) not in numbers:
            message = (
                f"unknown package in {pattern!r}: this version has packages "
                f"{', '.join(map(str, numbers))}"
            )
        else:
            message = f"unknown service {pattern!r}: no row of package {head} has this code"
        problems.append(sources.problem(loc, document, message))
    return problems


def load_product_version(folder: Path, root: Path | None = None) -> ProductVersion:
    root = root or folder.parent.parent
    document, sources = _read_folder(folder, root)
    duplicates = _duplicate_services(document, sources)
    try:
        version = ProductVersion.model_validate(document)
    except ValidationError as exc:
        problems = [
            sources.problem(tuple(err["loc"]), document, _message(err))
            for err in exc.errors()
            if not (duplicates and "duplicate service code" in str(err["msg"]))
        ]
        raise TermsError(duplicates + problems) from None
    problems = _unknown_services(version, document, sources) + _folder_mismatch(
        version, folder, sources
    )
    if problems:
        raise TermsError(problems)
    return version


def _folder_mismatch(version: ProductVersion, folder: Path, sources: _Sources) -> list[Problem]:
    problems = []
    if version.effective_from.isoformat() != folder.name:
        file, line = sources.locate(("effective_from",))
        problems.append(
            Problem(
                file,
                "effective_from",
                f"is {version.effective_from.isoformat()} but the folder is named {folder.name}",
                line,
            )
        )
    if version.product != folder.parent.name:
        file, line = sources.locate(("product",))
        problems.append(
            Problem(
                file,
                "product",
                f"is {version.product!r} but the folder is {folder.parent.name!r}",
                line,
            )
        )
    return problems


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


# ---- the catalog -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """All product versions, newest last per product."""

    versions: dict[str, tuple[ProductVersion, ...]]

    def products(self) -> list[str]:
        return sorted(self.versions)

    def all_versions(self) -> list[ProductVersion]:
        return [v for code in self.products() for v in self.versions[code]]

    def version(
        self, product: str, effective_from: dt.date | str | None = None, on: dt.date | None = None
    ) -> ProductVersion:
        """The version that came into force on ``effective_from``, or else the one in force on
        ``on``. Raises ``KeyError`` naming what was asked for."""
        versions = self.versions.get(product)
        if not versions:
            raise KeyError(f"unknown product {product!r}")
        if effective_from is not None:
            wanted = (
                effective_from if isinstance(effective_from, str) else effective_from.isoformat()
            )
            for v in versions:
                if v.effective_from.isoformat() == wanted:
                    return v
            raise KeyError(f"product {product!r} has no version {wanted}")
        if on is not None:
            for v in versions:
                if v.in_force_on(on):
                    return v
            raise KeyError(f"no version of {product!r} is in force on {on.isoformat()}")
        return versions[-1]


def _overlaps(root: Path, code: str, items: list[ProductVersion]) -> list[Problem]:
    problems = []
    for earlier, later in zip(items, items[1:], strict=False):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            problems.append(
                Problem(
                    _display(root / code / earlier.effective_from.isoformat(), root),
                    "effective_to",
                    f"version {earlier.effective_from} overlaps version "
                    f"{later.effective_from}: it must end before the next one starts",
                )
            )
    return problems


def load_catalog(root: Path) -> Catalog:
    """Load and validate every product under ``root``; all or nothing."""
    problems: list[Problem] = []
    versions: dict[str, list[ProductVersion]] = {}
    if not root.is_dir():
        raise TermsError([Problem(str(root), "", "product folder does not exist")])
    for product_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for version_dir in sorted(p for p in product_dir.iterdir() if p.is_dir()):
            try:
                dt.date.fromisoformat(version_dir.name)
            except ValueError:
                problems.append(
                    Problem(
                        _display(version_dir, root),
                        "",
                        "a version folder is named by its effective date, YYYY-MM-DD",
                    )
                )
                continue
            try:
                versions.setdefault(product_dir.name, []).append(
                    load_product_version(version_dir, root)
                )
            except TermsError as exc:
                problems.extend(exc.problems)
    for code, items in versions.items():
        items.sort(key=lambda v: v.effective_from)
        problems.extend(_overlaps(root, code, items))
    if problems:
        raise TermsError(problems)
    return Catalog({code: tuple(items) for code, items in versions.items()})


def default_products_root() -> Path:
    """``products/`` at the repository root (overridable with ZDRAVE_PRODUCTS)."""
    env = os.environ.get("ZDRAVE_PRODUCTS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "products"
