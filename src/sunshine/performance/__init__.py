"""Contract performance (履约): securities, payments, changes, acceptance, the written report of the tender."""
