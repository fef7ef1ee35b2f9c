/* cx_map — read-only mappings of plain input files (see cx_map.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_map.h"
#include "cx_mem.h"

struct cx_map *
cx_map_open(int fd, const char *name)
{
	struct cx_map *m;
	struct stat st;
	void *p;

	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > (uint64_t)SIZE_MAX / 2)
		return NULL;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (!(m = cx_calloc(1, sizeof *m)) || (m->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		cx_free(m);
		munmap(p, (size_t)st.st_size);
		return NULL;
	}
	m->p = p;
	m->n = (size_t)st.st_size;
	m->dev = (uint64_t)st.st_dev;
	m->ino = (uint64_t)st.st_ino;
	m->mtime = st.st_mtim;
	m->ctime = st.st_ctim;
	snprintf(m->name, sizeof m->name, "%s", name ? name : "");
	return m;
}

int
cx_map_check(const struct cx_map *m, struct cx_error *err)
{
	struct stat st;

	/* the mapped inode itself, by the descriptor kept: its change time
	 * also moves when it is renamed or unlinked (e.g. another file
	 * renamed over it), which errs on the safe side */
	if (fstat(m->fd, &st) != 0 || (uint64_t)st.st_size != m->n ||
	    (uint64_t)st.st_dev != m->dev || (uint64_t)st.st_ino != m->ino ||
	    st.st_mtim.tv_sec != m->mtime.tv_sec || st.st_mtim.tv_nsec != m->mtime.tv_nsec ||
	    st.st_ctim.tv_sec != m->ctime.tv_sec || st.st_ctim.tv_nsec != m->ctime.tv_nsec)
		return cx_error_set(err, CX_EIO, m->name, 0, "input changed while being read");
	return 0;
}

void
cx_map_populate(const struct cx_map *m)
{
#ifdef MADV_POPULATE_READ
	/* an error (e.g. the file cut short: EFAULT) is left to the guarded
	 * reads and cx_map_check */
	(void)madvise((void *)m->p, m->n, MADV_POPULATE_READ);
#else
	(void)m;
#endif
}

void
cx_map_free(struct cx_map *m)
{
	if (!m)
		return;
	munmap((void *)m->p, m->n);
	close(m->fd);
	cx_free(m);
}

/* ---- SIGBUS guard ---------------------------------------------------------- */

static _Thread_local struct cx_map_guard *tl_guard;   /* this thread's, or NULL */
static struct sigaction old_bus;                      /* the action before the guard */
static volatile sig_atomic_t guarded;                 /* a guard is installed */
static size_t page_size;        /* read in cx_map_guard_begin: sysconf is not
                                 * async-signal-safe */

static void
on_bus(int sig, siginfo_t *si, void *uc)
{
	struct cx_map_guard *g = tl_guard;
	size_t i;

	(void)sig;
	(void)uc;
	if (g) {
		const char *a = si->si_addr;
		for (i = 0; i < g->n; i++) {
			const struct cx_map *m = g->maps[i];
			/* the last page of the mapping is whole: a fault past
			 * the file's end still lands on it */
			size_t span = (m->n + page_size - 1) / page_size * page_size;
			if (a >= m->p && a < m->p + span) {
				g->hit = m;
				tl_guard = NULL;
				siglongjmp(g->jb, 1);
			}
		}
	}
	/* not a fault of a guarded copy: the faulting access, done again on
	 * return, meets the action there was before the guard */
	sigaction(SIGBUS, &old_bus, NULL);
}

int
cx_map_guard_begin(struct cx_map_guard *g, struct cx_map *const *maps, size_t n,
                   struct cx_error *err)
{
	struct sigaction sa;

	if (guarded)
		return cx_error_set(err, CX_EINTERNAL, NULL, 0, "internal error: nested map guard");
	g->maps = maps;
	g->n = n;
	g->hit = NULL;
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old_bus) != 0)
		return cx_error_errno(err, CX_EINTERNAL, errno, NULL, "sigaction");
	guarded = 1;
	tl_guard = g;
	return 0;
}

void
cx_map_guard_end(struct cx_map_guard *g)
{
	(void)g;
	if (!guarded)
		return;
	tl_guard = NULL;
	sigaction(SIGBUS, &old_bus, NULL);
	guarded = 0;
}

int
cx_map_guard_fault(struct cx_map_guard *g, struct cx_error *err)
{
	const struct cx_map *m = g->hit;

	cx_map_guard_end(g);
	return cx_error_set(err, CX_EIO, m ? m->name : NULL, 0,
	                    "input changed while being read (cut short)");
}
