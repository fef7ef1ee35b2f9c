/* cx_msg_tpl — template parsing and rendering, template sets and
 * creditor.conf (cx_msg.h, cx-templates(5)). */
#include "cx_msg.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cx_io.h"
#include "cx_mem.h"
#include "cx_policy.h"
#include "cx_utf8.h"

#define MAX_TPL_BYTES (64u * 1024)

struct piece {
	const char *lit;   /* into t->text; NULL = placeholder */
	size_t n;
	int ph;
};

struct part {
	struct piece *p;
	size_t np;
};

struct cx_msg_tpl {
	char *text;        /* owned copy with {{ }} unescaped in place */
	struct part subject, body;
	int kind;
	uint32_t uses;
};

void
cx_msg_tpl_free(struct cx_msg_tpl *t)
{
	if (!t)
		return;
	cx_free(t->subject.p);
	cx_free(t->body.p);
	cx_free(t->text);
	cx_free(t);
}

uint32_t
cx_msg_tpl_uses(const struct cx_msg_tpl *t)
{
	return t->uses;
}

static int
add_piece(struct part *pt, size_t *cap, const char *lit, size_t n, int ph)
{
	if (lit && n == 0)
		return 0;
	if (cx_grow((void **)&pt->p, cap, pt->np + 1, sizeof *pt->p) < 0)
		return -1;
	pt->p[pt->np].lit = lit;
	pt->p[pt->np].n = n;
	pt->p[pt->np].ph = ph;
	pt->np++;
	return 0;
}

/* Compile s[0..n) (inside t->text, writable) into pt.  line0 = line number
 * of s[0]. */
static int
compile(const char *name, char *s, size_t n, long line0, size_t col0, struct part *pt,
        uint32_t *uses, struct cx_error *err)
{
	/* lstart may go "negative" by col0 on the first line: keep it offset */
	size_t i = 0, cap = 0, col = 1, lstart = 0, off = col0;
	long line = line0;
	char *lit = s;
	size_t litn = 0;
	/* the literal is compacted in place: w writes, i reads */
	char *w = s;
	while (i < n) {
		char c = s[i];
		if (c == '{' && i + 1 < n && s[i + 1] == '{') {
			*w++ = '{';
			litn++;
			i += 2;
			continue;
		}
		if (c == '}' && i + 1 < n && s[i + 1] == '}') {
			*w++ = '}';
			litn++;
			i += 2;
			continue;
		}
		if (c == '}') {
			col = i - lstart + 1 + off;
			return cx_error_set(err, CX_EDATA, name, line,
			                    "column %zu: '}' without '{' (write '}}' for a brace)", col);
		}
		if (c == '{') {
			size_t j = i + 1, k;
			int ph = -1;
			col = i - lstart + 1 + off;
			while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || s[j] == '_' ||
			                 (s[j] >= '0' && s[j] <= '9')))
				j++;
			if (j >= n || s[j] != '}')
				return cx_error_set(err, CX_EDATA, name, line,
				                    "column %zu: malformed placeholder (expected "
				                    "'{name}' with a-z, 0-9 and '_'; '{{' for a brace)",
				                    col);
			for (k = 0; k < CX_PH_N; k++)
				if (strlen(cx_msg_placeholders[k]) == j - i - 1 &&
				    memcmp(cx_msg_placeholders[k], s + i + 1, j - i - 1) == 0)
					ph = (int)k;
			if (ph < 0) {
				if (j - i - 1 > 40)
					return cx_error_set(err, CX_EDATA, name, line,
					                    "column %zu: unknown placeholder", col);
				return cx_error_set(err, CX_EDATA, name, line,
				                    "column %zu: unknown placeholder '%.*s'", col,
				                    (int)(j - i - 1), s + i + 1);
			}
			if (add_piece(pt, &cap, lit, litn, 0) < 0 ||
			    add_piece(pt, &cap, NULL, 0, ph) < 0)
				return cx_error_set(err, CX_ENOMEM, name, 0, "out of memory");
			*uses |= 1u << ph;
			i = j + 1;
			lit = w;
			litn = 0;
			continue;
		}
		if (c == '\n') {
			line++;
			lstart = i + 1;
			off = 0;
		}
		*w++ = c;
		litn++;
		i++;
	}
	if (add_piece(pt, &cap, lit, litn, 0) < 0)
		return cx_error_set(err, CX_ENOMEM, name, 0, "out of memory");
	return 0;
}

