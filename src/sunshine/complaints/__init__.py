"""异议、质疑、投诉: objections to the tenderer (engineering), challenges to the purchaser or agency (government
procurement) and complaints to the supervisory department, with their statutory clocks computed from each case's
history (``core.caseclock``), the suspensions they cause through the kernel, the statutory outcomes as lifecycle
steps, evidence in the file store, and decisions published through the disclosure review (docs/complaints.md)."""
