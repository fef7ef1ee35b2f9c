/* cx_pseudo — keyed HMAC-SHA256 pseudonyms; see cx_pseudo.h. */
#include "cx_pseudo.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cx_mem.h"
#include "cx_norm.h"

struct cx_pseudo {
	size_t n;
	unsigned char key[CX_PSEUDO_MAX_KEY];
};

int cx_pseudo_from_key(struct cx_pseudo **out, const void *key, size_t n,
                       struct cx_error *err)
{
	*out = NULL;
	if (n < CX_PSEUDO_MIN_KEY || n > CX_PSEUDO_MAX_KEY)
		return cx_error_set(err, CX_EUSAGE, NULL, 0,
		    "pseudonymisation key must be %d to %d bytes, not %zu",
		    CX_PSEUDO_MIN_KEY, CX_PSEUDO_MAX_KEY, n);
	struct cx_pseudo *p = cx_malloc(sizeof *p);
	if (!p)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	memcpy(p->key, key, n);
	p->n = n;
	*out = p;
	return 0;
}

int cx_pseudo_open(struct cx_pseudo **out, const char *keyfile, struct cx_error *err)
{
	*out = NULL;
	int fd = open(keyfile, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cx_error_errno(err, CX_ENOINPUT, errno, keyfile, "cannot open key file");
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return cx_error_errno(err, CX_ENOINPUT, e, keyfile, "cannot read key file");
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return cx_error_set(err, CX_EUSAGE, keyfile, 0, "key file is not a regular file");
	}
	if (st.st_mode & 077) {
		close(fd);
		return cx_error_set(err, CX_EUSAGE, keyfile, 0,
		    "key file is accessible by group or others (mode %03o); run chmod 600 on it",
		    (unsigned)(st.st_mode & 0777));
	}
	unsigned char buf[CX_PSEUDO_MAX_KEY + 1];
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, sizeof buf - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			OPENSSL_cleanse(buf, sizeof buf);
			return cx_error_errno(err, CX_ENOINPUT, e, keyfile, "cannot read key file");
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == sizeof buf)
			break;
	}
	close(fd);
	int rc;
	if (n < CX_PSEUDO_MIN_KEY)
		rc = cx_error_set(err, CX_EUSAGE, keyfile, 0,
		    "key file is too short (%zu bytes; at least %d needed)", n, CX_PSEUDO_MIN_KEY);
	else if (n > CX_PSEUDO_MAX_KEY)
		rc = cx_error_set(err, CX_EUSAGE, keyfile, 0,
		    "key file is too long (more than %d bytes)", CX_PSEUDO_MAX_KEY);
	else
		rc = cx_pseudo_from_key(out, buf, n, err);
	OPENSSL_cleanse(buf, sizeof buf);
	return rc;
}

void cx_pseudo_free(struct cx_pseudo *p)
{
	if (!p)
		return;
	OPENSSL_cleanse(p, sizeof *p);
	cx_free(p);
}

int cx_pseudo_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                          unsigned char out[32])
{
	unsigned int olen = 0;
	if (klen > (size_t)2147483647)
		return CX_EINTERNAL;
	static const unsigned char empty[1];
	if (!HMAC(EVP_sha256(), key, (int)klen, mlen ? msg : empty, mlen, out, &olen) ||
	    olen != 32)
		return CX_EINTERNAL;
	return 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int cx_pseudo_value(const struct cx_pseudo *p, const char *column,
                    const char *value, size_t n, char *out)
{
	while (n && is_space((unsigned char)value[0])) {
		value++;
		n--;
	}
	while (n && is_space((unsigned char)value[n - 1]))
		n--;
	out[0] = 0;
	if (n == 0)
		return 0;
	size_t cl = strlen(column);
	unsigned char stackbuf[512];
	unsigned char *msg = stackbuf;
	size_t need = cl + 1 + n;
	if (need > sizeof stackbuf) {
		msg = cx_malloc(need);
		if (!msg)
			return CX_ENOMEM;
	}
	memcpy(msg, column, cl);
	msg[cl] = 0x1f;
	unsigned char *v = msg + cl + 1;
	size_t vn = n;
	char idbuf[64];
	const char *why = NULL;
	int idn;
	if (strcmp(column, "national_id") == 0 &&
	    (idn = cx_norm_national_id(value, n, idbuf, sizeof idbuf, &why)) > 0) {
		memcpy(v, idbuf, (size_t)idn);   /* idn <= 32 < n-or-more bytes */
		vn = (size_t)idn;
	} else {
		memcpy(v, value, n);
		if (strcmp(column, "email") == 0)
			for (size_t i = 0; i < n; i++)
				if (v[i] >= 'A' && v[i] <= 'Z')
					v[i] = (unsigned char)(v[i] - 'A' + 'a');
	}
	unsigned char mac[32];
	int rc = cx_pseudo_hmac_sha256(p->key, p->n, msg, cl + 1 + vn, mac);
	if (msg != stackbuf)
		cx_free(msg);
	if (rc < 0)
		return rc;
	static const char hex[] = "0123456789abcdef";
	out[0] = 'p';
	for (int i = 0; i < 16; i++) {
		out[1 + 2 * i] = hex[mac[i] >> 4];
		out[2 + 2 * i] = hex[mac[i] & 15];
	}
	out[CX_PSEUDO_LEN] = 0;
	return CX_PSEUDO_LEN;
}

static const char *const known_columns[] = {
	"national_id", "email", "phone", "name", "source_customer_id",
};

int cx_pseudo_columns(const char *const *names, size_t ncol, const char *spec,
                      size_t *idx, size_t *nidx, struct cx_error *err)
{
	*nidx = 0;
	if (!spec || !*spec)
		spec = CX_PSEUDO_DEFAULT_COLUMNS;
	const char *s = spec;
	for (;;) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		int known = 0;
		for (size_t k = 0; k < sizeof known_columns / sizeof known_columns[0]; k++)
			if (strlen(known_columns[k]) == len && memcmp(known_columns[k], s, len) == 0)
				known = 1;
		if (!known) {
			char esc[80];
			cx_diag_escape(esc, sizeof esc, s, len, 40);
			return cx_error_set(err, CX_EUSAGE, NULL, 0,
			    "cannot pseudonymise column '%s' (known: national_id, email, phone, "
			    "name, source_customer_id)", esc);
		}
		for (size_t i = 0; i < ncol; i++) {
			if (strlen(names[i]) != len || memcmp(names[i], s, len) != 0)
				continue;
			size_t j;
			for (j = 0; j < *nidx && idx[j] != i; j++)
				;
			if (j == *nidx)
				idx[(*nidx)++] = i;
		}
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

int cx_pseudo_apply_columns(const struct cx_pseudo *p, const char *const *names,
                            struct cx_field *fields, size_t nfields,
                            const size_t *idx, size_t nidx,
                            char (*bufs)[CX_PSEUDO_BUFSZ], struct cx_error *err)
{
	for (size_t k = 0; k < nidx; k++) {
		size_t i = idx[k];
		if (i >= nfields)
			return cx_error_set(err, CX_EINTERNAL, NULL, 0,
			    "pseudonymised column index %zu outside a row of %zu fields", i, nfields);
		int r = cx_pseudo_value(p, names[i], fields[i].p, fields[i].n, bufs[k]);
		if (r < 0)
			return cx_error_set(err, r, NULL, 0, r == CX_ENOMEM ? "out of memory" :
			    "cannot compute the pseudonym of column '%s'", names[i]);
		fields[i].p = bufs[k];
		fields[i].n = (size_t)r;
	}
	return 0;
}
