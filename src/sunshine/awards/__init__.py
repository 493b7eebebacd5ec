"""Award letters (中标通知书/成交通知书 and 中标结果通知书): what follows a decided result."""
