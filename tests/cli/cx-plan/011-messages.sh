# cx-plan --messages: one dispatch file per channel, one message per planned
# contact, private files, creditor and opt-out in every digital message, and
# nothing written when a template is broken.
C=$TESTDATA/canonical
A="--as-of 2026-11-20"
cx-score $A --payments $C/payments.tsv --contacts $C/contacts.tsv --statements $C/statements.tsv \
    $C/accounts.tsv | cx-segment $A -o seg.tsv
cx-plan $A --contacts $C/contacts.tsv --payments $C/payments.tsv -o plan.tsv --messages msg seg.tsv
echo "status $?"
ls msg | tr '\n' ' '; echo
stat -c '%a %n' msg/*.tsv | awk '$1 != "600" { print "not private:", $2 }'
# every planned contact is rendered exactly once (or rejected with a reason)
planned=$(awk -F'\t' 'NR > 1 && $13 != "none"' plan.tsv | wc -l)
sent=$(for f in msg/*.tsv; do tail -n +2 "$f"; done | wc -l)
[ "$planned" -eq "$sent" ] && echo "one message per planned contact" || echo "planned $planned, rendered $sent"
# digital messages name the creditor and carry an opt-out
for ch in sms whatsapp email; do
	awk -F'\t' -v ch=$ch 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ t = $c["text"]; if (t !~ /Ejemplo Financiera/) print ch ": no creditor in " $c["message_id"]
		  if (t !~ /(STOP|BAJA|opt|darte de baja|unsubscribe|dejar de recibir)/) print ch ": no opt-out in " $c["message_id"] }' msg/$ch.tsv
done
# a broken template stops the run before anything is written
mkdir tpl && cp -r "$SRCDIR/templates/." tpl/
for f in tpl/es/*.sms; do printf 'Hola {nombre_que_no_existe}\n' >"$f"; done
cx-plan $A --contacts $C/contacts.tsv -o plan2.tsv --messages msg2 --templates tpl seg.tsv 2>err
echo "broken template: $?"
[ -e plan2.tsv ] || [ -e msg2 ] || echo "nothing written"
sed 's/:[0-9]*:[0-9]*:/:L:C:/' err | head -n 1
