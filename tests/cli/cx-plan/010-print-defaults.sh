# the built-in policy and capacity are the shipped files
cx-plan --print-policy | cmp - "$SRCDIR/policy/default.policy" && echo policy same
cx-plan --print-capacity | cmp - "$SRCDIR/policy/capacity.default" && echo capacity same
