# Same options give byte-identical output, whatever the number of threads;
# another seed gives other data;
# --gzip holds exactly the plain bytes.
set -e
cx-gen --accounts 700 --seed 7 --as-of 2026-11-20 --out a
cx-gen --accounts 700 --seed 7 --as-of 2026-11-20 --out b --threads 3
cx-gen --accounts 700 --seed 8 --as-of 2026-11-20 --out c
cx-gen --accounts 700 --seed 7 --as-of 2026-11-20 --out z --gzip
for s in accounts payments contacts statements; do
	cmp a/$s.tsv b/$s.tsv && echo "$s: seed 7 twice identical"
	if cmp -s a/$s.tsv c/$s.tsv; then echo "$s: seed 8 SAME"; else echo "$s: seed 8 differs"; fi
	gzip -dc z/$s.tsv.gz | cmp - a/$s.tsv && echo "$s: gzip identical"
done
cx-gen --accounts 300 --seed 7 --as-of 2026-11-20 --format raw --bad-rate 0.01 --out r1
cx-gen --accounts 300 --seed 7 --as-of 2026-11-20 --format raw --bad-rate 0.01 --out r2 --threads 1
for f in r1/*; do cmp "$f" "r2/${f#r1/}"; done
echo "raw: $(ls r1 | wc -l) files identical"
# an existing output is not replaced without --force
if cx-gen --accounts 10 --seed 7 --as-of 2026-11-20 --out a 2>err; then echo "overwrote"; fi
sed 's/: .*accounts.tsv/: DIR\/accounts.tsv/' err | cut -c1-60 >&2
cx-gen --accounts 10 --seed 7 --as-of 2026-11-20 --out a --force
wc -l <a/accounts.tsv
