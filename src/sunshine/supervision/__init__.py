"""社会监督: social supervisors and their work cards, the weekly schedule, observers at sessions, the opinion
box and open days of four kinds (seeds 000 and 004)."""
