"""Services about cases: who a report names, two-person requests, receipts held for the filer, access logs."""
