"""The data files a plan reads besides the keys' columns: a recipient group's table, its names
checked (present, unique) before its recipients are read (``model_keys``), and a requisition
step's requests; and the message for a recipient that is not in any group.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping

from gnvtools.core import params as p
from gnvtools.core.model_files import ParamFile
from gnvtools.core.model_keys import Recipient, RecipientTable, read_recipients, row_numbers
from gnvtools.core.money import swedish_sorted
from gnvtools.core.tables import check_unique, parse_amount, read_table
from gnvtools.errors import InputError


def load_group(file: ParamFile, spec: p.RecipientGroup) -> RecipientTable:
    """A recipient group's table: at least one row, every name given and unique."""
    resolved, shown = file.data_path(spec.file)
    table = read_table(resolved, display=shown)
    table.require("name")
    if not table.rows:
        raise InputError(
            "filen har bara en rubrikrad; lägg till en rad per mottagare",
            file=table.path,
            row=table.header_row + 1,
        )
    names = table.column("name")
    rows = row_numbers(table)
    if not all(names):
        raise InputError("namnet saknas", file=table.path, row=rows[names.index("")], column="name")
    if len(set(names)) < len(names):
        check_unique(table, "name", list(zip(rows, names, strict=True)))
    return read_recipients(table, spec)


def unknown_recipient(name: str, known: Iterable[str]) -> str:
    """``okänd mottagare "Bromm" (menar du "Bromma"?)``, or a few known names."""
    names = list(known)
    by_fold = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(by_fold), n=2, cutoff=0.6)
    if close:
        options = " eller ".join(f'"{by_fold[c]}"' for c in close)
        return f'okänd mottagare "{name}" (menar du {options}?)'
    sample = ", ".join(swedish_sorted(names)[:6])
    return f'okänd mottagare "{name}" (finns t.ex.: {sample} …)'


def load_requests(
    file: ParamFile,
    name: str,
    known: Mapping[str, Recipient],
    step: tuple[str, Collection[str]] | None = None,
) -> dict[str, int]:
    """A requests file: columns ``recipient`` and ``amount`` (whole kronor).

    With ``step`` (its name and recipients), a request from anyone outside the step is an error
    naming its row.
    """
    resolved, shown = file.data_path(name)
    table = read_table(resolved, display=shown)
    table.require("recipient", "amount")
    check_unique(table, "recipient", [(r, row["recipient"]) for r, row in table.numbered()])
    requests: dict[str, int] = {}
    for row_no, row in table.numbered():
        who = row["recipient"]
        if who not in known:
            raise InputError(
                unknown_recipient(who, known), file=table.path, row=row_no, column="recipient"
            )
        if step is not None and who not in step[1]:
            raise InputError(
                f'"{who}" begär medel men ingår inte bland mottagarna i steget "{step[0]}"',
                file=table.path,
                row=row_no,
                column="recipient",
            )
        requests[who] = parse_amount(row["amount"], file=table.path, row=row_no, column="amount")
    return requests
