"""Expert draw requests and the committees they form (专家抽取申请与评标委员会组成)."""
