"""Keeping the data current from the workbench: the evidence rows, forms generated from the
schema, saving a change where the data live (a snapshot first, the CLI's checks), and an
uploaded workbook previewed and applied. The "to verify" queue itself is an analysis
(:mod:`ccm_graph.analysis.verify`)."""

from .coverage import read_funding_coverage
from .evidence import EVIDENCE_COLUMNS, EVIDENCE_FILE, EvidenceRow, read_evidence
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
    PENDING_EVIDENCE_FILE,
    Saved,
    change_history,
    data_digest,
    evidence_rows,
    full_dataset,
    save_dataset,
    snapshots_dir_of,
)
from .upload import MAX_UPLOAD_BYTES, UploadPreview, apply_upload, preview_upload, read_upload

__all__ = [
    "EVIDENCE_COLUMNS",
    "EVIDENCE_FILE",
    "HISTORY_FILE",
    "MAX_UPLOAD_BYTES",
    "PENDING_EVIDENCE_FILE",
    "RECORD_KINDS",
    "EvidenceRow",
    "FormCheck",
    "FormField",
    "Saved",
    "UploadPreview",
    "apply_upload",
    "change_history",
    "check_form",
    "data_digest",
    "evidence_rows",
    "find_record",
    "full_dataset",
    "preview_upload",
    "read_evidence",
    "read_funding_coverage",
    "read_upload",
    "record_form",
    "record_key",
    "record_values",
    "replace_record",
    "save_dataset",
    "snapshots_dir_of",
]
