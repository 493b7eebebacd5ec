"""Trading (交易): projects and their sections, the lifecycle engine, notices, registration,
qualification and deposits — from project registration (进场登记) to the bid deadline."""
