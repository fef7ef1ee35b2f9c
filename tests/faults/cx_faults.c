/* LD_PRELOAD shim that makes chosen system calls fail, for tests of the
 * "nothing published on failure" rule (jq's inject_errors.c idea).
 *
 *   CX_FAULT=write|fsync|rename|close|read   the call to fail
 *   CX_FAULT_MATCH=substring                 only for files whose path
 *                                            contains it (default: any
 *                                            regular file, not std streams)
 *   CX_FAULT_ERRNO=28                        errno to set (default ENOSPC
 *                                            for write, EIO otherwise)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int
fault_errno(int dflt)
{
	const char *e = getenv("CX_FAULT_ERRNO");
	return e ? atoi(e) : dflt;
}

static int
wanted(const char *call)
{
	const char *f = getenv("CX_FAULT");
	return f != NULL && strcmp(f, call) == 0;
}

static int
fd_matches(int fd)
{
	char link[64], path[PATH_MAX];
	const char *m = getenv("CX_FAULT_MATCH");
	ssize_t n;

	if (fd <= 2)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	if (m == NULL || *m == '\0')
		return path[0] == '/' && strncmp(path, "/dev/", 5) != 0 && strncmp(path, "/proc/", 6) != 0;
	return strstr(path, m) != NULL;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (wanted("write") && fd_matches(fd)) {
		errno = fault_errno(ENOSPC);
		return -1;
	}
	return real(fd, buf, n);
}

ssize_t
read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);
	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	if (wanted("read") && fd_matches(fd)) {
		errno = fault_errno(EIO);
		return -1;
	}
	return real(fd, buf, n);
}

int
fsync(int fd)
{
	static int (*real)(int);
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (wanted("fsync") && fd_matches(fd)) {
		errno = fault_errno(EIO);
		return -1;
	}
	return real(fd);
}

int
close(int fd)
{
	static int (*real)(int);
	int match;
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	match = wanted("close") && fd_matches(fd);
	if (real(fd) < 0)
		return -1;
	if (match) {
		errno = fault_errno(EIO);
		return -1;
	}
	return 0;
}

int
rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	const char *m = getenv("CX_FAULT_MATCH");
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	if (wanted("rename") && (m == NULL || strstr(to, m) != NULL)) {
		errno = fault_errno(EIO);
		return -1;
	}
	return real(from, to);
}
