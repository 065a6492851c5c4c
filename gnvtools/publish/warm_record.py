"""What a warm report's cells print and display, recorded in the forked child as nbclient records
a kernel's messages (``_Recorder``), and the child's ``sys.stdout``/``sys.stderr`` (``_Stream``)."""

from __future__ import annotations

import codecs
import io
import os
import time
from collections.abc import Callable
from typing import IO, Any

FLUSH_INTERVAL = 0.2  # ipykernel's OutStream sends what was written at most this late


class _Recorder:
    """The outputs of a notebook run, kept as nbclient keeps them from the kernel's messages.

    Streams are buffered per name and sent, stdout first, before any other output, at the end
    of a cell, on ``flush()`` and when a buffer is older than ipykernel's flush interval, so a
    cell's prints become stream outputs as they do from ``ipykernel.iostream.OutStream``.
    Output written to file descriptors 1 and 2 is read from the files they point to.
    """

    def __init__(self, descriptors: dict[str, IO[bytes]]) -> None:
        from jupyter_client.session import json_packer, json_unpacker
        from nbformat.v4 import output_from_msg

        self._pack: Callable[[Any], bytes] = json_packer
        self._unpack: Callable[[bytes], Any] = json_unpacker
        self._output_from_msg: Callable[[dict[str, Any]], dict[str, Any]] = output_from_msg
        self.cells: list[list[dict[str, Any]]] = []
        self._buffers: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self._since: dict[str, float] = {}
        self._files = descriptors
        self._read = dict.fromkeys(descriptors, 0)
        self._decoders = {
            name: codecs.getincrementaldecoder("utf-8")("replace") for name in descriptors
        }
        self._display_ids: dict[str, dict[int, list[int]]] = {}
        self._clear_before_next = False

    def start_cell(self) -> None:
        self.cells.append([])

    def write(self, name: str, text: str) -> None:
        if not text:
            return
        now = time.monotonic()
        for other in sorted(self._since, key=self._since.__getitem__):
            if now - self._since[other] >= FLUSH_INTERVAL:
                self.flush(other)
        self._buffers[name].append(text)
        self._since.setdefault(name, now)

    def flush(self, name: str) -> None:
        descriptor = self._files.get(name)
        if descriptor is not None:  # what was written to the file descriptor meanwhile
            data = os.pread(descriptor.fileno(), 1 << 24, self._read[name])
            while data:
                self._read[name] += len(data)
                self._buffers[name].append(self._decoders[name].decode(data))
                data = os.pread(descriptor.fileno(), 1 << 24, self._read[name])
        self._since.pop(name, None)
        text = "".join(self._buffers[name])
        self._buffers[name].clear()
        if text:
            self.message("stream", {"name": name, "text": text})

    def flush_streams(self) -> None:
        self.flush("stdout")
        self.flush("stderr")

    def message(self, msg_type: str, content: dict[str, Any]) -> None:
        """Record one IOPub message as nbclient does (``NotebookClient.process_message``)."""
        if not self.cells:  # written while the shell started: a kernel's log, not a cell's
            return
        content = self._unpack(self._pack(content))  # as the kernel's session sends it
        outputs = self.cells[-1]
        if msg_type == "clear_output":
            if content.get("wait"):
                self._clear_before_next = True
            else:
                self._clear(outputs)
            return
        display_id = (content.get("transient") or {}).get("display_id")
        if display_id and msg_type in ("execute_result", "display_data", "update_display_data"):
            self._update_display(display_id, content)
        if msg_type == "update_display_data":
            return
        output = self._output_from_msg({"header": {"msg_type": msg_type}, "content": content})
        if self._clear_before_next:
            self._clear(outputs)
            self._clear_before_next = False
        if display_id:
            cell = self._display_ids.setdefault(display_id, {})
            cell.setdefault(len(self.cells) - 1, []).append(len(outputs))
        outputs.append(output)

    def _clear(self, outputs: list[dict[str, Any]]) -> None:
        outputs.clear()
        for cells in self._display_ids.values():
            cells.pop(len(self.cells) - 1, None)

    def _update_display(self, display_id: str, content: dict[str, Any]) -> None:
        if display_id not in self._display_ids:
            return
        shown = self._output_from_msg({"header": {"msg_type": "display_data"}, "content": content})
        for cell, indices in self._display_ids[display_id].items():
            for index in indices:
                self.cells[cell][index]["data"] = shown["data"]
                self.cells[cell][index]["metadata"] = shown["metadata"]


class _Stream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` in the child: text goes to the recorder, as a stream."""

    def __init__(self, name: str, recorder: _Recorder, descriptor: int) -> None:
        self.name = name  # as ipykernel's OutStream
        self._recorder = recorder
        self._descriptor = descriptor

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "UTF-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._recorder.write(self.name, text)
        return len(text)

    def flush(self) -> None:
        self._recorder.flush(self.name)

    def fileno(self) -> int:
        return self._descriptor  # redirected to a file the recorder reads

    def isatty(self) -> bool:
        return False
