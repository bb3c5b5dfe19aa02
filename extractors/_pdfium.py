"""One lock for every call into PDFium (pypdfium2).

PDFium is not thread-safe: two threads in it at once crash the process
(seen with Prefect's thread-pool task runner ingesting two batches), and its
last-error code is process-global. Every recon call into pypdfium2 holds
:data:`PDFIUM_LOCK`; the work inside is short (page counts, a text-layer
probe, rendering a page), so threads still overlap on everything else.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
