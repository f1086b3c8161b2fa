-- The peer of `makegood due --format csv` in bench/run.sh: the same two lookups (open
-- follow-ups due by today of incidents not closed, and incidents unanswered past the 24-hour
-- target), as plain SQL run by `sqlite3`.
SELECT f.id, f.due, f.action, i.id, c.name, i.category FROM follow_ups f JOIN incidents i ON i.id = f.incident_id JOIN customers c ON c.id = i.customer_id WHERE f.done_at IS NULL AND f.skipped_at IS NULL AND f.due <= '2026-11-20' AND i.status <> 'closed' ORDER BY f.due, f.id;
SELECT i.id, i.opened_at, c.name, i.category FROM incidents i JOIN customers c ON c.id = i.customer_id WHERE i.status <> 'closed' AND i.first_response_at IS NULL AND i.opened_at < '2026-11-19T10:00:00Z' ORDER BY i.opened_at, i.id;
