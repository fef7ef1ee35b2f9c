/* cx_colmap — raw header names to canonical columns (see cx_colmap.h). */
#include <stdio.h>
#include <string.h>

#include "cx_colmap.h"
#include "cx_io.h"
#include "cx_mem.h"

/* ---- folding ---------------------------------------------------------- */

/* Latin-1 supplement U+00C0..U+00FF to its unaccented ASCII letter (0 when
 * not a letter). */
static const char latin1_fold[64] =
	"aaaaaaaceeeeiiii" /* C0-CF: À..Ï  (Æ -> a) */
	"dnooooo\0ouuuuyts" /* D0-DF: Ð Ñ Ò..Ö × Ø Ù..Ü Ý Þ ß */
	"aaaaaaaceeeeiiii" /* E0-EF */
	"dnooooo\0ouuuuyty"; /* F0-FF */

static const char *const filler[] = {
	"de", "del", "la", "el", "los", "las", "the", "of", "no", "nro", "num",
	"numero", "number", "nr", "n", NULL
};

static int is_filler(const char *w, size_t n)
{
	size_t i;

	for (i = 0; filler[i]; i++)
		if (strlen(filler[i]) == n && memcmp(filler[i], w, n) == 0)
			return 1;
	return 0;
}

size_t cx_colmap_fold(const char *s, size_t n, char *out, size_t outsz)
{
	char word[CX_COLMAP_FOLD_MAX];
	size_t i = 0, wn = 0, o = 0;

	if (outsz == 0)
		return 0;
	for (;;) {
		int c = -1;   /* folded letter/digit, 0 = separator, -1 = end */
		size_t adv = 1;

		if (i < n) {
			unsigned char b = (unsigned char)s[i];
			if (b >= 'A' && b <= 'Z')
				c = b - 'A' + 'a';
			else if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9'))
				c = b;
			else if ((b == 0xC3) && i + 1 < n &&
			         ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
				unsigned cp = 0xC0u + ((unsigned char)s[i + 1] & 0x3Fu);
				c = latin1_fold[cp - 0xC0];
				adv = 2;
			} else
				c = 0;
		}
		if (c > 0) {
			if (wn < sizeof word)
				word[wn++] = (char)c;
		} else {
			if (wn > 0 && !is_filler(word, wn)) {
				size_t k;
				for (k = 0; k < wn && o + 1 < outsz; k++)
					out[o++] = word[k];
			}
			wn = 0;
			if (c < 0)
				break;
		}
		i += adv;
	}
	out[o] = '\0';
	return o;
}

/* ---- synonym table ---------------------------------------------------- */

struct syn { const char *canon; const char *const *names; };

