"""Small-works fixed-price draw (小额工程固定价抽取): for engineering projects below the pack's threshold, the
qualified registered contractors of a section enter a publicly verifiable random draw (``sunshine.draws``) at
the section's fixed price; the contractor and a reserve are drawn, the result is published with the replay
data, and after the publicity period the result is determined and the contract deadline runs."""
