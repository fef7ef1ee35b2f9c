/* cx_map: a plain file mapped as it is; none for what cannot be mapped;
 * a file changed after it was mapped (grown, cut, other times) found by
 * cx_map_check; a read past the end of a file cut short under its mapping
 * comes back as an error from the guard (no SIGBUS), and the action of
 * SIGBUS is the one before the guard again. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_map.h"
#include "cx_test.h"

/* A file of n bytes ('a' + i % 26) at path; its descriptor, read-only. */
static int
make_file(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");
	size_t i;
	int fd;

	ck_assert(f != NULL);
	for (i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), f);
	ck_assert_int_eq(fclose(f), 0);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	return fd;
}

START_TEST(maps_plain_file)
{
	struct cx_error err;
	struct cx_map *m;
	char path[512];
	int fd, pfd[2];

	tmp_setup();
	snprintf(path, sizeof path, "%s", P("f.tsv"));
	fd = make_file(path, 10000);
	m = cx_map_open(fd, path);
	ck_assert(m != NULL);
	close(fd);   /* the map keeps its own descriptor */
	ck_assert_uint_eq(m->n, 10000);
	ck_assert(m->p[0] == 'a' && m->p[9999] == 'a' + 9999 % 26);
	ck_assert_str_eq(m->name, path);
	cx_error_clear(&err);
	ck_assert_int_eq(cx_map_check(m, &err), 0);
	cx_map_populate(m);
	ck_assert(m->p[5000] == 'a' + 5000 % 26);
	cx_map_free(m);
	cx_map_free(NULL);
	/* nothing to map: no descriptor, an empty file, a pipe, a directory */
	ck_assert(cx_map_open(-1, "x") == NULL);
	fd = make_file(P("empty"), 0);
	ck_assert(cx_map_open(fd, "empty") == NULL);
	close(fd);
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert(cx_map_open(pfd[0], "pipe") == NULL);
	close(pfd[0]);
	close(pfd[1]);
	fd = open(tmpdir, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert(cx_map_open(fd, "dir") == NULL);
	close(fd);
	tmp_teardown();
}
END_TEST

START_TEST(finds_changes)
{
	struct cx_error err;
	struct cx_map *m;
	struct timespec ts[2];
	char path[512];
	FILE *f;
	int fd;

	tmp_setup();
	snprintf(path, sizeof path, "%s", P("f.tsv"));
	/* grown */
	fd = make_file(path, 5000);
	ck_assert((m = cx_map_open(fd, path)) != NULL);
	ck_assert((f = fopen(path, "a")) != NULL);
	fputs("more\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(cx_map_check(m, &err), CX_EIO);
	ck_assert_str_eq(err.file, path);
	ck_assert(strstr(err.msg, "changed while being read") != NULL);
	cx_map_free(m);
	close(fd);
	/* same size, another modification time */
	fd = make_file(path, 5000);
	ck_assert((m = cx_map_open(fd, path)) != NULL);
	ck_assert_int_eq(cx_map_check(m, &err), 0);
	ts[0].tv_sec = ts[1].tv_sec = 1000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	ck_assert_int_eq(cx_map_check(m, &err), CX_EIO);
	cx_map_free(m);
	close(fd);
	/* replaced under its name (renamed over): the mapped file's change
	 * time changes too; the check errs on the safe side */
	fd = make_file(P("new.tsv"), 7000);
	close(fd);
	fd = make_file(path, 5000);
	ck_assert((m = cx_map_open(fd, path)) != NULL);
	close(fd);
	ck_assert_int_eq(rename(P("new.tsv"), path), 0);
	ck_assert_int_eq(cx_map_check(m, &err), CX_EIO);
	ck_assert(m->p[4999] == 'a' + 4999 % 26);   /* still the old bytes */
	cx_map_free(m);
	tmp_teardown();
}
END_TEST

START_TEST(guard_turns_sigbus_into_error)
{
	struct cx_error err;
	struct cx_map *m;
	struct cx_map_guard g;
	struct sigaction before, after;
	char path[512];
	long pg = sysconf(_SC_PAGESIZE);
	volatile int faulted = 0, rc = 0;
	volatile char sink = 0;
	int fd;

	tmp_setup();
	snprintf(path, sizeof path, "%s", P("f.tsv"));
	fd = make_file(path, (size_t)pg * 4);
	ck_assert((m = cx_map_open(fd, path)) != NULL);
	/* cut short under the mapping */
	ck_assert_int_eq(truncate(path, 10), 0);
	ck_assert_int_eq(cx_map_check(m, &err), CX_EIO);
	ck_assert_int_eq(sigaction(SIGBUS, NULL, &before), 0);
	if (sigsetjmp(g.jb, 1) != 0) {
		faulted = 1;
		rc = cx_map_guard_fault(&g, &err);
	} else {
		ck_assert_int_eq(cx_map_guard_begin(&g, &m, 1, &err), 0);
		sink = m->p[0];                  /* still in the file */
		sink = m->p[(size_t)pg * 3];     /* past its end now: SIGBUS */
		cx_map_guard_end(&g);
	}
	(void)sink;
	ck_assert_int_eq(faulted, 1);
	ck_assert_int_eq(rc, CX_EIO);
	ck_assert_str_eq(err.file, path);
	ck_assert(strstr(err.msg, "cut short") != NULL);
	ck_assert_int_eq(sigaction(SIGBUS, NULL, &after), 0);
	ck_assert(after.sa_handler == before.sa_handler);
	/* a second guard after the first: no fault, begin and end */
	ck_assert_int_eq(cx_map_guard_begin(&g, &m, 1, &err), 0);
	ck_assert(m->p[5] == 'f');
	cx_map_guard_end(&g);
	ck_assert_int_eq(sigaction(SIGBUS, NULL, &after), 0);
	ck_assert(after.sa_handler == before.sa_handler);
	cx_map_free(m);
	close(fd);
	tmp_teardown();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("map");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, maps_plain_file);
	tcase_add_test(tc, finds_changes);
	tcase_add_test(tc, guard_turns_sigbus_into_error);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
