/* cx_test — helpers shared by the Check unit suites (tests/unit/check_*.c):
 * a scratch directory per test, paths in it, shell commands run in it, and
 * reading and writing whole files.  Header only (static inline), so that
 * each suite stays one source file and the Makefile's check_% rule needs
 * nothing more (its -MMD dependencies pick the header up).
 *
 * Ownership: tmpdir is the fixture's: tmp_setup() creates it (mkdtemp under
 * $TMPDIR or /tmp), tmp_teardown() removes it with everything in it.
 * P() and put() return a pointer into a ring of CX_TEST_PATHS static
 * buffers, valid until CX_TEST_PATHS more calls (copy it to keep it longer).
 * slurp() returns a malloc'd NUL-terminated buffer owned by the caller
 * (free).  They do not use cx_malloc, so they neither count towards nor
 * trip the out-of-memory injection of cx_mem.  Every failure (no directory,
 * a path too long, a short read or write) fails the test at once.
 */
#ifndef CX_TEST_H
#define CX_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CX_TEST_PATHS 32

static char tmpdir[256];

/* A fresh scratch directory under base. */
static inline void
tmp_setup_in(const char *base)
{
	int n = snprintf(tmpdir, sizeof tmpdir, "%s/cx-check-XXXXXX", base);
	ck_assert_msg(n > 0 && (size_t)n < sizeof tmpdir, "scratch base too long: %s", base);
	ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp %s failed", tmpdir);
}

static inline void
tmp_setup(void)
{
	const char *t = getenv("TMPDIR");
	tmp_setup_in(t && *t ? t : "/tmp");
}

static inline void
tmp_teardown(void)
{
	char cmd[sizeof tmpdir + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* tmpdir/name (see the ring rule above). */
static inline const char *
P(const char *name)
{
	static char b[CX_TEST_PATHS][sizeof tmpdir + 128];
	static int k;
	int n;
	k = (k + 1) % CX_TEST_PATHS;
	n = snprintf(b[k], sizeof b[k], "%s/%s", tmpdir, name);
	ck_assert_msg(n > 0 && (size_t)n < sizeof b[k], "path too long: %s", name);
	return b[k];
}

/* Run a shell script in tmpdir, with $SRC the source tree; it must exit 0. */
static inline void
sh(const char *script)
{
	char cmd[2048];
	int n = snprintf(cmd, sizeof cmd, "cd '%s' && SRC='%s'; %s", tmpdir, CX_SRCDIR, script);
	ck_assert_msg(n > 0 && (size_t)n < sizeof cmd, "script too long: %s", script);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
}

/* Write n bytes to tmpdir/name (replacing it); returns its path. */
static inline const char *
put_n(const char *name, const void *data, size_t n)
{
	const char *p = P(name);
	FILE *f = fopen(p, "wb");
	ck_assert_msg(f != NULL, "cannot create %s", p);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

static inline const char *
put(const char *name, const char *text)
{
	return put_n(name, text, strlen(text));
}

/* The whole file at path (any path, not only in tmpdir); *n its length
 * (n may be NULL). */
static inline char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t len = 0, cap = 0, r;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	do {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 65536;
			b = realloc(b, cap + 1);
			ck_assert_ptr_nonnull(b);
		}
		r = fread(b + len, 1, cap - len, f);
		len += r;
	} while (r > 0);
	ck_assert_msg(!ferror(f), "read error on %s", path);
	fclose(f);
	b[len] = '\0';
	if (n)
		*n = len;
	return b;
}

#endif
