-- One entry's events, newest first (the graph page's entry panel: GET /api/events?kb=&entry_id=
-- &order=newest), schema version 6 (SQLite). Without it such a read walks every event of the
-- KB. seq is the rowid, which SQLite keeps in every index: (entry_id, kb) is enough to read in
-- seq order, and the entry id first makes it the smallest such index.
CREATE INDEX events_entry ON events (entry_id, kb);
