"""Read product folders into validated ``ProductVersion`` objects.

Layout: ``products/<code>/<YYYY-MM-DD>/`` where the folder name is the version's
``effective_from``. Top-level ``*.yaml`` files each contribute top-level keys of the version
document (a key may come from one file only); every file under ``packages/`` is one package.

A bad file is refused as a whole product: ``load_catalog`` either returns every product valid or
raises ``TermsError`` listing each problem with its file, the path inside the file and the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from zdrave.engine.terms.product import ProductVersion


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class TermsError(Exception):
    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; a product file must not."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


def _read_yaml(path: Path, display: str) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        text = f"malformed YAML: {problem}" + (f" ({context})" if context else "")
        raise TermsError([Problem(display, where, text)]) from exc


def _format_loc(loc: Iterable[Any], data: Any) -> str:
    """``('packages', 1, 'services', 7, 'options', 'full', 'limit')`` →
    ``packages[1].services["2.8.e"].options.full.limit``: list items that carry a ``code``
    are shown by it, as a reviewer would look them up."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            code = node[part].get("code") if isinstance(node, list) and part < len(node) and isinstance(node[part], dict) else None
            if code is not None and not isinstance(code, int):
                out += f'["{code}"]'
            else:
                out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


@dataclass
class _Sources:
    """Which file each part of the merged document came from."""

    by_key: dict[str, str] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)

    def file_for(self, loc: tuple[Any, ...], default: str) -> str:
        if not loc:
            return default
        if loc[0] == "packages" and len(loc) > 1 and isinstance(loc[1], int):
            if loc[1] < len(self.packages):
                return self.packages[loc[1]]
        return self.by_key.get(str(loc[0]), default)


def load_product_version(folder: Path, root: Path | None = None) -> ProductVersion:
    root = root or folder.parent.parent
    display_folder = _display(folder, root)
    document: dict[str, Any] = {}
    sources = _Sources()
    problems: list[Problem] = []

    top_files = sorted(folder.glob("*.yaml"))
    if not top_files:
        raise TermsError([Problem(display_folder, "", "no product files (*.yaml) in this folder")])
    for path in top_files:
        display = _display(path, root)
        content = _read_yaml(path, display)
        if content is None:
            continue
        if not isinstance(content, dict):
            problems.append(Problem(display, "", "a product file must be a mapping of keys"))
            continue
        for key, value in content.items():
            if key == "packages":
                problems.append(Problem(display, key, "packages go in packages/*.yaml, one a file"))
            elif key in document:
                problems.append(
                    Problem(display, str(key), f"already given in {sources.by_key[key]}")
                )
            else:
                document[key] = value
                sources.by_key[str(key)] = display
    packages: list[Any] = []
    for path in sorted((folder / "packages").glob("*.yaml")):
        display = _display(path, root)
        packages.append(_read_yaml(path, display))
        sources.packages.append(display)
    if packages:
        document["packages"] = packages
        sources.by_key["packages"] = display_folder + "/packages"
    if problems:
        raise TermsError(problems)

    try:
        version = ProductVersion.model_validate(document)
    except ValidationError as exc:
        raise TermsError(
            [
                Problem(
                    sources.file_for(tuple(err["loc"]), display_folder),
                    _format_loc(err["loc"], document),
                    _message(err),
                )
                for err in exc.errors()
            ]
        ) from None

    expected = folder.name
    if version.effective_from.isoformat() != expected:
        raise TermsError(
            [
                Problem(
                    sources.by_key.get("effective_from", display_folder),
                    "effective_from",
                    f"is {version.effective_from.isoformat()} but the folder is named {expected}",
                )
            ]
        )
    if version.product != folder.parent.name:
        raise TermsError(
            [
                Problem(
                    sources.by_key.get("product", display_folder),
                    "product",
                    f"is {version.product!r} but the folder is {folder.parent.name!r}",
                )
            ]
        )
    return version


def _message(err: Any) -> str:
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if err["type"] == "extra_forbidden":
        msg = "unknown key (not part of the product schema)"
    elif err["type"] == "enum" and "expected" in err.get("ctx", {}):
        msg = f"unknown value {err.get('input')!r}; expected {err['ctx']['expected']}"
    return msg


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Catalog:
    """All product versions, newest last per product."""

    versions: dict[str, tuple[ProductVersion, ...]]

    def products(self) -> list[str]:
        return sorted(self.versions)

    def all_versions(self) -> list[ProductVersion]:
        return [v for code in self.products() for v in self.versions[code]]

    def version(self, product: str, effective_from: dt.date | str | None = None,
                on: dt.date | None = None) -> ProductVersion:
        """The version that came into force on ``effective_from``, or else the one in force on
        ``on``. Raises ``KeyError`` naming what was asked for."""
        versions = self.versions.get(product)
        if not versions:
            raise KeyError(f"unknown product {product!r}")
        if effective_from is not None:
            wanted = effective_from if isinstance(effective_from, str) else effective_from.isoformat()
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
                    Problem(_display(version_dir, root), "",
                            "a version folder is named by its effective date, YYYY-MM-DD")
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
    if problems:
        raise TermsError(problems)
    return Catalog({code: tuple(items) for code, items in versions.items()})


def default_products_root() -> Path:
    """``products/`` at the repository root (overridable with ZDRAVE_PRODUCTS)."""
    import os

    env = os.environ.get("ZDRAVE_PRODUCTS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "products"
