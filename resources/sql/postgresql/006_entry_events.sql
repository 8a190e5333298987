-- One entry's events, newest first (the graph page's entry panel: GET /api/events?kb=&entry_id=
-- &order=newest), schema version 6 (PostgreSQL). Without it such a read walks every
-- event of the KB.
CREATE INDEX events_entry_seq ON events (kb, entry_id, seq);