struct cx_msg_tpl *
cx_msg_tpl_parse(const char *name, const char *text, size_t n, int kind, struct cx_error *err)
{
	struct cx_msg_tpl *t;
	size_t bad, i, body_off = 0;
	long body_line = 1;
	if (!name)
		name = "<template>";
	if ((bad = cx_utf8_validate(text, n)) != (size_t)-1) {
		long line = 1;
		for (i = 0; i < bad; i++)
			line += text[i] == '\n';
		cx_error_set(err, CX_EDATA, name, line, "invalid UTF-8");
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (text[i] == '\0' || text[i] == '\r' || text[i] == '\t') {
			long line = 1;
			size_t k;
			for (k = 0; k < i; k++)
				line += text[k] == '\n';
			cx_error_set(err, CX_EDATA, name, line,
			             "control character (NUL, CR or TAB) in a template");
			return NULL;
		}
	if (n > MAX_TPL_BYTES) {
		cx_error_set(err, CX_ELIMIT, name, 0, "template larger than %u bytes", MAX_TPL_BYTES);
		return NULL;
	}
	if (!(t = cx_calloc(1, sizeof *t)) || !(t->text = cx_malloc(n + 1))) {
		cx_free(t);
		cx_error_set(err, CX_ENOMEM, name, 0, "out of memory");
		return NULL;
	}
	memcpy(t->text, text, n);
	t->text[n] = '\0';
	t->kind = kind;
	/* one final newline is the file's, not the message's */
	if (n && t->text[n - 1] == '\n')
		t->text[--n] = '\0';
	if (kind == CX_MK_EMAIL) {
		char *nl = memchr(t->text, '\n', n);
		size_t l1 = nl ? (size_t)(nl - t->text) : n;
		if (l1 < 9 || memcmp(t->text, "Subject: ", 9) != 0) {
			cx_error_set(err, CX_EDATA, name, 1,
			             "column 1: an email template starts with 'Subject: '");
			goto fail;
		}
		if (!nl || (size_t)(nl - t->text) + 1 >= n || nl[1] != '\n') {
			cx_error_set(err, CX_EDATA, name, 2,
			             "column 1: an empty line must follow the subject, then the body");
			goto fail;
		}
		if (compile(name, t->text + 9, l1 - 9, 1, 9, &t->subject, &t->uses, err) < 0)
			goto fail;
		if (t->subject.np == 0) {
			cx_error_set(err, CX_EDATA, name, 1, "column 10: empty subject");
			goto fail;
		}
		body_off = l1 + 2;
		body_line = 3;
	}
	if (body_off >= n) {
		cx_error_set(err, CX_EDATA, name, body_line, "empty message");
		goto fail;
	}
	if (compile(name, t->text + body_off, n - body_off, body_line, 0, &t->body, &t->uses, err) <
	    0)
		goto fail;
	return t;
fail:
	cx_msg_tpl_free(t);
	return NULL;
}

static char *
render_part(const struct part *pt, const char *const *values)
{
	size_t len = 0, i, o = 0;
	char *out;
	for (i = 0; i < pt->np; i++)
		len += pt->p[i].lit ? pt->p[i].n : strlen(values[pt->p[i].ph]);
	if (!(out = cx_malloc(len + 1)))
		return NULL;
	for (i = 0; i < pt->np; i++) {
		const char *s = pt->p[i].lit ? pt->p[i].lit : values[pt->p[i].ph];
		size_t k = pt->p[i].lit ? pt->p[i].n : strlen(s);
		memcpy(out + o, s, k);
		o += k;
	}
	out[o] = '\0';
	return out;
}

int
cx_msg_tpl_render(const struct cx_msg_tpl *t, const char *const *values, char **subject,
                  char **body, const char **missing)
{
	int k;
	*subject = *body = NULL;
	for (k = 0; k < CX_PH_N; k++)
		if ((t->uses & (1u << k)) && (!values[k] || !values[k][0])) {
			if (missing)
				*missing = cx_msg_placeholders[k];
			return 1;
		}
	if (t->kind == CX_MK_EMAIL && !(*subject = render_part(&t->subject, values)))
		return CX_ENOMEM;
	if (!(*body = render_part(&t->body, values))) {
		cx_free(*subject);
		*subject = NULL;
		return CX_ENOMEM;
	}
	return 0;
}

/* ---- sets ------------------------------------------------------------------ */

struct entry {
	char lang[8];
	char id[32];
	int kind;
	struct cx_msg_tpl *t;
};

struct cred {
	char section[8];   /* "default" or a country code */
	char key[64];
	char *value;
};

struct cx_msg_set {
	struct entry *e;
	size_t ne, cap;
	struct cred *c;
	size_t nc, ccap;
	int have_creditor;
};

void
cx_msg_set_free(struct cx_msg_set *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->ne; i++)
		cx_msg_tpl_free(s->e[i].t);
	for (i = 0; i < s->nc; i++)
		cx_free(s->c[i].value);
	cx_free(s->e);
	cx_free(s->c);
	cx_free(s);
}

