# Independent recomputation: every KPI row cx-report writes for the test
# portfolio (cut by currency) is recomputed in SQL by sqlite3 from the same
# canonical files, and the two must be equal as text.  Covered: aging, the
# roll-rate matrix, every row of the kpi table and the per-arm rows of the
# champion/challenger table (the difference rows with their confidence
# intervals and p-values are covered by check_report_math).  Needs sqlite3
# (Debian package sqlite3, in the CI dependencies).
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "sqlite3 is not installed: install the Debian package sqlite3"
	exit 1
fi
T=$TESTDATA/canonical R=$TESTDATA/report
cx-report --as-of 2026-11-20 --previous "$R/previous.tsv" --payments "$T/payments.tsv" \
	--contacts "$T/contacts.tsv" --statements "$T/statements.tsv" --costs "$R/costs.tsv" \
	"$R/current.tsv" >got.tsv || exit 1
S=2026-10-22 E=2026-11-20
# money in minor units -> canonical text (every currency here has exponent 2)
M() { echo "(CASE WHEN ($1)<0 THEN '-' ELSE '' END || (abs($1)/100) || '.' || substr('00' || (abs($1)%100), -2))"; }
# num * mult / den rounded half away from zero to D decimals (D = 1, 2)
R() { # num den mult dec
	p=$(( $4 == 1 ? 10 : 100 ))
	v="((2*abs($1)*$3*$p + abs($2)) / (2*abs($2)))"
	echo "(CASE WHEN ($2)=0 THEN '' ELSE (CASE WHEN (($1)<0) <> (($2)<0) AND $v<>0 THEN '-' ELSE '' END) || ($v/$p) || '.' || substr('00' || ($v%$p), -$4) END)"
}
RPC="('right_party','promise','refused','dispute','complaint','opt_out','paid')"
cat >q.sql <<SQL
.mode tabs
.import $R/current.tsv cur
.import $R/previous.tsv prev
.import $T/payments.tsv pay0
.import $T/contacts.tsv con
.import $T/statements.tsv stm0
.import $R/costs.tsv costs
.import got.tsv got
CREATE VIEW ca AS SELECT rowid AS rid, customer_key AS ck, account_id AS id, source AS src,
  currency AS cur, CAST(replace(balance,'.','') AS INTEGER) AS bal,
  CAST(replace(past_due,'.','') AS INTEGER) AS pd, CAST(days_past_due AS INTEGER) AS dpd, bucket,
  flags, country, score, experiment AS exp, arm FROM cur;
CREATE VIEW pa AS SELECT rowid AS rid, customer_key AS ck, account_id AS id, source AS src,
  currency AS cur, CAST(replace(balance,'.','') AS INTEGER) AS bal,
  CAST(replace(past_due,'.','') AS INTEGER) AS pd, CAST(days_past_due AS INTEGER) AS dpd, bucket,
  flags, country, score, experiment AS exp, arm FROM prev;
CREATE TABLE pay AS SELECT rowid AS rid, customer_key AS ck, account_id AS id, date AS day,
  CAST(replace(amount,'.','') AS INTEGER) AS amt, currency AS cur FROM pay0;
CREATE VIEW payp AS SELECT * FROM pay WHERE day BETWEEN '$S' AND '$E';
CREATE TABLE custs AS SELECT ck FROM ca UNION SELECT ck FROM pa UNION SELECT ck FROM pay
  UNION SELECT customer_key FROM con UNION SELECT customer_key FROM stm0;
CREATE TABLE prim AS SELECT c.ck,
  coalesce((SELECT rid FROM ca WHERE ca.ck=c.ck ORDER BY rid LIMIT 1), -1) AS crid,
  coalesce((SELECT rid FROM pa WHERE pa.ck=c.ck ORDER BY rid LIMIT 1), -1) AS prid,
  (SELECT count(*) FROM ca WHERE ca.ck=c.ck) AS ncur,
  EXISTS(SELECT 1 FROM pa WHERE pa.ck=c.ck AND pa.dpd>0) AS dq,
  EXISTS(SELECT 1 FROM ca WHERE ca.ck=c.ck AND (','||flags||',' LIKE '%,dispute,%'
    OR ','||flags||',' LIKE '%,bankruptcy,%' OR ','||flags||',' LIKE '%,deceased,%'
    OR ','||flags||',' LIKE '%,cease,%')) AS held
  FROM custs c;
