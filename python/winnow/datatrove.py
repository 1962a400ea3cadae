"""winnow as datatrove pipeline steps (importable only where datatrove is).

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader, WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from winnow.datatrove import WinnowExtractor, WinnowFilter

    LocalPipelineExecutor(pipeline=[
        WarcReader("crawl/"),
        WinnowExtractor(),                                  # in place of Trafilatura()
        WinnowFilter(config="configs/datatrove_defaults.yaml",
                     exclusion_writer=JsonlWriter("removed/")),
        JsonlWriter("kept/"),
    ]).run()

WinnowFilter runs a winnow pipeline's per-document stages on batches of datatrove Documents
(the engine's threads, the GIL released), keeps or drops each as datatrove's own filters do,
hands dropped ones to ``exclusion_writer`` with ``metadata["filter_reason"]`` set to winnow's
reason ("gopher_repetition:dup_line_frac"), and puts winnow's object (signals, language, the
reason) in ``doc.metadata["winnow"]``. A stage that edits text (anatomy, repeated-line
stripping within a document) edits ``doc.text``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Union

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.extractors.base import BaseExtractor
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.typeshelper import StatHints

import winnow

__all__ = ["WinnowExtractor", "WinnowFilter"]


class WinnowFilter(BaseFilter):
    """winnow's filters (any per-document winnow pipeline) as one datatrove filter step.

    Args:
        config: a winnow configuration: dict, YAML text or path (default: winnow's default
            clean pipeline without its corpus-wide dedup stages, which a stream cannot run).
        exclusion_writer: where dropped documents go, as for datatrove's filters.
        batch_size: documents handed to the engine at once.
        threads: the engine's threads (default: every core).
    """

    name = "🌾 winnow"

    def __init__(self, config: Optional[Union[Dict[str, Any], str]] = None,
                 exclusion_writer: Optional[DiskWriter] = None, batch_size: int = 1000,
                 threads: Optional[int] = None):
        super().__init__(exclusion_writer=exclusion_writer, batch_size=batch_size)
        self.config = config
        self.threads = threads
        self._pipeline: Optional[winnow.Pipeline] = None

    def _engine(self) -> winnow.Pipeline:
        # Made in the worker (datatrove pickles steps to its tasks; the engine does not pickle).
        if self._pipeline is None:
            self._pipeline = winnow.Pipeline(self.config, threads=self.threads,
                                             batch_bytes=1 << 40)
        return self._pipeline

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_pipeline"] = None
        return state

    def filter(self, doc: Document) -> Union[bool, Tuple[bool, str]]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: List[Document]) -> List[Union[bool, Tuple[bool, str]]]:
        records = []
        for doc in batch:
            record = {k: v for k, v in doc.metadata.items() if k not in ("id", "text", "winnow")}
            record["id"] = doc.id
            record["text"] = doc.text
            records.append(record)
        results: List[Union[bool, Tuple[bool, str]]] = []
        for doc, out in zip(batch, self._engine().clean(records, removed=True)):
            info = out.get("winnow", {})
            doc.metadata["winnow"] = info
            reason = info.get("reason")
            if reason:
                results.append((False, reason))
            else:
                doc.text = out["text"]
                results.append(True)
        if len(results) != len(batch):
            raise winnow.InternalError(f"winnow returned {len(results)} results for a batch of "
                                       f"{len(batch)} documents")
        return results


class WinnowExtractor(BaseExtractor):
    """winnow's HTML extraction in place of datatrove's Trafilatura step: the main text into
    ``doc.text``; the title, author, publication date and (with ``comments=True``) the user
    comments into ``doc.metadata``. Pages with no main text are dropped, as datatrove's
    extractors drop them. No sandbox process: winnow's parser bounds its own work (pages over
    its size and node limits are dropped with the reason in the stats)."""

    name = "🌾 winnow extract"

    def __init__(self, comments: bool = False, timeout: float = 1):
        super().__init__(timeout)
        self.comments = comments

    def extract(self, text: str) -> str:
        return winnow.extract(text)["text"]

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                try:
                    page = winnow.extract(doc.text)
                except winnow.Error as e:
                    self.stat_update("clean_error")
                    doc.metadata["winnow_error"] = str(e)
                    continue
            doc.text = page["text"]
            for key in ("title", "author", "published"):
                if page.get(key):
                    doc.metadata[key] = page[key]
            if self.comments and page.get("comments"):
                doc.metadata["comments"] = page["comments"]
            if doc.text:
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc
            else:
                self.stat_update(StatHints.dropped)