size_t
cx_msg_set_count(const struct cx_msg_set *s)
{
	return s->ne;
}

const struct cx_msg_tpl *
cx_msg_set_find(const struct cx_msg_set *s, const char *lang, const char *id, int kind)
{
	size_t i;
	if (!lang || !id)
		return NULL;
	for (i = 0; i < s->ne; i++)
		if (s->e[i].kind == kind && strcmp(s->e[i].id, id) == 0 &&
		    strcmp(s->e[i].lang, lang) == 0)
			return s->e[i].t;
	return NULL;
}

const char *
cx_msg_creditor(const struct cx_msg_set *s, const char *country, const char *key)
{
	size_t i;
	if (country && country[0])
		for (i = 0; i < s->nc; i++)
			if (strcmp(s->c[i].section, country) == 0 && strcmp(s->c[i].key, key) == 0)
				return s->c[i].value;
	for (i = 0; i < s->nc; i++)
		if (strcmp(s->c[i].section, "default") == 0 && strcmp(s->c[i].key, key) == 0)
			return s->c[i].value;
	return NULL;
}

static int
is_lang(const char *s, size_t n)
{
	return n == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z';
}

static int
valid_cred_key(const char *k)
{
	const char *dot, *dot2;
	if (strcmp(k, "name") == 0 || strcmp(k, "language") == 0 || strcmp(k, "pay_link") == 0)
		return 1;
	if (strncmp(k, "contact_line.", 13) == 0)
		return is_lang(k + 13, strlen(k + 13));
	if (strncmp(k, "payment_methods.", 16) == 0)
		return is_lang(k + 16, strlen(k + 16));
	if (strncmp(k, "opt_out.", 8) == 0) {
		dot = k + 8;
		dot2 = strchr(dot, '.');
		return dot2 && cx_msg_kind_index(dot, (size_t)(dot2 - dot)) >= 0 &&
		       is_lang(dot2 + 1, strlen(dot2 + 1));
	}
	return 0;
}