#define L(...) (const char *const[]){ __VA_ARGS__, NULL }
static const struct syn synonyms[] = {
	{ "account_id", L("account_id", "account", "account_number", "account_no", "acct",
	   "acct_id", "acct_no", "loan_id", "loan_number", "loan", "contract_id", "contract",
	   "obligacion", "numero_obligacion", "id_obligacion", "obligacion_id", "cuenta",
	   "numero_cuenta", "id_cuenta", "nro_cuenta", "no_cuenta", "credito", "numero_credito",
	   "id_credito", "prestamo", "numero_prestamo", "contrato", "numero_contrato",
	   "pagare", "producto_id") },
	{ "source", L("source", "source_system", "system", "sistema", "sistema_origen",
	   "origen", "fuente", "aplicativo") },
	{ "source_customer_id", L("source_customer_id", "customer_id", "customer_number",
	   "customer_no", "client_id", "client_number", "customer", "client", "cif",
	   "id_cliente", "cliente_id", "codigo_cliente", "cod_cliente", "numero_cliente",
	   "cliente", "nro_cliente") },
	{ "national_id", L("national_id", "national_id_number", "ssn", "tax_id", "taxpayer_id",
	   "document", "document_number", "document_id", "id_number", "identification",
	   "identification_number", "cedula", "cedula_ciudadania", "cc", "documento",
	   "numero_documento", "nro_documento", "documento_identidad", "nit", "rut", "curp",
	   "rfc", "dni", "nif", "nie", "identificacion", "numero_identificacion",
	   "id_identificacion", "doc") },
	{ "name", L("name", "full_name", "customer_name", "client_name", "debtor_name",
	   "holder", "nombre", "nombre_completo", "nombres", "nombre_cliente",
	   "nombre_titular", "titular", "razon_social", "deudor") },
	{ "email", L("email", "e_mail", "email_address", "mail", "correo",
	   "correo_electronico", "email_cliente", "correo_cliente", "e_mail_cliente") },
	{ "phone", L("phone", "phone_number", "mobile", "mobile_phone", "mobile_number",
	   "cell", "cellphone", "cell_phone", "telephone", "tel", "msisdn", "telefono",
	   "telefono_movil", "telefono_celular", "celular", "numero_celular", "movil",
	   "telefono_contacto", "whatsapp") },
	{ "country", L("country", "country_code", "pais", "codigo_pais", "cod_pais") },
	{ "timezone", L("timezone", "time_zone", "tz", "zona_horaria", "huso_horario") },
	{ "language", L("language", "lang", "preferred_language", "idioma", "lengua") },
	{ "product", L("product", "product_type", "product_code", "producto", "tipo_producto",
	   "codigo_producto", "linea_producto") },
	{ "currency", L("currency", "currency_code", "ccy", "curr", "moneda", "divisa",
	   "codigo_moneda", "cod_moneda", "tipo_moneda") },
	{ "balance", L("balance", "current_balance", "outstanding_balance", "outstanding",
	   "total_balance", "balance_amount", "statement_balance", "saldo", "saldo_total", "saldo_actual",
	   "saldo_capital", "saldo_deuda", "deuda", "deuda_total", "valor_deuda") },
	{ "past_due", L("past_due", "past_due_amount", "amount_past_due", "overdue",
	   "overdue_amount", "arrears", "delinquent_amount", "saldo_vencido", "monto_vencido",
	   "valor_vencido", "importe_vencido", "monto_mora", "valor_mora", "saldo_mora",
	   "vencido") },
	{ "minimum_due", L("minimum_due", "minimum_payment", "min_payment", "min_due",
	   "minimum_amount_due", "amount_due", "pago_minimo", "valor_minimo", "monto_minimo",
	   "valor_pago_minimo", "cuota", "valor_cuota") },
	{ "credit_limit", L("credit_limit", "limit", "credit_line", "cupo", "cupo_total",
	   "cupo_aprobado", "limite", "limite_credito", "linea_credito", "monto_aprobado") },
	{ "due_date", L("due_date", "payment_due_date", "oldest_due_date", "date_due",
	   "fecha_vencimiento", "vencimiento", "fecha_limite_pago", "fecha_limite",
	   "fecha_pago_limite", "fecha_vto", "fecha_exigibilidad") },
	{ "days_past_due", L("days_past_due", "dpd", "days_overdue", "days_late",
	   "days_delinquent", "dias_mora", "dias_en_mora", "dias_vencido", "dias_vencidos",
	   "dias_atraso", "mora_dias", "altura_mora", "dias_de_mora") },
	{ "open_date", L("open_date", "opened", "opening_date", "date_opened",
	   "origination_date", "disbursement_date", "fecha_apertura", "fecha_desembolso",
	   "fecha_originacion", "fecha_otorgamiento", "fecha_inicio") },
	{ "last_payment_date", L("last_payment_date", "last_paid_date", "date_last_payment",
	   "last_payment_on", "fecha_ultimo_pago", "fecha_ult_pago", "ultimo_pago_fecha",
	   "fecha_ultimo_abono") },
	{ "last_payment_amount", L("last_payment_amount", "last_payment", "last_paid_amount",
	   "amount_last_payment", "valor_ultimo_pago", "monto_ultimo_pago",
	   "valor_ult_pago", "ultimo_pago", "ultimo_abono") },
	{ "flags", L("flags", "holds", "status_flags", "hold_flags", "marcas", "alertas",
	   "bloqueos", "marca", "novedades") },
	{ "consents", L("consents", "consent", "opt_in", "opt_ins", "permissions",
	   "consentimientos", "consentimiento", "autorizaciones", "autorizacion",
	   "canales_autorizados") },
	{ "preferred_channel", L("preferred_channel", "channel_preference", "canal_preferido",
	   "medio_preferido") },
	{ "preferred_hours", L("preferred_hours", "contact_hours", "best_time_to_call",
	   "horario_preferido", "horario_contacto", "franja_horaria", "horario") },
	/* payments */
	{ "date", L("date", "payment_date", "paid_date", "posting_date", "transaction_date",
	   "value_date", "fecha", "fecha_pago", "fecha_abono", "fecha_transaccion",
	   "fecha_aplicacion", "fecha_recaudo") },
	{ "amount", L("amount", "payment_amount", "paid_amount", "payment", "valor", "monto",
	   "importe", "valor_pago", "monto_pago", "importe_pago", "abono", "valor_abono",
	   "valor_recaudo", "pago", "valor_pagado", "monto_pagado", "importe_pagado",
	   "amount_paid") },
	{ "method", L("method", "payment_method", "payment_channel", "medio_pago",
	   "forma_pago", "metodo_pago", "canal_pago", "medio_de_pago") },
	/* contacts */
	{ "timestamp", L("timestamp", "datetime", "date_time", "contact_time",
	   "contact_timestamp", "contact_date", "fecha_hora", "fecha_contacto",
	   "fecha_gestion", "hora_gestion") },
	{ "channel", L("channel", "contact_channel", "medium", "canal", "medio",
	   "canal_contacto", "tipo_gestion") },
	{ "direction", L("direction", "inbound_outbound", "in_out", "sentido",
	   "entrante_saliente", "tipo_llamada") },
	{ "outcome", L("outcome", "result", "disposition", "status", "resultado",
	   "resultado_gestion", "tipificacion", "efecto", "codigo_resultado") },
	{ "agent", L("agent", "agent_id", "collector", "user", "operator", "agente", "asesor",
	   "gestor", "usuario", "cobrador") },
	{ "promise_amount", L("promise_amount", "ptp_amount", "promised_amount",
	   "promise_to_pay_amount", "valor_promesa", "monto_promesa", "valor_compromiso",
	   "monto_compromiso") },
	{ "promise_date", L("promise_date", "ptp_date", "promised_date", "promise_to_pay_date",
	   "fecha_promesa", "fecha_compromiso", "fecha_acuerdo") },
	/* statements */
	{ "statement_date", L("statement_date", "cycle_date", "billing_date",
	   "statement_period", "period", "fecha_corte", "fecha_extracto",
	   "fecha_facturacion", "periodo", "corte") },
	{ "amount_paid", L("amount_paid", "paid", "payments", "paid_in_period",
	   "payments_received", "total_paid", "pagos", "valor_pagado", "monto_pagado",
	   "pago_realizado", "pagos_periodo") },
	{ NULL, NULL }
};
#undef L

