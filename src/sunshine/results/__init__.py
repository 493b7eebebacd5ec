"""The results of a sealed-bid project after its evaluation: the candidates' publicity, objections to the evaluation
result, the re-check of the candidates, the winner's determination and the result notice (docs/results.md)."""
