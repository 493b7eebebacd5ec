"""The expert pool (评标专家库): admission, the specialty tree, leave, conflicts, sanctions, evaluation and training."""
