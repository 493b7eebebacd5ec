"""Platform incidents (平台故障与应急处置): the centre declares a failure of the platform itself, the supervisory
department confirms it, the deadlines and openings it affects are suspended and, at its end, resumed with their
announced dates extended; notices of both go out through the disclosure pipeline."""