const char *const *cx_colmap_synonyms(const char *canonical)
{
	size_t i;

	for (i = 0; synonyms[i].canon; i++)
		if (strcmp(synonyms[i].canon, canonical) == 0)
			return synonyms[i].names;
	return NULL;
}

int cx_colmap_is_derived(enum cx_kind kind, const char *canonical)
{
	if (strcmp(canonical, "customer_key") == 0)
		return 1;
	if (kind == CX_KIND_ACCOUNTS && strcmp(canonical, "bucket") == 0)
		return 1;
	return 0;
}

/* ---- --map specs -------------------------------------------------------- */

void cx_colmap_spec_init(struct cx_colmap_spec *s)
{
	memset(s, 0, sizeof *s);
}

void cx_colmap_spec_free(struct cx_colmap_spec *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		cx_free(s->pairs[i].canon);
		cx_free(s->pairs[i].raw);
	}
	cx_free(s->pairs);
	memset(s, 0, sizeof *s);
}

static int spec_add(struct cx_colmap_spec *s, const char *c, size_t cn, const char *r,
                    size_t rn, struct cx_error *err)
{
	size_t i;
	char *cc, *rr;

	cc = cx_strndup(c, cn);
	rr = cx_strndup(r, rn);
	if (!cc || !rr) {
		cx_free(cc);
		cx_free(rr);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	for (i = 0; i < s->n; i++)
		if (strcmp(s->pairs[i].canon, cc) == 0) {
			cx_free(s->pairs[i].canon);
			cx_free(s->pairs[i].raw);
			s->pairs[i].canon = cc;
			s->pairs[i].raw = rr;
			return 0;
		}
	if (cx_grow((void **)&s->pairs, &s->cap, s->n + 1, sizeof *s->pairs) < 0) {
		cx_free(cc);
		cx_free(rr);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	s->pairs[s->n].canon = cc;
	s->pairs[s->n].raw = rr;
	s->n++;
	return 0;
}

static int parse_pair(struct cx_colmap_spec *s, const char *p, size_t n, int tab_ok,
                      const char *file, long line, struct cx_error *err)
{
	const char *eq = memchr(p, '=', n);
	char esc[128];

	if (!eq && tab_ok)
		eq = memchr(p, '\t', n);
	if (!eq || eq == p || eq + 1 == p + n) {
		cx_diag_escape(esc, sizeof esc, p, n, 60);
		return cx_error_set(err, file ? CX_EDATA : CX_EUSAGE, file, line,
		                    "bad mapping '%s' (expected canonical=raw)", esc);
	}
	return spec_add(s, p, (size_t)(eq - p), eq + 1, (size_t)(p + n - eq - 1), err);
}

int cx_colmap_spec_parse(struct cx_colmap_spec *s, const char *text, const char *file,
                         long line, struct cx_error *err)
{
	const char *p = text;

	for (;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		int rc = parse_pair(s, p, n, 0, file, line, err);
		if (rc < 0)
			return rc;
		if (!c)
			return 0;
		p = c + 1;
	}
}

int cx_colmap_spec_load(struct cx_colmap_spec *s, const char *path, struct cx_error *err)
{
	size_t len;
	char *buf = cx_read_file(path, 1u << 20, &len, err);
	const char *p, *end;
	long line = 0;
	int rc = 0;

	if (!buf)
		return err->code ? err->code : CX_ENOINPUT;
	p = buf;
	end = buf + len;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t n;

		line++;
		n = (size_t)(e - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		while (n > 0 && (*p == ' ')) {
			p++;
			n--;
		}
		if (n > 0 && *p != '#')
			rc = parse_pair(s, p, n, 1, path, line, err);
		p = nl ? nl + 1 : end;
	}
	cx_free(buf);
	return rc;
}

/* ---- header mapping ----------------------------------------------------- */

static void list_header(char *out, size_t outsz, const char *const *hdr, const size_t *hlen,
                        size_t nh)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < nh && o + 8 < outsz; i++) {
		char esc[80];
		int w;
		cx_diag_escape(esc, sizeof esc, hdr[i], hlen[i], 40);
		w = snprintf(out + o, outsz - o, "%s'%s'", i ? ", " : "", esc);
		if (w < 0 || (size_t)w >= outsz - o) {
			if (outsz - o > 4)
				memcpy(out + outsz - 4, "...", 4);
			return;
		}
		o += (size_t)w;
	}
}

