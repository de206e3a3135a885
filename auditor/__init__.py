"""Health Claim Auditor: flags contradicted, unsupported and overstated medical claims and
misused terminology in health articles, with evidence.

    >>> from auditor import Auditor
    >>> report = Auditor().audit("Kratom isn't habit-forming.")
"""

import logging

__version__ = "0.1.0"

from auditor.api import Auditor
from auditor.errors import AuditorError, DataError, InputError, ModelError
from auditor.records import Claim, Document, Evidence, Finding, Report

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Auditor", "AuditorError", "Claim", "DataError", "Document", "Evidence", "Finding",
           "InputError", "ModelError", "Report", "__version__"]
