"""服务台 (the service desk, issue 18 part B): 12345-style work orders (咨询、投诉、建议、求助、表扬、举报) with
their clock, routing, chasing, escalation, reply, callback and closing; the city's 12345 hotline interface, call
recordings and agents' shifts; satisfaction surveys after each service a party received, with the 特约监督员's
ratings, monthly published results; the knowledge base (办事指南、常见问题) with suggestions by similarity.
A domain above complaints (a trading complaint is handed to it) and every domain whose services it surveys."""