int cx_colmap_build(const struct cx_colmap_spec *spec, const struct cx_column *cols,
                    size_t ncols, const int *required, const char *const *hdr,
                    const size_t *hlen, size_t nh, int *idx, const char *file,
                    struct cx_error *err)
{
	char (*folded)[CX_COLMAP_FOLD_MAX] = NULL;
	int *rank = NULL;
	size_t i, j, c;
	int rc = 0;
	char esc[128], esc2[128];

	for (c = 0; c < ncols; c++)
		idx[c] = -1;
	/* empty and duplicate names */
	for (i = 0; i < nh; i++) {
		if (hlen[i] == 0 && !(spec && spec->allow_trailing_empty && i + 1 == nh && i > 0))
			return cx_error_set(err, CX_EDATA, file, 1,
			                    "empty column name (column %zu)%s", i + 1,
			                    i + 1 == nh ? "; trailing delimiter? "
			                    "(use --allow-trailing-delimiter)" : "");
		for (j = 0; j < i; j++)
			if (hlen[j] == hlen[i] && hlen[i] > 0 && memcmp(hdr[j], hdr[i], hlen[i]) == 0) {
				cx_diag_escape(esc, sizeof esc, hdr[i], hlen[i], 60);
				return cx_error_set(err, CX_EDATA, file, 1,
				                    "duplicate column name '%s' (columns %zu and %zu)",
				                    esc, j + 1, i + 1);
			}
	}
	folded = cx_calloc(nh ? nh : 1, sizeof *folded);
	rank = cx_calloc(ncols ? ncols : 1, sizeof *rank);
	if (!folded || !rank) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < nh; i++)
		cx_colmap_fold(hdr[i], hlen[i], folded[i], sizeof folded[i]);

	/* explicit mappings first */
	for (j = 0; spec && j < spec->n; j++) {
		const struct cx_colmap_pair *pr = &spec->pairs[j];
		size_t rl = strlen(pr->raw);
		int hit = -1;
		char f[CX_COLMAP_FOLD_MAX];

		for (c = 0; c < ncols; c++)
			if (strcmp(cols[c].name, pr->canon) == 0)
				break;
		if (c == ncols) {
			cx_diag_escape(esc, sizeof esc, pr->canon, strlen(pr->canon), 60);
			rc = cx_error_set(err, CX_EUSAGE, NULL, 0,
			                  "--map: unknown column '%s' for this kind", esc);
			goto out;
		}
		for (i = 0; i < nh && hit < 0; i++)
			if (hlen[i] == rl && memcmp(hdr[i], pr->raw, rl) == 0)
				hit = (int)i;
		cx_colmap_fold(pr->raw, rl, f, sizeof f);
		for (i = 0; i < nh && hit < 0; i++)
			if (f[0] && strcmp(folded[i], f) == 0)
				hit = (int)i;
		if (hit < 0) {
			char have[1024];
			cx_diag_escape(esc, sizeof esc, pr->raw, rl, 60);
			list_header(have, sizeof have, hdr, hlen, nh);
			rc = cx_error_set(err, CX_EDATA, file, 1,
			                  "--map %s=%s: no column '%s' (the file has: %s)",
			                  pr->canon, esc, esc, have);
			goto out;
		}
		idx[c] = hit;
		rank[c] = -1;
	}
	/* synonyms: rank 0 = canonical name, then list order */
	for (c = 0; c < ncols; c++) {
		const char *const *syn;
		int best = -1, bestrank = 1 << 30, tie = -1;
		if (idx[c] >= 0)
			continue;
		syn = cx_colmap_synonyms(cols[c].name);
		for (i = 0; i < nh; i++) {
			int r = -1;
			char f[CX_COLMAP_FOLD_MAX];
			size_t k;
			int taken = 0;

			for (k = 0; k < ncols; k++)
				if (rank[k] == -1 && idx[k] == (int)i)
					taken = 1;   /* claimed by an explicit --map */
			if (taken || !folded[i][0])
				continue;
			cx_colmap_fold(cols[c].name, strlen(cols[c].name), f, sizeof f);
			if (strcmp(f, folded[i]) == 0)
				r = 0;
			for (k = 0; r < 0 && syn && syn[k]; k++) {
				cx_colmap_fold(syn[k], strlen(syn[k]), f, sizeof f);
				if (strcmp(f, folded[i]) == 0)
					r = (int)k + 1;
			}
			if (r < 0)
				continue;
			if (r < bestrank) {
				bestrank = r;
				best = (int)i;
				tie = -1;
			} else if (r == bestrank)
				tie = (int)i;
		}
		if (best >= 0 && tie >= 0) {
			cx_diag_escape(esc, sizeof esc, hdr[best], hlen[best], 60);
			cx_diag_escape(esc2, sizeof esc2, hdr[tie], hlen[tie], 60);
			rc = cx_error_set(err, CX_EDATA, file, 1,
			                  "columns '%s' and '%s' both match '%s' (use --map %s=NAME)",
			                  esc, esc2, cols[c].name, cols[c].name);
			goto out;
		}
		idx[c] = best;
		rank[c] = bestrank;
	}
	/* one raw column may feed only one canonical column: keep the better
	 * rank (explicit maps win), drop the other silently */
	for (c = 0; c < ncols; c++)
		for (j = c + 1; j < ncols; j++)
			if (idx[c] >= 0 && idx[c] == idx[j]) {
				if (rank[j] < rank[c])
					idx[c] = -1;
				else
					idx[j] = -1;
			}
	/* required */
	{
		char miss[1024], have[1024];
		size_t o = 0, nmiss = 0;
		miss[0] = '\0';
		for (c = 0; c < ncols; c++)
			if (required && required[c] && idx[c] < 0) {
				int w = snprintf(miss + o, sizeof miss - o, "%s'%s'", nmiss ? ", " : "",
				                 cols[c].name);
				if (w > 0 && (size_t)w < sizeof miss - o)
					o += (size_t)w;
				nmiss++;
			}
		if (nmiss) {
			list_header(have, sizeof have, hdr, hlen, nh);
			rc = cx_error_set(err, CX_EDATA, file, 1,
			                  "missing required column%s %s (the file has: %s)",
			                  nmiss > 1 ? "s" : "", miss, have);
			goto out;
		}
	}
out:
	cx_free(folded);
	cx_free(rank);
	return rc;
}
