"""电子监察: monitoring rules as data, red flags and collusion signals raised as alerts for the supervisory
department, their handling, statistics, recordings of sessions and portal usage counts."""