static int
load_creditor(struct cx_msg_set *s, const char *name, const char *text, size_t n,
              struct cx_error *err)
{
	const char *pos = text, *why = NULL;
	long line = 0;
	struct cx_conf_item it;
	char section[8] = "";
	int r;
	while ((r = cx_conf_next(&pos, text + n, &line, &it, &why)) == 1) {
		if (it.is_section) {
			if (strcmp(it.kind, "default") == 0 && !it.name[0])
				strcpy(section, "default");
			else if (strcmp(it.kind, "country") == 0 && strlen(it.name) == 2 &&
			         it.name[0] >= 'A' && it.name[0] <= 'Z' && it.name[1] >= 'A' &&
			         it.name[1] <= 'Z')
				strcpy(section, it.name);
			else
				return cx_error_set(err, CX_EDATA, name, line,
				                    "unknown section (expected '[default]' or "
				                    "'[country CC]')");
			continue;
		}
		if (!section[0])
			return cx_error_set(err, CX_EDATA, name, line,
			                    "key outside a section ('[default]' or '[country CC]')");
		if (!valid_cred_key(it.key))
			return cx_error_set(err, CX_EDATA, name, line, "unknown key '%s'", it.key);
		if (!it.value[0])
			return cx_error_set(err, CX_EDATA, name, line, "empty value for '%s'", it.key);
		if (strcmp(it.key, "pay_link") == 0) {
			const char *p = strchr(it.value, '{');
			if (!p || strncmp(p, "{reference}", 11) != 0 || strchr(p + 1, '{') ||
			    strchr(it.value, '}') != p + 10)
				return cx_error_set(err, CX_EDATA, name, line,
				                    "pay_link must contain '{reference}' once and no "
				                    "other braces");
		} else if (strchr(it.value, '{') || strchr(it.value, '}')) {
			return cx_error_set(err, CX_EDATA, name, line,
			                    "'%s' takes no placeholders", it.key);
		}
		if (!cx_utf8_valid(it.value, strlen(it.value)))
			return cx_error_set(err, CX_EDATA, name, line, "invalid UTF-8");
		{
			size_t i;
			for (i = 0; i < s->nc; i++)
				if (strcmp(s->c[i].section, section) == 0 &&
				    strcmp(s->c[i].key, it.key) == 0)
					return cx_error_set(err, CX_EDATA, name, line,
					                    "'%s' given twice in this section", it.key);
		}
		if (cx_grow((void **)&s->c, &s->ccap, s->nc + 1, sizeof *s->c) < 0 ||
		    !(s->c[s->nc].value = cx_strdup(it.value)))
			return cx_error_set(err, CX_ENOMEM, name, 0, "out of memory");
		strcpy(s->c[s->nc].section, section);
		snprintf(s->c[s->nc].key, sizeof s->c[s->nc].key, "%s", it.key);
		s->nc++;
	}
	if (r < 0)
		return cx_error_set(err, CX_EDATA, name, line, "%s", why ? why : "syntax error");
	if (!cx_msg_creditor(s, NULL, "name"))
		return cx_error_set(err, CX_EDATA, name, 0, "no creditor 'name' in '[default]'");
	s->have_creditor = 1;
	return 0;
}

