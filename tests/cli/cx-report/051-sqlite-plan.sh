# Independent recomputation of the plan table and of the plan's
# contact-policy violations (built-in rules) in SQL by sqlite3, from the
# same plan, accounts and contact history; every row must be equal as text.
# The plan is cx-plan's with three changes so that every kind of figure is
# non-zero: two planned contacts moved to 23:30 local time (hours), a held
# customer (hold:deceased) given a call and the customer who opted out of
# SMS on 2026-10-30 given an SMS, both at 10:00 local time.  Needs sqlite3.
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "sqlite3 is not installed: install the Debian package sqlite3"
	exit 1
fi
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 "$T/accounts.tsv" | cx-segment --as-of 2026-11-20 >seg.tsv || exit 1
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	seg.tsv >plan0.tsv || exit 1
awk -F '\t' -v OFS='\t' '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
$c["action"] == "contact" && moved < 2 {
	$c["window_start"] = substr($c["window_start"], 1, 11) "23:30:00" substr($c["window_start"], 20)
	moved++
}
$c["blocked_by"] == "hold:deceased" && !held {
	$c["action"] = "contact"; $c["channel"] = "call"; $c["blocked_by"] = ""
	$c["window_start"] = "2026-11-20T10:00:00-05:00"; held = 1
}
$c["customer_key"] == "c78a4397a754f5322" {
	$c["action"] = "contact"; $c["channel"] = "sms"; $c["blocked_by"] = ""
	$c["window_start"] = "2026-11-20T10:00:00-05:00"
}
{ print }' plan0.tsv >plan.tsv
cx-report --as-of 2026-11-20 --contacts "$T/contacts.tsv" --plan plan.tsv seg.tsv >got.tsv ||
	exit 1
cat >q.sql <<SQL
.mode tabs
.import seg.tsv acc
.import plan.tsv plan0
.import $T/contacts.tsv con
.import got.tsv got
CREATE TABLE ca AS SELECT rowid AS rid, customer_key AS ck, account_id AS id, currency AS cur,
  flags, country FROM acc;
CREATE TABLE pr AS SELECT c.ck,
  (SELECT cur FROM ca WHERE ca.ck=c.ck ORDER BY rid LIMIT 1) AS cur,
  (SELECT country FROM ca WHERE ca.ck=c.ck ORDER BY rid LIMIT 1) AS country,
  EXISTS(SELECT 1 FROM ca WHERE ca.ck=c.ck AND (','||flags||',' LIKE '%,dispute,%'
    OR ','||flags||',' LIKE '%,bankruptcy,%' OR ','||flags||',' LIKE '%,deceased,%'
    OR ','||flags||',' LIKE '%,cease,%')) AS held
  FROM (SELECT DISTINCT ck FROM ca) c;
-- one row per plan row: the customer's cut (currency of its first account),
-- first account, family of blocked_by, and the offer in minor units
CREATE TABLE pl AS SELECT p.customer_key AS ck, p.action, p.channel AS ch, p.queue AS q,
  p.blocked_by AS rule, CAST(p.n_accounts AS INTEGER) AS nacc, p.window_start AS ws,
  coalesce(pr.cur, substr(p.balance, 1, 3)) AS cur, pr.ck IS NULL AS unmatched,
  p.action <> 'none' AS planned,
  CASE WHEN instr(p.accounts, ',') > 0 THEN substr(p.accounts, 1, instr(p.accounts, ',') - 1)
       ELSE p.accounts END AS acct,
  CASE WHEN instr(p.blocked_by, ':') > 0 THEN
         CASE WHEN substr(p.blocked_by, 1, instr(p.blocked_by, ':') - 1) IN
                   ('hold', 'promise', 'opt_out', 'ladder', 'treatment', 'policy')
              THEN substr(p.blocked_by, 1, instr(p.blocked_by, ':') - 1) ELSE 'contact_law' END
       WHEN p.blocked_by IN ('no_phone', 'no_email') THEN 'no_address'
       ELSE p.blocked_by END AS fam,
  p.offer_type AS ot,
  CASE p.offer_type WHEN 'plan' THEN substr(p.instalment_amount, 1, 3)
       WHEN 'settlement' THEN substr(p.settlement_amount, 1, 3) ELSE '' END AS ocur,
  CAST(p.instalments AS INTEGER) AS ninst,
  CAST(replace(substr(p.instalment_amount, 5), '.', '') AS INTEGER) AS inst,
  CAST(replace(substr(p.settlement_amount, 5), '.', '') AS INTEGER) AS settle,
  p.past_due AS pdl, p.balance AS bl
  FROM plan0 p LEFT JOIN pr ON pr.ck = p.customer_key;
