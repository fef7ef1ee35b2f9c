/* fuzz_tmpdir.h — the scratch folder of a fuzz target that needs files.
 * Created once per process under /tmp; removed with everything in it at
 * exit, so the replay in `make check` leaves nothing behind.  The target
 * owns the buffer: a static char array of at least 32 bytes. */
#ifndef FUZZ_TMPDIR_H
#define FUZZ_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *fuzz_tmpdir_path;

static void fuzz_tmpdir_remove(void)
{
	DIR *d = opendir(fuzz_tmpdir_path);
	struct dirent *e;
	char p[512];

	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof p, "%s/%s", fuzz_tmpdir_path, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(fuzz_tmpdir_path);
}

/* dir gets "/tmp/<name>.XXXXXX" made unique; aborts when it cannot be made */
static void fuzz_tmpdir(char *dir, const char *name)
{
	sprintf(dir, "/tmp/%.16s.XXXXXX", name);
	if (!mkdtemp(dir))
		abort();
	fuzz_tmpdir_path = dir;
	atexit(fuzz_tmpdir_remove);
}

#endif
