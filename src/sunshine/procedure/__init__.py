"""The procedure before and around the notice: the catalogue of what must be traded on the platform (应进必进),
direct awards without tender, and changes of method after failed tenders."""