CREATE TABLE pr AS SELECT p.*,
  coalesce((SELECT cur FROM ca WHERE rid=p.crid), (SELECT cur FROM pa WHERE rid=p.prid), '') AS cur,
  coalesce((SELECT country FROM ca WHERE rid=p.crid), (SELECT country FROM pa WHERE rid=p.prid), '') AS country,
  coalesce((SELECT exp FROM ca WHERE rid=p.crid), (SELECT exp FROM pa WHERE rid=p.prid), '') AS exp,
  coalesce((SELECT arm FROM ca WHERE rid=p.crid), (SELECT arm FROM pa WHERE rid=p.prid), '') AS arm,
  (p.dq AND p.ncur>0 AND NOT EXISTS(SELECT 1 FROM ca WHERE ca.ck=p.ck AND ca.dpd>0)) AS cured
  FROM prim p;
CREATE TABLE roll AS
  SELECT coalesce(c.cur, p.cur) AS cur, p.bucket AS f, coalesce(c.bucket,'closed') AS t,
    p.bal AS bal, p.dpd AS pdpd, p.pd AS ppd, p.ck AS ck, p.id AS id
  FROM pa p LEFT JOIN ca c ON c.ck=p.ck AND c.id=p.id AND c.src=p.src
  UNION ALL
  SELECT c.cur, 'new', c.bucket, c.bal, 0, 0, c.ck, c.id FROM ca c WHERE NOT EXISTS
    (SELECT 1 FROM pa p WHERE p.ck=c.ck AND p.id=c.id AND p.src=c.src);
CREATE TABLE buckets AS SELECT bucket AS b FROM ca UNION SELECT bucket FROM pa;
CREATE VIEW rk AS SELECT b, CASE b WHEN 'current' THEN 0 ELSE CAST(b AS INTEGER) END AS r FROM buckets;
CREATE TABLE cx AS SELECT n.rowid AS rid, n.customer_key AS ck, n.account_id AS id,
  n.channel AS ch, n.direction AS dir, n.outcome AS oc, substr(n.timestamp,1,10) AS day,
  substr(n.timestamp,12,5) AS hm, CAST(strftime('%s', n.timestamp) AS INTEGER) AS t,
  CAST(strftime('%w', substr(n.timestamp,1,10)) AS INTEGER) AS wd,
  coalesce((SELECT cur FROM ca WHERE ca.ck=n.customer_key AND ca.id=n.account_id ORDER BY rid LIMIT 1),
           (SELECT cur FROM pa WHERE pa.ck=n.customer_key AND pa.id=n.account_id ORDER BY rid LIMIT 1),
           (SELECT cur FROM pr WHERE pr.ck=n.customer_key)) AS cur,
  CAST(replace(n.promise_amount,'.','') AS INTEGER) AS pamt, n.promise_date AS pdate,
  n.currency AS ccur FROM con n;
CREATE VIEW cxp AS SELECT * FROM cx WHERE day BETWEEN '$S' AND '$E';
-- Colombian public holidays of 2026 (Ley 51 de 1983) inside the period
CREATE TABLE hol AS SELECT '2026-11-02' AS d UNION SELECT '2026-11-16';
CREATE TABLE viol AS
  SELECT x.cur, 'hours' AS rule FROM cxp x JOIN pr ON pr.ck=x.ck WHERE x.dir='out' AND x.ch<>'letter' AND (
    (pr.country='CO' AND (x.wd=0 OR x.day IN (SELECT d FROM hol)
       OR (x.wd BETWEEN 1 AND 5 AND (x.hm<'07:00' OR x.hm>='19:00'))
       OR (x.wd=6 AND (x.hm<'08:00' OR x.hm>='15:00'))))
    OR (pr.country='MX' AND (x.hm<'07:00' OR x.hm>='22:00'))
    OR (pr.country NOT IN ('CO','MX') AND (x.hm<'08:00' OR x.hm>='21:00')))
  UNION ALL SELECT x.cur, 'hold' FROM cxp x JOIN pr ON pr.ck=x.ck WHERE x.dir='out' AND pr.held
  UNION ALL SELECT x.cur, 'after_opt_out' FROM cxp x WHERE x.dir='out' AND EXISTS(SELECT 1 FROM cx o
    WHERE o.ck=x.ck AND o.ch=x.ch AND o.oc='opt_out' AND o.t < x.t)
  UNION ALL SELECT x.cur, 'call_frequency' FROM cxp x WHERE x.dir='out' AND x.ch='call' AND
    (SELECT count(*) FROM cx c2 WHERE c2.ck=x.ck AND c2.id=x.id AND c2.ch='call' AND c2.dir='out'
      AND c2.rid<x.rid AND c2.t > x.t-604800) >= 7;
