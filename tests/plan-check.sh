#!/bin/sh
# plan-check.sh — an independent checker of cx-plan output under the
# SHIPPED default policy and capacity (policy/default.policy,
# policy/capacity.default).  It shares no code with the planner: the rules
# are re-derived here from the law as summarised in cx-policy(5), in awk,
# and UTC offsets are checked with GNU date(1) against the tz database.
#
#   sh tests/plan-check.sh ACCOUNTS CONTACTS PAYMENTS PLAN AS_OF [SLOTS]
#
# SLOTS overrides capacity as "call=N,letter=N,..." (channels not named
# keep the default: call 2000, ivr 20000, letter 5000, visit 50, digital
# unlimited).  Prints one line per violation and exits 1 when there is
# any; prints "ok N customers, M contacts" otherwise.
#
# Assumption: contact timestamps carry the customer's local offset (as
# cx-gen writes them), so the date part is the customer's local day.
set -eu
acc=$1 con=$2 pay=$3 plan=$4 asof=$5 slots=${6:-}

awk -F'\t' -v asof="$asof" -v slots="$slots" '
function days(s,   y, m, d, a) {          # civil date -> day number
	y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
	if (m <= 2) { y--; m += 12 }
	return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d
}
function minor(s,   i, f) {               # "123.45" -> 12345 (exponent from the text)
	i = index(s, ".")
	if (!i) return s + 0
	f = substr(s, i + 1)
	return (substr(s, 1, i - 1) f) + 0
}
function has(set, x) { return ("," set ",") ~ ("," x ",") }
function bad(msg) { print "violation: " msg; nbad++ }
function hm(s) { return substr(s, 12, 2) * 60 + substr(s, 15, 2) }
BEGIN {
	D = days(asof)
	wd = (D - days("2024-01-01")) % 7; if (wd < 0) wd += 7
	# Official holiday lists (Colombia: Ley 51 de 1983; Mexico: LFT art. 74)
	split("2025-01-01 2025-01-06 2025-03-24 2025-04-17 2025-04-18 2025-05-01 2025-06-02 2025-06-23 2025-06-30 2025-07-20 2025-08-07 2025-08-18 2025-10-13 2025-11-03 2025-11-17 2025-12-08 2025-12-25 2026-01-01 2026-01-12 2026-03-23 2026-04-02 2026-04-03 2026-05-01 2026-05-18 2026-06-08 2026-06-15 2026-06-29 2026-07-20 2026-08-07 2026-08-17 2026-10-12 2026-11-02 2026-11-16 2026-12-08 2026-12-25 2027-01-01 2027-01-11 2027-03-22 2027-03-25 2027-03-26 2027-05-01 2027-05-10 2027-05-31 2027-06-07 2027-07-05 2027-07-20 2027-08-07 2027-08-16 2027-10-18 2027-11-01 2027-11-15 2027-12-08 2027-12-25", h, " ")
	for (i in h) hol["CO", h[i]] = 1
	split("2025-01-01 2025-02-03 2025-03-17 2025-05-01 2025-09-16 2025-11-17 2025-12-25 2026-01-01 2026-02-02 2026-03-16 2026-05-01 2026-09-16 2026-11-16 2026-12-25 2027-01-01 2027-02-01 2027-03-15 2027-05-01 2027-09-16 2027-11-15 2027-12-25", h, " ")
	for (i in h) hol["MX", h[i]] = 1
	cap["call"] = 2000; cap["ivr"] = 20000; cap["letter"] = 5000; cap["visit"] = 50
	n = split(slots, sl, ",")
	for (i = 1; i <= n; i++) { split(sl[i], kv, "="); cap[kv[1]] = kv[2] + 0 }
	split("deceased bankruptcy dispute cease legal fraud", hf, " ")
}
FILENAME == ARGV[1] {                       # accounts
	if (FNR == 1) { for (i = 1; i <= NF; i++) A[$i] = i; next }
	k = $A["customer_key"]
	if (!(k in cust)) { cust[k] = 1; ncust++; cons[k] = $A["consents"]; ctry[k] = $A["country"]; tzn[k] = $A["timezone"] }
	else {                                  # consent = on every account
		split(cons[k], cc, ","); keep = ""
		for (i in cc) if (has($A["consents"], cc[i])) keep = keep (keep == "" ? "" : ",") cc[i]
		cons[k] = keep
	}
	if ($A["phone"] != "") phone[k] = 1
	if ($A["email"] != "") email[k] = 1
	for (i in hf) if (has($A["flags"], hf[i])) hold[k] = hf[i]
	cur = $A["currency"]
	bal[k, cur] += minor($A["balance"]); pd[k, cur] += minor($A["past_due"])
	next
}
FILENAME == ARGV[2] {                       # contacts
	if (FNR == 1) { for (i = 1; i <= NF; i++) C[$i] = i; next }
	k = $C["customer_key"]; day = days(substr($C["timestamp"], 1, 10)); ch = $C["channel"]
	out = $C["outcome"]; dir = $C["direction"]; ac = $C["account_id"]
	if (day > D) next
	if (out == "dispute") hold[k] = "dispute(history)"
	if (out == "opt_out") optout[k] = 1
	direct = (dir == "in" || out ~ /^(right_party|promise|refused|dispute|complaint|paid)$/)
	if (direct) everdirect[k] = 1
	if (dir == "out") {
		if (day == D) today[k]++
		if (day > D - 7) week7[k]++
		if (day >= D - wd) cweek[k, ch] = 1
	}
	if (ch == "call" || ch == "ivr") {
		if (dir == "out" && day > D - 7) calls[k, ac]++
		if (direct && D - day <= 7) conv[k] = 1
	}
	if (out == "promise" && $C["promise_amount"] != "" && $C["promise_date"] != "" && day > D - 90) {
		if (!(k in pday) || day >= pday[k]) {
			pday[k] = day; pdue[k] = days($C["promise_date"]); pamt[k] = minor($C["promise_amount"])
			pcur[k] = $C["currency"]
		}
	}
	next
}
FILENAME == ARGV[3] {                       # payments
	if (FNR == 1) { for (i = 1; i <= NF; i++) P[$i] = i; next }
	np++; payk[np] = $P["customer_key"]; payd[np] = days($P["date"]); paya[np] = minor($P["amount"])
	payc[np] = $P["currency"]
	next
}
FNR == 1 { for (i = 1; i <= NF; i++) L[$i] = i; next }   # the plan
{
	k = $L["customer_key"]; rank = $L["rank"]; act = $L["action"]; ch = $L["channel"]
	nrow++
	if (rank != nrow) bad(k ": rank " rank " at row " nrow)
	if (!(k in cust)) { bad(k ": not an input customer"); next }
	if (k in seen) bad(k ": appears twice")
	seen[k] = 1
	# offers add up, within caps
	if ($L["offer_type"] == "plan") {
		split($L["instalment_amount"], ia, ":"); inst = minor(ia[2]); nn = $L["instalments"] + 0
		amt = pd[k, ia[1]]
		if (nn < 1 || nn > 12) bad(k ": " nn " instalments")
		if (!((nn - 1) * inst < amt && amt <= nn * inst)) bad(k ": plan " nn " x " inst " does not add up to " amt)
		if (days($L["first_due_date"]) <= D) bad(k ": first due date not after the plan date")
	} else if ($L["offer_type"] == "settlement") {
		split($L["settlement_amount"], sa, ":"); s = minor(sa[2]); b = bal[k, sa[1]]
		if (s > b || s * 10 < b * 6 - 10) bad(k ": settlement " s " outside 60%..100% of " b)
	}
	if (act == "none") { if (ch != "" || $L["window_start"] != "") bad(k ": no action but a channel/window"); seennone = 1; next }
	# ranking: contacted customers first, follow-ups of broken promises
	# first among them, then expected value descending
	if (seennone) bad(k ": contacted customer ranked after a customer with no action")
	grp = (act == "follow_up") ? 1 : 2
	if (grp < lastgrp) bad(k ": follow-up ranked after a regular contact")
	if (grp == lastgrp && $L["expected_value"] + 0 > prevev + 0) bad(k ": expected value rises at rank " rank)
	lastgrp = grp; prevev = $L["expected_value"]
	ncontact++
	used[ch]++
	if (k in hold) bad(k ": contacted while on hold " hold[k])
	if (k in optout) bad(k ": contacted after an opt-out")
	c = ctry[k]; prof = (c == "US" || c == "PR") ? "US" : (c == "CO" || c == "MX") ? c : "OTHER"
	# consent and contact data
	need = (prof == "US") ? "sms,whatsapp,call,ivr" : (prof == "MX") ? "sms,whatsapp" : "sms,whatsapp,email,call,ivr,letter,visit,portal"
	if (has(need, ch) && !has(cons[k], ch)) bad(k ": " ch " without consent (" prof ")")
	if (ch ~ /^(sms|whatsapp|call|ivr)$/ && !(k in phone)) bad(k ": " ch " without a phone")
	if (ch == "email" && !(k in email)) bad(k ": email without an address")
	# one a day (every shipped profile)
	if (today[k] >= 1) bad(k ": second contact on " asof)
	if (prof == "OTHER" && week7[k] >= 3) bad(k ": more than 3 in 7 days")
	# day and hours in local time
	ws = $L["window_start"]; we = $L["window_end"]
	if (substr(ws, 1, 10) != asof || substr(we, 1, 10) != asof) bad(k ": window not on " asof)
	isho = ((prof, asof) in hol)
	if (prof == "US") { o = 480; e = 1260 }
	else if (prof == "CO") {
		if (isho || wd == 6) { bad(k ": contact on a Sunday/holiday in CO"); o = 0; e = 0 }
		else if (wd == 5) { o = 480; e = 900 } else { o = 420; e = 1140 }
	} else if (prof == "MX") {
		if (isho) bad(k ": contact on a holiday in MX")
		o = 420; e = 1320
	} else { if (wd >= 5) bad(k ": weekend contact (OTHER)"); o = 540; e = 1200 }
	if (hm(ws) < o || hm(we) > e || hm(ws) >= hm(we)) bad(k ": window " ws " - " we " outside " o "-" e " min")
	z = tzn[k]; if (z == "") z = (prof == "US") ? "America/New_York" : (prof == "CO") ? "America/Bogota" : (prof == "MX") ? "America/Mexico_City" : "UTC"
	for (w = 1; w <= 2; w++) {
		ts = (w == 1) ? ws : we
		key = z "|" substr(ts, 1, 16)
		if (!(key in offc)) {
			cmd = "TZ=" z " date -d \"" substr(ts, 1, 10) " " substr(ts, 12, 5) "\" +%:z"
			cmd | getline offc[key]; close(cmd)
		}
		got = substr(ts, 20); if (got == "Z") got = "+00:00"
		if (got != offc[key]) bad(k ": offset " got " for " z ", date(1) says " offc[key])
	}
	# Ley 2300: one channel a week once contact was made
	if (prof == "CO" && (k in everdirect)) {
		nch = 0; for (kk in cweek) { split(kk, pp, SUBSEP); if (pp[1] == k && pp[2] != ch) nch++ }
		if (nch > 0) bad(k ": second channel this week after contact (Ley 2300)")
	}
	# Reg F 7-in-7 and 7 days after a conversation (US and OTHER)
	if ((prof == "US" || prof == "OTHER") && (ch == "call" || ch == "ivr")) {
		if (k in conv) bad(k ": call within 7 days after a conversation")
		tot = 0; for (kk in calls) { split(kk, pp, SUBSEP); if (pp[1] == k) { if (pp[2] == "") tot += calls[kk]; else per[pp[2]] += calls[kk] } }
		for (a in per) if (per[a] + tot >= 7) bad(k ": 8th call in 7 days on " a)
		if (tot >= 7) bad(k ": 8th call in 7 days")
		delete per
	}
	# promises: open -> only the courtesy reminder the day before
	if (k in pday) {
		paid = 0
		for (i = 1; i <= np; i++)
			if (payk[i] == k && payc[i] == pcur[k] && payd[i] >= pday[k] && payd[i] <= pdue[k] + 3 && payd[i] <= D) paid += paya[i]
		if (paid * 100 < pamt[k] * 95 && D <= pdue[k] + 3) {
			if (act != "courtesy_reminder") bad(k ": " act " while a promise is open")
			else if (D != pdue[k] - 1) bad(k ": courtesy reminder not the day before")
			if (ch !~ /^(sms|whatsapp|email)$/) bad(k ": courtesy reminder on " ch)
		}
	}
}
END {
	for (k in cust) if (!(k in seen)) bad(k ": missing from the plan")
	for (c in used) if ((c in cap) && used[c] > cap[c]) bad("channel " c ": " used[c] " contacts over " cap[c] " slots")
	if (nbad) { print nbad " violation(s)"; exit 1 }
	printf "ok %d customers, %d contacts\n", ncust, ncontact
}' "$acc" "$con" "$pay" "$plan"