/* rel: "creditor.conf" or "LANG/ID.KIND"; shown: name for errors. */
static int
add_file(struct cx_msg_set *s, const char *rel, const char *shown, const char *text, size_t n,
         struct cx_error *err)
{
	const char *slash, *dot, *p;
	int kind;
	struct entry *e;
	if (strcmp(rel, "creditor.conf") == 0)
		return load_creditor(s, shown, text, n, err);
	slash = strchr(rel, '/');
	dot = strrchr(rel, '.');
	if (!slash || !is_lang(rel, (size_t)(slash - rel)) || !dot || dot < slash ||
	    dot == slash + 1 || (size_t)(dot - slash - 1) >= sizeof e->id)
		return cx_error_set(err, CX_EDATA, shown, 0,
		                    "template file names are LANG/ID.CHANNEL (cx-templates(5))");
	for (p = slash + 1; p < dot; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return cx_error_set(err, CX_EDATA, shown, 0,
			                    "template ids use A-Z, 0-9 and '_'");
	if ((kind = cx_msg_kind_index(dot + 1, strlen(dot + 1))) < 0)
		return cx_error_set(err, CX_EDATA, shown, 0,
		                    "unknown channel extension (sms, whatsapp, email, call, ivr, "
		                    "letter)");
	if (cx_grow((void **)&s->e, &s->cap, s->ne + 1, sizeof *s->e) < 0)
		return cx_error_set(err, CX_ENOMEM, shown, 0, "out of memory");
	e = &s->e[s->ne];
	memset(e, 0, sizeof *e);
	memcpy(e->lang, rel, 2);
	memcpy(e->id, slash + 1, (size_t)(dot - slash - 1));
	e->kind = kind;
	if (!(e->t = cx_msg_tpl_parse(shown, text, n, kind, err)))
		return err->code;
	s->ne++;
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
load_dir(struct cx_msg_set *s, const char *dir, struct cx_error *err)
{
	DIR *d, *ld;
	struct dirent *de;
	char path[4096], rel[512];
	char **names = NULL;
	size_t nn = 0, cap = 0, i;
	int rc = 0;
	if (!(d = opendir(dir)))
		return cx_error_errno(err, CX_ENOINPUT, errno, dir, "cannot open the template "
		                      "directory");
	while ((de = readdir(d))) {
		if (!is_lang(de->d_name, strlen(de->d_name)))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (!(ld = opendir(path)))
			continue;
		{
			struct dirent *fe;
			while ((fe = readdir(ld))) {
				if (fe->d_name[0] == '.')
					continue;
				if (strlen(fe->d_name) > 200)
					continue;
				snprintf(rel, sizeof rel, "%s/%s", de->d_name, fe->d_name);
				if (cx_grow((void **)&names, &cap, nn + 1, sizeof *names) < 0 ||
				    !(names[nn] = cx_strdup(rel))) {
					rc = cx_error_set(err, CX_ENOMEM, dir, 0, "out of memory");
					break;
				}
				nn++;
			}
		}
		closedir(ld);
		if (rc < 0)
			break;
	}
	closedir(d);
	if (rc == 0) {
		size_t len;
		char *buf;
		if (nn)
			qsort(names, nn, sizeof *names, cmp_name);
		snprintf(path, sizeof path, "%s/creditor.conf", dir);
		if (!(buf = cx_read_file(path, 1u << 20, &len, err)))
			rc = err->code;
		else {
			rc = add_file(s, "creditor.conf", path, buf, len, err);
			cx_free(buf);
		}
		for (i = 0; rc == 0 && i < nn; i++) {
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
			if (!(buf = cx_read_file(path, MAX_TPL_BYTES + 1, &len, err))) {
				rc = err->code;
				break;
			}
			rc = add_file(s, names[i], path, buf, len, err);
			cx_free(buf);
		}
	}
	for (i = 0; i < nn; i++)
		cx_free(names[i]);
	cx_free(names);
	return rc;
}

int
cx_msg_set_load(const char *dir, struct cx_msg_set **out, struct cx_error *err)
{
	struct cx_msg_set *s = cx_calloc(1, sizeof *s);
	int rc = 0;
	*out = NULL;
	if (!s)
		return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
	if (dir) {
		rc = load_dir(s, dir, err);
	} else {
		size_t i, len;
		char shown[300];
		for (i = 0; rc == 0 && cx_msg_default_files[i].path; i++) {
			char *buf = cx_default_join(cx_msg_default_files[i].lines, &len);
			if (!buf) {
				rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
				break;
			}
			snprintf(shown, sizeof shown, "<built-in>/%s", cx_msg_default_files[i].path);
			rc = add_file(s, cx_msg_default_files[i].path, shown, buf, len, err);
			cx_free(buf);
		}
		if (rc == 0 && !s->have_creditor)
			rc = cx_error_set(err, CX_EINTERNAL, "", 0, "no built-in creditor.conf");
	}
	if (rc < 0) {
		cx_msg_set_free(s);
		return rc;
	}
	*out = s;
	return 0;
}
