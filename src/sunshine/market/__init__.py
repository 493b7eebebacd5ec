"""市场主体库: market participants register themselves, the centre reviews them, they manage their people."""
