"""Rule packs: every statutory time limit and threshold as versioned data with its legal basis."""