CREATE TABLE stm AS SELECT s.*, LAG(bal) OVER (PARTITION BY ck, id ORDER BY rid) AS pbal FROM
  (SELECT rowid AS rid, customer_key AS ck, account_id AS id, statement_date AS day, currency AS cur,
   CAST(replace(balance,'.','') AS INTEGER) AS bal, CAST(replace(amount_paid,'.','') AS INTEGER) AS paid
   FROM stm0) s;
CREATE TABLE prom AS SELECT x.*, date(x.pdate, '+3 days') AS dl,
  CASE WHEN x.ccur<>'' THEN x.ccur ELSE x.cur END AS pcur FROM cx x WHERE x.oc='promise' AND x.pdate<>'';
CREATE TABLE curs AS SELECT DISTINCT cur FROM ca;
CREATE TABLE k AS SELECT c.cur,
  (SELECT count(DISTINCT ck) FROM ca WHERE ca.cur=c.cur) AS customers,
  (SELECT count(*) FROM ca WHERE ca.cur=c.cur) AS accounts,
  (SELECT total(bal) FROM ca WHERE ca.cur=c.cur) AS bal,
  (SELECT total(bal) FROM ca WHERE ca.cur=c.cur AND bucket='current') AS curbal,
  (SELECT total(pd) FROM ca WHERE ca.cur=c.cur) AS pd,
  (SELECT total(bal) FROM roll WHERE roll.cur=c.cur AND f<>'new') AS beg,
  (SELECT count(*) FROM roll WHERE roll.cur=c.cur AND f<>'new') AS rolled,
  (SELECT count(*) FROM roll JOIN rk a ON a.b=f JOIN rk z ON z.b=t WHERE roll.cur=c.cur AND z.r>a.r) AS fwd,
  (SELECT count(*) FROM roll JOIN rk a ON a.b=f JOIN rk z ON z.b=t WHERE roll.cur=c.cur AND z.r<a.r) AS bwd,
  (SELECT count(*) FROM roll WHERE roll.cur=c.cur AND f NOT IN ('new','current')) AS dqn,
  (SELECT total(bal) FROM roll WHERE roll.cur=c.cur AND f NOT IN ('new','current')) AS dqb,
  (SELECT count(*) FROM roll WHERE roll.cur=c.cur AND f NOT IN ('new','current') AND t='current') AS curen,
  (SELECT total(bal) FROM roll WHERE roll.cur=c.cur AND f NOT IN ('new','current') AND t='current') AS cureb,
  (SELECT count(*) FROM pr WHERE pr.cur=c.cur AND pr.dq) AS dqc,
  (SELECT count(*) FROM pr WHERE pr.cur=c.cur AND pr.cured) AS curedc,
  (SELECT total(max(0, bal - pbal + paid)) FROM stm WHERE stm.cur=c.cur AND pbal IS NOT NULL AND day BETWEEN '$S' AND '$E') AS sales,
  (SELECT total(amt) FROM payp WHERE payp.cur=c.cur) AS paid,
  (SELECT total(ppd) FROM roll WHERE roll.cur=c.cur AND f<>'new' AND pdpd>0) AS placed,
  (SELECT total(p.amt) FROM payp p JOIN pa ON pa.ck=p.ck AND pa.id=p.id WHERE p.cur=c.cur AND pa.dpd>0 AND pa.cur=p.cur) AS placedpaid,
  (SELECT count(*) FROM cxp WHERE cxp.cur=c.cur AND dir='out') AS att,
  (SELECT count(*) FROM cxp WHERE cxp.cur=c.cur AND dir='out' AND oc NOT IN ('failed','no_answer')) AS conn,
  (SELECT count(*) FROM cxp WHERE cxp.cur=c.cur AND dir='out' AND oc IN $RPC) AS rpco,
  (SELECT count(*) FROM cxp WHERE cxp.cur=c.cur AND oc IN $RPC) AS rpc,
  (SELECT count(*) FROM cxp WHERE cxp.cur=c.cur AND oc='promise') AS ptp,
  (SELECT count(*) FROM prom WHERE prom.pcur=c.cur AND dl BETWEEN '$S' AND '$E') AS pdue,
  (SELECT count(*) FROM prom WHERE prom.pcur=c.cur AND dl BETWEEN '$S' AND '$E' AND
     (SELECT total(amt) FROM pay WHERE pay.ck=prom.ck AND (prom.id='' OR pay.id=prom.id) AND pay.cur=prom.pcur
      AND pay.day BETWEEN prom.day AND prom.dl) * 100 >= prom.pamt * 100) AS pkept,
  (SELECT count(*) FROM cxp JOIN pr ON pr.ck=cxp.ck WHERE pr.cur=c.cur AND pr.cured AND dir='out') AS curedcon,
  (SELECT count(*) FROM cxp WHERE cxp.cur=c.cur AND oc='opt_out') AS optout,
  (SELECT count(*) FROM cxp WHERE cxp.cur=c.cur AND oc='complaint') AS compl,
  (SELECT total(CAST(replace(costs.cost,'.','') AS INTEGER)) FROM cxp JOIN costs ON costs.channel=cxp.ch AND costs.currency=cxp.cur WHERE cxp.cur=c.cur AND dir='out') AS cost
  FROM curs c;
