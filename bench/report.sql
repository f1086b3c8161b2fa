-- The peer of `makegood report --week 2026-W46 --format csv` in bench/run.sh: the same
-- metrics, for the same two weeks (2026-W46 and the week before), written as plain SQL a
-- competent analyst would write and run by `sqlite3`. Checked by hand against makegood's
-- numbers on the generated database. Percentiles are nearest-rank, as makegood's.
SELECT opened_at >= '2026-11-09T00:00:00Z', count(*) FROM incidents WHERE opened_at >= '2026-11-02T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' GROUP BY 1;
SELECT opened_at >= '2026-11-09T00:00:00Z', category, count(*) FROM incidents WHERE opened_at >= '2026-11-02T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' GROUP BY 1, 2;
SELECT opened_at >= '2026-11-09T00:00:00Z', severity, count(*) FROM incidents WHERE opened_at >= '2026-11-02T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' GROUP BY 1, 2;
SELECT closed_at >= '2026-11-09T00:00:00Z', category, count(*) FROM incidents WHERE closed_at >= '2026-11-02T00:00:00Z' AND closed_at < '2026-11-16T00:00:00Z' GROUP BY 1, 2;
SELECT given_at >= '2026-11-09T00:00:00Z', tier, sum(value) FROM remedies WHERE given_at >= '2026-11-02T00:00:00Z' AND given_at < '2026-11-16T00:00:00Z' GROUP BY 1, 2;
WITH h AS (SELECT opened_at >= '2026-11-09T00:00:00Z' AS cur, (julianday(first_response_at) - julianday(opened_at)) * 24 AS v FROM incidents WHERE opened_at >= '2026-11-02T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' AND first_response_at IS NOT NULL),
 r AS (SELECT cur, v, row_number() OVER (PARTITION BY cur ORDER BY v) AS k, count(*) OVER (PARTITION BY cur) AS n FROM h)
SELECT cur, min(v) FILTER (WHERE k * 100 >= n * 50), min(v) FILTER (WHERE k * 100 >= n * 90) FROM r GROUP BY cur;
WITH h AS (SELECT opened_at >= '2026-11-09T00:00:00Z' AS cur, (julianday(remedied_at) - julianday(opened_at)) * 24 AS v FROM incidents WHERE opened_at >= '2026-11-02T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' AND remedied_at IS NOT NULL),
 r AS (SELECT cur, v, row_number() OVER (PARTITION BY cur ORDER BY v) AS k, count(*) OVER (PARTITION BY cur) AS n FROM h)
SELECT cur, min(v) FILTER (WHERE k * 100 >= n * 50), min(v) FILTER (WHERE k * 100 >= n * 90) FROM r GROUP BY cur;
SELECT opened_at >= '2026-11-09T00:00:00Z', avg((julianday(coalesce(first_response_at, '2026-11-20T10:00:00Z')) - julianday(opened_at)) * 24 > 24) FROM incidents WHERE opened_at >= '2026-11-02T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' GROUP BY 1;
SELECT due >= '2026-11-09', count(*), sum(done_at IS NOT NULL AND substr(done_at, 1, 10) <= due), sum(done_at IS NOT NULL AND substr(done_at, 1, 10) > due), sum(done_at IS NULL AND skipped_at IS NOT NULL), sum(done_at IS NULL AND skipped_at IS NULL), avg(csat) FROM follow_ups WHERE due >= '2026-11-02' AND due < '2026-11-16' GROUP BY 1;
SELECT i.closed_at >= '2026-11-09T00:00:00Z', i.outcome, EXISTS (SELECT 1 FROM remedies r WHERE r.incident_id = i.id AND r.tier = 'better-than-right'), count(*) FROM incidents i WHERE i.closed_at >= '2026-11-02T00:00:00Z' AND i.closed_at < '2026-11-16T00:00:00Z' GROUP BY 1, 2, 3;
SELECT r.incident_id, c.name, r.value FROM remedies r JOIN incidents i ON i.id = r.incident_id JOIN customers c ON c.id = i.customer_id WHERE r.given_at >= '2026-11-09T00:00:00Z' AND r.given_at < '2026-11-16T00:00:00Z' AND r.credit_instead = 1 ORDER BY r.given_at;
SELECT c.name, g.n FROM (SELECT customer_id, count(*) AS n FROM incidents WHERE opened_at >= '2026-08-18T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' GROUP BY customer_id HAVING n > 1) g JOIN customers c ON c.id = g.customer_id ORDER BY g.n DESC, c.name LIMIT 100;
SELECT product, count(*) AS n FROM incidents WHERE opened_at >= '2026-08-18T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' AND product IS NOT NULL GROUP BY product HAVING n >= 3 ORDER BY n DESC, product LIMIT 100;
SELECT category, count(*) AS n FROM incidents WHERE opened_at >= '2026-08-18T00:00:00Z' AND opened_at < '2026-11-16T00:00:00Z' GROUP BY category HAVING n >= 3 ORDER BY n DESC, category LIMIT 100;
