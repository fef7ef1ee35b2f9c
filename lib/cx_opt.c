#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_opt.h"

int
cx_opt_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
cx_opt_shard(const char *s, long max, unsigned *k, unsigned *n)
{
	char buf[32];
	const char *slash = s ? strchr(s, '/') : NULL;
	long kv, nv;

	if (slash == NULL || (size_t)(slash - s) >= sizeof buf)
		return -1;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (cx_opt_long(slash + 1, 1, max, &nv) < 0 || cx_opt_long(buf, 0, nv - 1, &kv) < 0)
		return -1;
	*k = (unsigned)kv;
	*n = (unsigned)nv;
	return 0;
}

int
cx_opt_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mul = 1;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	default: return -1;
	}
	if (*end == 'i' || *end == 'B')   /* accept KiB, MB */
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end != '\0' || (v && mul > UINT64_MAX / v))
		return -1;
	*out = (uint64_t)v * mul;
	return 0;
}

int
cx_opt_date(const char *s, cx_day *out)
{
	const char *why;

	return cx_date_parse_iso(s, strlen(s), out, &why);
}

int
cx_opt_version(const char *prog)
{
	printf("%s (cx) %s\n", prog, CX_VERSION);
	return fflush(stdout) == 0 && !ferror(stdout) ? CX_EXIT_OK : CX_EXIT_IOERR;
}