CREATE TABLE exp (tbl, kpi, arm, cur, d1, d2, value);
INSERT INTO exp SELECT 'aging', 'accounts', '', c.cur, b.b, '', (SELECT count(*) FROM ca WHERE ca.cur=c.cur AND bucket=b.b) || '' FROM curs c, buckets b;
INSERT INTO exp SELECT 'aging', 'balance', '', c.cur, b.b, '', $(M "CAST((SELECT total(bal) FROM ca WHERE ca.cur=c.cur AND bucket=b.b) AS INTEGER)") FROM curs c, buckets b;
INSERT INTO exp SELECT 'roll', 'accounts', '', r.cur, r.f, r.t, $(R "count(*)" "(SELECT count(*) FROM roll r2 WHERE r2.cur=r.cur AND r2.f=r.f)" 100 2) FROM roll r GROUP BY r.cur, r.f, r.t;
INSERT INTO exp SELECT 'roll', 'balance', '', r.cur, r.f, r.t, $(R "CAST(total(r.bal) AS INTEGER)" "CAST((SELECT total(bal) FROM roll r2 WHERE r2.cur=r.cur AND r2.f=r.f) AS INTEGER)" 100 2) FROM roll r GROUP BY r.cur, r.f, r.t;
CREATE TABLE ki AS SELECT cur, CAST(customers AS INTEGER) AS customers, CAST(accounts AS INTEGER) AS accounts,
  CAST(bal AS INTEGER) AS bal, CAST(curbal AS INTEGER) AS curbal, CAST(pd AS INTEGER) AS pd,
  CAST(beg AS INTEGER) AS beg, rolled, fwd, bwd, dqn, CAST(dqb AS INTEGER) AS dqb, curen,
  CAST(cureb AS INTEGER) AS cureb, dqc, curedc, CAST(sales AS INTEGER) AS sales,
  CAST(paid AS INTEGER) AS paid, CAST(placed AS INTEGER) AS placed,
  CAST(placedpaid AS INTEGER) AS placedpaid, att, conn, rpco, rpc, ptp, pdue, pkept, curedcon,
  optout, compl, CAST(cost AS INTEGER) AS cost FROM k;
