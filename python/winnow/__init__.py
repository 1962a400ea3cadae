"""winnow: clean, deduplicated text for training language models, from Python.

The same engine as the ``winnow`` command, in-process. The engine does the work on its own
threads with the GIL released, so Python threads calling it run in parallel.

Runs over files (what the CLI does; returns the run's stats.json as a dict)::

    stats = winnow.clean(["crawl/"], "out/")                  # winnow clean crawl/ -o out/
    stats = winnow.run("configs/fineweb.yaml")                # winnow run configs/fineweb.yaml
    stats = winnow.run({"inputs": ["crawl/"], "output": "out/",
                        "stages": [{"length": {"min_words": 50}}, "exact"]})

Documents in memory (any iterable of dicts with ``text``; other fields pass through)::

    pipeline = winnow.Pipeline.from_yaml("configs/datatrove_defaults.yaml")
    for line in pipeline.annotate(docs):        # like a line of `winnow annotate`
        ...
    for doc in pipeline.clean(docs):            # kept documents, text edited
        ...

Single calls: :func:`extract` (HTML to text and comments), :func:`explain` (what the filters
see and decide), :func:`words` (spaCy-compatible words, as datatrove splits them),
:func:`minhash` (signatures as a numpy array).

Errors raise :class:`Error` subclasses carrying the CLI's message: :class:`ConfigError` (bad
configuration or arguments; also a ValueError), :class:`NotFoundError`, :class:`IOFailure`,
:class:`InputError` (bad input data), :class:`LimitError`, :class:`UnsupportedError`,
:class:`InternalError`. KeyboardInterrupt stops a run at its next batch and leaves it
resumable (``resume=True``).
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import numpy as np

from . import _winnow
from ._winnow import (
    CancelledError,
    ConfigError,
    Error,
    InputError,
    InternalError,
    IOFailure,
    LimitError,
    NotFoundError,
    UnsupportedError,
)

__all__ = [
    "CancelledError",
    "ConfigError",
    "Error",
    "InputError",
    "InternalError",
    "IOFailure",
    "LimitError",
    "NotFoundError",
    "Pipeline",
    "UnsupportedError",
    "clean",
    "default_config",
    "explain",
    "extract",
    "minhash",
    "run",
    "words",
]

__version__ = "0.1.0"

Config = Union[Mapping[str, Any], str, "os.PathLike[str]"]
ProgressFn = Callable[[Dict[str, Any]], None]


def _config_source(config: Optional[Config]) -> "tuple[Optional[str], Optional[str]]":
    """(yaml text, path) for the engine: a dict becomes JSON (which YAML reads), a str is a
    path when such a file exists and YAML text otherwise."""
    if config is None:
        return None, None
    if isinstance(config, Mapping):
        return json.dumps(config), None
    if isinstance(config, os.PathLike):
        return None, os.fspath(config)
    if isinstance(config, str):
        if "\n" not in config and os.path.exists(config):
            return None, config
        return config, None
    raise TypeError(f"config: expected a dict, YAML text or a path, got {type(config).__name__}")


def _stats(text: str) -> Dict[str, Any]:
    return json.loads(text)


def run(
    config: Config,
    *,
    output: Optional[str] = None,
    threads: Optional[int] = None,
    overwrite: bool = False,
    resume: bool = False,
    output_format: Optional[str] = None,
    memory_budget: Optional[str] = None,
    on_error: Optional[str] = None,
    progress: Optional[ProgressFn] = None,
) -> Dict[str, Any]:
    """Runs a pipeline configuration, as ``winnow run CONFIG`` does, and returns its stats.

    ``config`` is a dict (the YAML's structure), YAML text, or the path of a YAML file; it
    names ``inputs``, ``output`` and ``stages`` (see ``winnow config defaults``). The keyword
    arguments override it as the CLI's flags do. ``progress``, when given, is called in the
    calling thread about every 100 ms with a dict (records, bytes, seconds, pass, passes,
    done). Returns the run's stats.json as a dict. Raises an :class:`Error` subclass; on
    KeyboardInterrupt the run stops at its next batch and ``resume=True`` continues it.
    """
    yaml, path = _config_source(config)
    return _stats(
        _winnow.run(yaml, path, None, output, "run", threads, overwrite, resume, output_format,
                    memory_budget, on_error, progress))


def clean(
    inputs: Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]],
    output: Union[str, "os.PathLike[str]"],
    *,
    config: Optional[Config] = None,
    threads: Optional[int] = None,
    overwrite: bool = False,
    resume: bool = False,
    output_format: Optional[str] = None,
    memory_budget: Optional[str] = None,
    on_error: Optional[str] = None,
    progress: Optional[ProgressFn] = None,
) -> Dict[str, Any]:
    """Cleans files, as ``winnow clean INPUTS -o OUTPUT`` does, and returns the run's stats.

    ``inputs``: files or directories (JSONL, WARC/WET, Parquet, .txt, .html, compressed or
    not). ``config``: the pipeline (dict, YAML text or path; default: the default clean
    pipeline). Writes OUTPUT/{kept,removed,rejected}/, stats.json and report.html.
    ``output_format``: "jsonl" (default) or "parquet". See :func:`run` for the rest.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    yaml, path = _config_source(config)
    return _stats(
        _winnow.run(yaml, path, [os.fspath(i) for i in inputs], os.fspath(output), "clean",
                    threads, overwrite, resume, output_format, memory_budget, on_error,
                    progress))


class Pipeline:
    """A pipeline's per-document stages, applied to documents in memory.

    ``Pipeline(config)`` takes a dict, YAML text or a path (default: the default ``clean``
    pipeline); ``Pipeline.from_yaml(path)`` reads a file. ``threads``: the engine's threads
    (0 or None: the configuration's, every core by default).

    Documents are dicts with a string ``text``; ``id`` (string or number) and ``url`` are read
    when present; every other field passes through. They are handed to the engine in batches
    of about ``batch_bytes`` (each processed on the engine's threads with the GIL released),
    so memory stays flat over any number of documents, and results come back in input order.

    Stages that work across the whole corpus (``exact``, ``minhash``, ``bloom``,
    ``sentence_dedup``... the global stages) cannot decide on a document before the stream
    ends: :meth:`clean` refuses them with a :class:`ConfigError` (run them over files with
    :func:`run`), and :meth:`annotate` skips them as ``winnow annotate`` does.
    """

    def __init__(self, config: Optional[Config] = None, *, threads: Optional[int] = None,
                 batch_bytes: int = 4 << 20) -> None:
        yaml, path = _config_source(config)
        self._stream = _winnow.Stream(yaml, path, threads)
        self._stream.validate(True)  # unknown stages and bad options raise here
        self._batch_bytes = max(1, int(batch_bytes))

    @classmethod
    def from_yaml(cls, path: Union[str, "os.PathLike[str]"], **kwargs: Any) -> "Pipeline":
        """The pipeline of a YAML configuration file (its ``stages``; inputs are ignored)."""
        if not os.path.exists(path):
            raise NotFoundError(f"cannot open {os.fspath(path)}: no such file")
        return cls(os.fspath(path) if isinstance(path, str) else path, **kwargs)

    def annotate(self, docs: Iterable[Mapping[str, Any]]) -> Iterator[Dict[str, Any]]:
        """Yields, for each document in order, the dict a line of ``winnow annotate`` holds:
        ``{"id": ..., "winnow": {"filters": {name: {"keep", "reason"}}, "signals": {...},
        "language": ...}}``. Every filter judges every document; nothing is dropped."""
        for lines, kinds, _ in self._batches(docs, annotate=True):
            yield from (json.loads(line) for line in lines)

    def clean(self, docs: Iterable[Mapping[str, Any]], *,
              removed: bool = False) -> Iterator[Dict[str, Any]]:
        """Yields the kept documents in order, with their edited text and a ``winnow`` object
        (signals, language...). With ``removed=True`` it also yields the removed ones, in
        their place, whose ``winnow`` object holds the ``reason``."""
        for lines, kinds, _ in self._batches(docs, annotate=False):
            for line, kind in zip(lines, kinds):
                if kind == 0 or (kind == 1 and removed):
                    yield json.loads(line)

    def _batches(self, docs: Iterable[Mapping[str, Any]], annotate: bool):
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        chunk: List[str] = []
        size = 0
        first = 0  # index of the chunk's first document in the stream
        for i, doc in enumerate(docs):
            text = doc.get("text") if isinstance(doc, Mapping) else None
            if not isinstance(text, str):
                what = "no dict" if not isinstance(doc, Mapping) else (
                    "no 'text'" if text is None else f"'text' is {type(text).__name__}")
                raise InputError(f"document {i + 1}: {what}; a document is a dict with a str 'text'")
            try:
                line = dumps(doc)
            except (TypeError, ValueError) as e:
                raise InputError(f"document {i + 1}: cannot be written as JSON: {e}") from None
            chunk.append(line)
            size += len(line)
            if size >= self._batch_bytes:
                yield self._process(chunk, first, annotate)
                first += len(chunk)
                chunk, size = [], 0
        if chunk:
            yield self._process(chunk, first, annotate)

    def _process(self, chunk: List[str], first: int, annotate: bool):
        chunk.append("")
        try:
            payload = "\n".join(chunk).encode("utf-8")
        except UnicodeEncodeError as e:
            raise InputError(f"documents {first + 1}-{first + len(chunk) - 1}: text is not "
                             f"valid Unicode ({e.reason}: lone surrogates cannot be UTF-8)") from None
        lines_bytes, kinds = self._stream.process(payload, annotate)
        lines = lines_bytes.split(b"\n")
        lines.pop()
        for line, kind in zip(lines, kinds):
            if kind == 2:
                rejected = json.loads(line)
                raise InputError(f"document {rejected.get('line')}: {rejected.get('error')}")
        return lines, kinds, first

    def __repr__(self) -> str:
        return f"<winnow.Pipeline batch_bytes={self._batch_bytes}>"


def explain(text: str, *, id: str = "", config: Optional[Config] = None) -> Dict[str, Any]:
    """What the pipeline sees and decides for one document's text, as ``winnow explain
    --json`` prints it: ``segments`` (article, boilerplate, comments_header, comment lines),
    comment ``templates``, ``signals``, each filter's verdict on what page anatomy leaves
    (``filters``), ``language`` and the ``decision``."""
    if not isinstance(text, str):
        raise TypeError("explain: text must be str")
    yaml, path = _config_source(config)
    return json.loads(_winnow.explain(text, id, yaml, path))


def extract(html: Union[str, bytes], *, url: Optional[str] = None,
            content_type: Optional[str] = None) -> Dict[str, Any]:
    """The main text and comments of an HTML page, as ``winnow extract --format jsonl
    --comments`` gives them: a dict with ``title``, ``author``, ``published``, ``text``,
    ``comments`` (and ``url`` when given). ``bytes`` are decoded as the readers decode pages
    (byte order mark, ``content_type``'s charset, ``<meta charset>``, detection)."""
    out = _winnow.extract(html, content_type)
    if url is not None:
        out["url"] = url
    return out


def words(text: str) -> List[str]:
    """The words of ``text`` as datatrove's ``word_tokenize`` gives them (spaCy 3.8's English
    tokenizer), which the Gopher and C4 filters count."""
    if not isinstance(text, str):
        raise TypeError("words: text must be str")
    return _winnow.words(text)


def minhash(texts: Iterable[str], preset: Optional[str] = None, *,
            with_mask: bool = False, **options: Any) -> Any:
    """MinHash signatures: a ``numpy.uint64`` array with one row per text and one column per
    permutation (bands x rows), as the ``minhash`` stage computes them.

    ``preset``: "native" (default) or "datatrove" (bit-identical to datatrove's
    MinhashDedupSignature); ``options``: the stage's (n_grams, bands, rows, seed...). A text
    with no shingle has no signature: its row is all 2**64 - 1. With ``with_mask=True``
    returns ``(signatures, mask)``, mask True where a text has a signature.
    """
    if preset is not None:
        options["preset"] = preset
    texts = texts if isinstance(texts, list) else list(texts)
    sigs, mask, _, _ = _winnow.minhash(texts, json.dumps(options))
    return (sigs, mask) if with_mask else sigs


def default_config() -> str:
    """The default ``clean`` pipeline as YAML, every option at its default and explained."""
    return _winnow.default_config()
