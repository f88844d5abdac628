"""Keeping the data current from the workbench: forms generated from the schema, the evidence
rows a fix brings from its source (``Dataset.evidence`` records, checked by the library's
evidence rules), saving a change where the data live (a snapshot first, the CLI's checks),
an uploaded workbook previewed and applied, and the coalition workflow on a seed folder
(:mod:`~ccm_graph.keeping.coalitions`; the command line's own on Neo4j). The "to verify"
queue itself is an analysis (:mod:`ccm_graph.analysis.verify`)."""

from .coalitions import change_coalition, coalition_history
from .conflicts import (
    Conflict,
    ConflictRow,
    RecordChanged,
    read_started,
    record_conflict,
    record_fingerprint,
)
from .evidence import FixSource, fix_evidence, with_evidence
from .forms import (
    RECORD_KINDS,
    FormCheck,
    FormField,
    check_form,
    find_record,
    record_form,
    record_key,
    record_values,
    replace_record,
)
from .saving import (
    HISTORY_FILE,
    SAVE_ATTEMPTS,
    Saved,
    change_history,
    data_digest,
    full_dataset,
    save_dataset,
    snapshots_dir_of,
)
from .upload import MAX_UPLOAD_BYTES, UploadPreview, apply_upload, preview_upload, read_upload
from .visibility import hidden_conflict

__all__ = [
    "HISTORY_FILE",
    "MAX_UPLOAD_BYTES",
    "RECORD_KINDS",
    "SAVE_ATTEMPTS",
    "Conflict",
    "ConflictRow",
    "FixSource",
    "FormCheck",
    "FormField",
    "RecordChanged",
    "Saved",
    "UploadPreview",
    "apply_upload",
    "change_coalition",
    "change_history",
    "check_form",
    "coalition_history",
    "data_digest",
    "find_record",
    "fix_evidence",
    "full_dataset",
    "hidden_conflict",
    "preview_upload",
    "read_started",
    "read_upload",
    "record_conflict",
    "record_fingerprint",
    "record_form",
    "record_key",
    "record_values",
    "replace_record",
    "save_dataset",
    "snapshots_dir_of",
    "with_evidence",
]