INSERT INTO exp SELECT 'kpi', 'customers', '', cur, '', '', customers || '' FROM ki;
INSERT INTO exp SELECT 'kpi', 'accounts', '', cur, '', '', accounts || '' FROM ki;
INSERT INTO exp SELECT 'kpi', 'balance', '', cur, '', '', $(M bal) FROM ki;
INSERT INTO exp SELECT 'kpi', 'current_balance', '', cur, '', '', $(M curbal) FROM ki;
INSERT INTO exp SELECT 'kpi', 'past_due', '', cur, '', '', $(M pd) FROM ki;
INSERT INTO exp SELECT 'kpi', 'delinquency_rate', '', cur, '', '', $(R "(bal-curbal)" bal 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'balance_begin', '', cur, '', '', $(M beg) FROM ki;
INSERT INTO exp SELECT 'kpi', 'roll_forward_rate', '', cur, '', '', $(R fwd rolled 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'roll_backward_rate', '', cur, '', '', $(R bwd rolled 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'cure_rate_accounts', '', cur, '', '', $(R curen dqn 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'cure_rate_balance', '', cur, '', '', $(R cureb dqb 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'cure_rate_customers', '', cur, '', '', $(R curedc dqc 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'credit_sales', '', cur, '', '', $(M sales) FROM ki;
INSERT INTO exp SELECT 'kpi', 'cei', '', cur, '', '', $(R "(beg + sales - bal)" "(beg + sales - curbal)" 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'dso', '', cur, '', '', $(R "bal*30" sales 1 1) FROM ki;
INSERT INTO exp SELECT 'kpi', 'best_possible_dso', '', cur, '', '', $(R "curbal*30" sales 1 1) FROM ki;
INSERT INTO exp SELECT 'kpi', 'average_days_delinquent', '', cur, '', '', $(R "(bal-curbal)*30" sales 1 1) FROM ki;
INSERT INTO exp SELECT 'kpi', 'collected', '', cur, '', '', $(M paid) FROM ki;
INSERT INTO exp SELECT 'kpi', 'recovery_rate', '', cur, '', '', $(R placedpaid placed 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'contact_attempts', '', cur, '', '', att || '' FROM ki;
INSERT INTO exp SELECT 'kpi', 'contact_rate', '', cur, '', '', $(R conn att 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'rpc_rate', '', cur, '', '', $(R rpco att 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'promise_to_pay_rate', '', cur, '', '', $(R ptp rpc 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'promise_kept_rate', '', cur, '', '', $(R pkept pdue 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'contacts_per_customer', '', cur, '', '', $(R att customers 1 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'contacts_per_cured_customer', '', cur, '', '', $(R curedcon curedc 1 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'opt_outs_per_1000_accounts', '', cur, '', '', $(R optout accounts 1000 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'complaints_per_1000_accounts', '', cur, '', '', $(R compl accounts 1000 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'collection_cost', '', cur, '', '', $(M cost) FROM ki;
INSERT INTO exp SELECT 'kpi', 'cost_to_collect', '', cur, '', '', $(R cost paid 100 2) FROM ki;
INSERT INTO exp SELECT 'kpi', 'policy_violations', '', c.cur, '', '', (SELECT count(*) FROM viol WHERE viol.cur=c.cur) || '' FROM curs c;
INSERT INTO exp SELECT 'kpi', 'policy_violations', '', c.cur, r.rule, '', (SELECT count(*) FROM viol WHERE viol.cur=c.cur AND viol.rule=r.rule) || '' FROM curs c,
  (SELECT 'hours' AS rule UNION SELECT 'hold' UNION SELECT 'after_opt_out' UNION SELECT 'call_frequency') r;
-- score PSI over 50-point bands, shares floored at 0.0001
CREATE TABLE bands AS SELECT '<450' AS b UNION SELECT '450-499' UNION SELECT '500-549' UNION SELECT '550-599'
  UNION SELECT '600-649' UNION SELECT '650-699' UNION SELECT '700-749' UNION SELECT '750+';
CREATE VIEW sb AS SELECT pr.cur, 'a' AS w, CASE WHEN CAST(ca.score AS REAL)<450 THEN '<450' WHEN CAST(ca.score AS REAL)>=750 THEN '750+'
  ELSE (CAST(CAST(ca.score AS REAL)/50 AS INTEGER)*50) || '-' || (CAST(CAST(ca.score AS REAL)/50 AS INTEGER)*50+49) END AS b
  FROM pr JOIN ca ON ca.rid=pr.crid WHERE ca.score<>''
  UNION ALL SELECT pr.cur, 'e', CASE WHEN CAST(pa.score AS REAL)<450 THEN '<450' WHEN CAST(pa.score AS REAL)>=750 THEN '750+'
  ELSE (CAST(CAST(pa.score AS REAL)/50 AS INTEGER)*50) || '-' || (CAST(CAST(pa.score AS REAL)/50 AS INTEGER)*50+49) END
  FROM pr JOIN pa ON pa.rid=pr.prid WHERE pa.score<>'';
CREATE VIEW sh AS SELECT c.cur, bands.b,
  max(0.0001, (SELECT count(*) FROM sb WHERE sb.cur=c.cur AND sb.w='a' AND sb.b=bands.b)*1.0/(SELECT count(*) FROM sb WHERE sb.cur=c.cur AND sb.w='a')) AS a,
  max(0.0001, (SELECT count(*) FROM sb WHERE sb.cur=c.cur AND sb.w='e' AND sb.b=bands.b)*1.0/(SELECT count(*) FROM sb WHERE sb.cur=c.cur AND sb.w='e')) AS e
  FROM curs c, bands;
INSERT INTO exp SELECT 'kpi', 'score_psi', '', cur, '', '', printf('%.4f', sum((a-e)*ln(a/e))) FROM sh GROUP BY cur;
-- champion/challenger rows per arm (experiment E1)
CREATE TABLE arms AS SELECT pr.arm, count(*) AS n, sum(pr.dq) AS dq, sum(pr.cured) AS cured,
  sum((SELECT count(*) FROM cxp WHERE cxp.ck=pr.ck AND dir='out')) AS con,
  sum(EXISTS(SELECT 1 FROM cxp WHERE cxp.ck=pr.ck AND oc='complaint')) AS compl
  FROM pr WHERE pr.exp<>'' GROUP BY pr.arm;
INSERT INTO exp SELECT 'cc', 'customers', arm, '', 'E1', CASE arm WHEN 'champion' THEN 'champion' ELSE 'challenger' END, n || '' FROM arms;
INSERT INTO exp SELECT 'cc', 'cure_rate', arm, '', 'E1', '', $(R cured dq 100 2) FROM arms;
INSERT INTO exp SELECT 'cc', 'contacts_per_customer', arm, '', 'E1', '', $(R con n 1 2) FROM arms;
INSERT INTO exp SELECT 'cc', 'complaint_rate', arm, '', 'E1', '', $(R compl n 100 2) FROM arms;
CREATE TABLE rec AS SELECT pr.arm, pr.cur, count(*) AS n, CAST(total((SELECT total(amt) FROM payp WHERE payp.ck=pr.ck AND payp.cur=pr.cur)) AS INTEGER) AS s
  FROM pr WHERE pr.exp<>'' GROUP BY pr.arm, pr.cur;
INSERT INTO exp SELECT 'cc', 'recovery_per_customer', arm, cur, 'E1', '', $(M "((2*abs(s) + n) / (2*n) * (CASE WHEN s<0 THEN -1 ELSE 1 END))") FROM rec;
-- compare both ways over the (table, kpi) pairs computed here
CREATE VIEW g AS SELECT "table" AS tbl, kpi, arm, currency AS cur, dim1 AS d1, dim2 AS d2, value FROM got
  WHERE ("table", kpi) IN (SELECT DISTINCT tbl, kpi FROM exp);
SELECT 'missing in cx-report', * FROM (SELECT * FROM exp EXCEPT SELECT * FROM g);
SELECT 'not expected', * FROM (SELECT * FROM g EXCEPT SELECT * FROM exp);
SELECT 'compared', count(*) FROM g;
SQL
sqlite3 -bail :memory: <q.sql >res.txt 2>err.txt || { cat err.txt; exit 1; }
if grep -q -e '^missing' -e '^not expected' res.txt; then cat res.txt; exit 1; fi
n=$(grep '^compared' res.txt | cut -f2)
[ "$n" -gt 200 ] || { echo "too few rows compared: $n"; exit 1; }
echo "ok: $n KPI rows equal to the SQL recomputation"
