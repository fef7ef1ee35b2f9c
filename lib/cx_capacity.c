/* cx_capacity — capacity/cost file reader; see cx_capacity.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_capacity.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_money.h"

#define CAPACITY_MAX_BYTES (1u << 20)

/* Non-negative decimal "123", "0.015"; at most 12 integer digits. */
static int
parse_dec(const char *s, double *out)
{
	double v = 0, scale = 1;
	int nd = 0, nf = 0;
	while (*s >= '0' && *s <= '9') {
		if (++nd > 12)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			if (++nf > 9)
				return -1;
			scale /= 10;
			v += (*s++ - '0') * scale;
		}
		if (!nf)
			return -1;
	}
	if (!nd || *s)
		return -1;
	*out = v;
	return 0;
}

#define FAIL(...) do { rc = cx_error_set(err, CX_EDATA, fname, line, __VA_ARGS__); \
	goto fail; } while (0)

int
cx_capacity_parse(const char *text, size_t n, const char *fname, struct cx_capacity **out,
                  struct cx_error *err)
{
	struct cx_capacity *c;
	struct cx_conf_item it;
	const char *pos = text, *end = text + n, *why = NULL;
	long line = 0;
	int rc, ch = -1, sect = 0, i;

	*out = NULL;
	if (!fname)
		fname = "<capacity>";
	if (!(c = cx_calloc(1, sizeof *c)))
		return cx_error_set(err, CX_ENOMEM, fname, 0, "out of memory");
	while ((rc = cx_conf_next(&pos, end, &line, &it, &why)) > 0) {
		if (it.is_section) {
			if (!strcmp(it.kind, "currency")) {
				if (it.name[0])
					FAIL("section 'currency' takes no name");
				if (sect == 1 || c->reference[0] || c->nrates)
					FAIL("duplicate section 'currency'");
				sect = 1;
			} else if (!strcmp(it.kind, "channel")) {
				ch = cx_channel_index(it.name, strlen(it.name));
				if (ch < 0)
					FAIL("unknown channel '%.16s' (expected sms, whatsapp, email, call, "
					     "ivr, letter, visit, portal)", it.name);
				if (c->configured[ch])
					FAIL("duplicate section for channel '%s'", it.name);
				c->configured[ch] = 1;
				c->slots[ch] = -1;
				c->cost[ch] = -1;
				sect = 2;
			} else {
				FAIL("unknown section '%.32s' (expected currency or channel)", it.kind);
			}
			continue;
		}
		if (sect == 0)
			FAIL("key '%.64s' outside any section", it.key);
		if (sect == 1) {
			double r;
			if (!strcmp(it.key, "reference")) {
				if (strlen(it.value) != 3 || cx_currency_exponent(it.value, 3) < 0)
					FAIL("'reference': expected an ISO 4217 currency code");
				memcpy(c->reference, it.value, 4);
				continue;
			}
			if (strlen(it.key) != 3 || cx_currency_exponent(it.key, 3) < 0)
				FAIL("unknown key '%.64s' in the currency section (expected reference or "
				     "an ISO 4217 code)", it.key);
			if (parse_dec(it.value, &r) < 0 || r <= 0)
				FAIL("rate for %s: expected a positive decimal number", it.key);
			for (i = 0; i < c->nrates; i++)
				if (!strcmp(c->rates[i].code, it.key))
					FAIL("duplicate rate for %s", it.key);
			if (c->nrates >= CX_CAPACITY_MAX_RATES)
				FAIL("more than %d rates", CX_CAPACITY_MAX_RATES);
			memcpy(c->rates[c->nrates].code, it.key, 4);
			c->rates[c->nrates++].rate = r;
			continue;
		}
		if (!strcmp(it.key, "slots")) {
			double v;
			if (!strcmp(it.value, "unlimited")) {
				c->slots[ch] = CX_CAPACITY_UNLIMITED;
				continue;
			}
			if (strchr(it.value, '.') || parse_dec(it.value, &v) < 0 || v > 1e12)
				FAIL("'slots': expected a whole number or 'unlimited'");
			c->slots[ch] = (int64_t)v;
		} else if (!strcmp(it.key, "cost")) {
			if (parse_dec(it.value, &c->cost[ch]) < 0)
				FAIL("'cost': expected a non-negative decimal number");
		} else {
			FAIL("unknown key '%.64s' in a channel section (expected slots or cost)", it.key);
		}
	}
	if (rc < 0) {
		rc = cx_error_set(err, CX_EDATA, fname, line, "%s", why);
		goto fail;
	}
	line = 0;
	if (!c->reference[0])
		FAIL("no 'reference' currency in a [currency] section");
	for (i = 0; i < CX_CH_N; i++)
		if (c->configured[i] && (c->slots[i] < 0 || c->cost[i] < 0))
			FAIL("channel '%s' needs both 'slots' and 'cost'", cx_channel_name(i));
	*out = c;
	return 0;
fail:
	cx_free(c);
	return rc < 0 ? rc : CX_EDATA;
}

int
cx_capacity_load(const char *path, struct cx_capacity **out, struct cx_error *err)
{
	char *buf;
	size_t len;
	int rc;
	if (!path) {
		if (!(buf = cx_default_join(cx_capacity_default_lines, &len)))
			return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		rc = cx_capacity_parse(buf, len, "<built-in capacity>", out, err);
		cx_free(buf);
		return rc;
	}
	if (!(buf = cx_read_file(path, CAPACITY_MAX_BYTES, &len, err)))
		return err->code ? err->code : CX_ENOINPUT;
	rc = cx_capacity_parse(buf, len, path, out, err);
	cx_free(buf);
	return rc;
}

double
cx_capacity_rate(const struct cx_capacity *c, const char *code)
{
	int i;
	if (!strcmp(code, c->reference))
		return 1.0;
	for (i = 0; i < c->nrates; i++)
		if (!strcmp(c->rates[i].code, code))
			return c->rates[i].rate;
	return -1;
}

void
cx_capacity_free(struct cx_capacity *c)
{
	cx_free(c);
}