-- amount of currency c in a "CUR:amount,CUR:amount" list, in minor units
CREATE VIEW off AS SELECT pl.*,
  CAST(replace(CASE WHEN instr(substr(pdl, instr(pdl, ocur || ':') + 4), ',') > 0
    THEN substr(substr(pdl, instr(pdl, ocur || ':') + 4), 1,
                instr(substr(pdl, instr(pdl, ocur || ':') + 4), ',') - 1)
    ELSE substr(pdl, instr(pdl, ocur || ':') + 4) END, '.', '') AS INTEGER) AS pd,
  CAST(replace(CASE WHEN instr(substr(bl, instr(bl, ocur || ':') + 4), ',') > 0
    THEN substr(substr(bl, instr(bl, ocur || ':') + 4), 1,
                instr(substr(bl, instr(bl, ocur || ':') + 4), ',') - 1)
    ELSE substr(bl, instr(bl, ocur || ':') + 4) END, '.', '') AS INTEGER) AS bal
  FROM pl WHERE planned AND ot <> '';
CREATE TABLE curs AS SELECT cur FROM pl UNION SELECT ocur FROM off;
-- money in minor units -> canonical text (every currency here has exponent 2)
CREATE TABLE exp (tbl, kpi, cur, d1, d2, value);
INSERT INTO exp SELECT 'plan', 'customers', c.cur, '', '', (SELECT count(*) FROM pl WHERE pl.cur = c.cur) FROM curs c;
INSERT INTO exp SELECT 'plan', 'customers_not_in_accounts', c.cur, '', '', (SELECT count(*) FROM pl WHERE pl.cur = c.cur AND unmatched) FROM curs c;
INSERT INTO exp SELECT 'plan', 'actions', cur, action, '', count(*) FROM pl GROUP BY cur, action;
INSERT INTO exp SELECT 'plan', 'planned_contacts', c.cur, '', '', (SELECT count(*) FROM pl WHERE pl.cur = c.cur AND planned) FROM curs c;
INSERT INTO exp SELECT 'plan', 'planned_contacts', cur, ch, '', count(*) FROM pl WHERE planned GROUP BY cur, ch;
INSERT INTO exp SELECT 'plan', 'planned_contacts', cur, ch, q, count(*) FROM pl WHERE planned AND q <> '' GROUP BY cur, ch, q;
INSERT INTO exp SELECT 'plan', 'blocked_customers', c.cur, '', '', (SELECT count(*) FROM pl WHERE pl.cur = c.cur AND NOT planned) FROM curs c;
INSERT INTO exp SELECT 'plan', 'blocked_customers', cur, fam, '', count(*) FROM pl WHERE NOT planned GROUP BY cur, fam;
INSERT INTO exp SELECT 'plan', 'blocked_customers', cur, fam, rule, count(*) FROM pl WHERE NOT planned AND rule <> fam GROUP BY cur, fam, rule;
INSERT INTO exp SELECT 'plan', 'blocked_accounts', c.cur, '', '', (SELECT total(nacc) FROM pl WHERE pl.cur = c.cur AND NOT planned) FROM curs c;
INSERT INTO exp SELECT 'plan', 'blocked_accounts', cur, fam, '', sum(nacc) FROM pl WHERE NOT planned GROUP BY cur, fam;
INSERT INTO exp SELECT 'plan', 'blocked_accounts', cur, fam, rule, sum(nacc) FROM pl WHERE NOT planned AND rule <> fam GROUP BY cur, fam, rule;
INSERT INTO exp SELECT 'plan', 'offers', ocur, ot, '', count(*) FROM off GROUP BY ocur, ot;
INSERT INTO exp SELECT 'plan', 'offer_amount', ocur, ot, '', sum(CASE ot WHEN 'plan' THEN pd ELSE settle END) FROM off GROUP BY ocur, ot;
INSERT INTO exp SELECT 'plan', 'instalments', ocur, ot, '', sum(ninst) FROM off WHERE ot = 'plan' GROUP BY ocur;
INSERT INTO exp SELECT 'plan', 'instalment_amount', ocur, ot, '', sum(inst) FROM off WHERE ot = 'plan' GROUP BY ocur;
INSERT INTO exp SELECT 'plan', 'settlement_discount', ocur, ot, '', sum(bal - settle) FROM off WHERE ot = 'settlement' GROUP BY ocur;
UPDATE exp SET value = CAST(value AS INTEGER);
UPDATE exp SET value = CASE WHEN kpi IN ('offer_amount', 'instalment_amount', 'settlement_discount')
  THEN (CASE WHEN value < 0 THEN '-' ELSE '' END) || (abs(value) / 100) || '.' || substr('00' || (abs(value) % 100), -2)
  ELSE value || '' END;
