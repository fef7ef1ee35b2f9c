# rule file errors are found at load, with position and a hint; exit 65
printf 'rule a\n  when balanse > 100\n  segment s treatment none\nrule b otherwise segment o treatment none\n' >bad1.cx
cx-segment --check --rules bad1.cx
echo "status $?"
printf 'rule a when worst_dpd > 30 segment s treatment firm\n' >bad2.cx
cx-segment --check --rules bad2.cx
echo "status $?"
printf 'rule a otherwise segment s treatment firm\nrule b when worst_dpd > 30 segment s treatment firm\n' >bad3.cx
cx-segment --check --rules bad3.cx
echo "status $?"
printf 'rule a when due_date > 5 segment s treatment firm\nrule b otherwise segment o treatment none\n' >bad4.cx
cx-segment --check --rules bad4.cx
echo "status $?"
cx-segment --check --rules missing.cx
echo "status $?"
