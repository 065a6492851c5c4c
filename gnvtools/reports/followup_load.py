"""What the year-end follow-up reads besides its plan: the organisation's own sections (its
text file under ``followup.texts``, checked against the catalogue) and its own rules file.
"""

from __future__ import annotations

from gnvtools.core.figures import Catalogue
from gnvtools.core.model import Plan
from gnvtools.errors import InputError
from gnvtools.reports.texts import Texts, check_text, read_texts

#: The sections an organisation may write in its follow-up text file, in the order shown.
AUTHORED_SECTIONS = (
    "Sammanfattning",
    "Bakgrund",
    "Ärendets beredning",
    "Förvaltningens synpunkter",
    "Jämställdhetsanalys",
)


def load_followup_texts(plan: Plan, figures: Catalogue) -> Texts | None:
    """The organisation's own follow-up sections, checked against the catalogue."""
    spec = plan.params.followup
    if spec is None or not spec.texts:
        return None
    resolved, shown = plan.file.data_path(spec.texts)
    if resolved.suffix.lower() != ".md":
        raise InputError(
            "textfilen ska vara en Markdown-fil (.md)",
            file=plan.file.shown,
            row=plan.file.line("followup", "texts"),
            key="followup.texts",
        )
    texts = read_texts(resolved, shown, AUTHORED_SECTIONS)
    check_text(texts, figures)
    return texts