-- the plan's violations, built-in rules: each planned contact at its
-- window_start in the currency of its account
CREATE TABLE pc AS SELECT pl.*, substr(ws, 12, 5) AS hm, substr(ws, 1, 10) AS day,
  CAST(strftime('%w', substr(ws, 1, 10)) AS INTEGER) AS wd,
  CAST(strftime('%s', ws) AS INTEGER) AS t,
  coalesce((SELECT cur FROM ca WHERE ca.ck = pl.ck AND ca.id = pl.acct ORDER BY rid LIMIT 1), pl.cur) AS vcur,
  coalesce(pr.country, '') AS country, coalesce(pr.held, 0) AS held
  FROM pl LEFT JOIN pr ON pr.ck = pl.ck WHERE planned;
CREATE TABLE hol AS SELECT '2026-11-02' AS d UNION SELECT '2026-11-16';
CREATE TABLE cx AS SELECT customer_key AS ck, account_id AS id, channel AS ch, direction AS dir,
  outcome AS oc, CAST(strftime('%s', timestamp) AS INTEGER) AS t FROM con;
CREATE TABLE viol AS
  SELECT vcur AS cur, 'hours' AS rule FROM pc WHERE ch <> 'letter' AND (
    (country = 'CO' AND (wd = 0 OR day IN (SELECT d FROM hol)
       OR (wd BETWEEN 1 AND 5 AND (hm < '07:00' OR hm >= '19:00'))
       OR (wd = 6 AND (hm < '08:00' OR hm >= '15:00'))))
    OR (country = 'MX' AND (hm < '07:00' OR hm >= '22:00'))
    OR (country NOT IN ('CO', 'MX') AND (hm < '08:00' OR hm >= '21:00')))
  UNION ALL SELECT vcur, 'hold' FROM pc WHERE held
  UNION ALL SELECT vcur, 'after_opt_out' FROM pc WHERE EXISTS(SELECT 1 FROM cx
    WHERE cx.ck = pc.ck AND cx.ch = pc.ch AND cx.oc = 'opt_out' AND cx.t < pc.t)
  UNION ALL SELECT vcur, 'call_frequency' FROM pc WHERE ch = 'call' AND
    (SELECT count(*) FROM cx WHERE cx.ck = pc.ck AND cx.id = pc.acct AND cx.ch = 'call'
      AND cx.dir = 'out' AND cx.t <= pc.t AND cx.t > pc.t - 604800) >= 7;
CREATE TABLE vcurs AS SELECT cur FROM ca UNION SELECT cur FROM curs;
INSERT INTO exp SELECT 'kpi', 'plan_violations', c.cur, '', '', (SELECT count(*) FROM viol WHERE viol.cur = c.cur) || '' FROM vcurs c;
INSERT INTO exp SELECT 'kpi', 'plan_violations', c.cur, r.rule, '', (SELECT count(*) FROM viol WHERE viol.cur = c.cur AND viol.rule = r.rule) || '' FROM vcurs c,
  (SELECT 'hours' AS rule UNION SELECT 'hold' UNION SELECT 'after_opt_out' UNION SELECT 'call_frequency') r;
CREATE VIEW g AS SELECT "table" AS tbl, kpi, currency AS cur, dim1 AS d1, dim2 AS d2, value FROM got
  WHERE "table" = 'plan' OR kpi = 'plan_violations';
SELECT 'missing in cx-report', * FROM (SELECT * FROM exp EXCEPT SELECT * FROM g);
SELECT 'not expected', * FROM (SELECT * FROM g EXCEPT SELECT * FROM exp);
SELECT 'compared', count(*) FROM g;
SELECT 'violations', rule, count(*) FROM viol GROUP BY rule;
SQL
sqlite3 -bail :memory: <q.sql >res.txt 2>err.txt || { cat err.txt; exit 1; }
if grep -q -e '^missing' -e '^not expected' res.txt; then cat res.txt; exit 1; fi
n=$(grep '^compared' res.txt | cut -f2)
[ "$n" -gt 60 ] || { echo "too few rows compared: $n"; exit 1; }
echo "ok: $n plan rows equal to the SQL recomputation"
grep '^violations' res.txt
