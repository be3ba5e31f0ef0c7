"""The rules engine: pure Python, no Django.

Product terms come in as validated pydantic models (``zdrave.engine.terms``), facts come in as
frozen dataclasses, decisions go out as frozen dataclasses that cite the seed clause behind every
reason. Nothing here does I/O except ``terms.loader``, which reads the product folders.
"""
