/* Fuzz target: the cx-score model file reader (cx-model(5)).  Any input must
 * parse or fail cleanly with CX_EDATA/CX_ENOMEM, never crash, leak or hang.
 * A model that parses must apply to missing and extreme values, and survive
 * write-then-parse with the same characteristics, bins and points. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_io.h"
#include "cx_mem.h"
#include "cx_score_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err = { 0 };
	struct cx_sc_model *m = cx_sc_model_parse((const char *)data, size, "fuzz", &err);
	if (!m) {
		if (err.code != CX_EDATA && err.code != CX_ENOMEM)
			abort();
		return 0;
	}
	struct cx_sc_value *v = cx_calloc(m->nchars, sizeof *v);
	struct cx_sc_result r;
	if (!v)
		abort();
	static const double xs[] = { NAN, -INFINITY, -1e300, 0, 1, 1e300, INFINITY };
	for (size_t k = 0; k < sizeof xs / sizeof *xs; k++) {
		for (size_t i = 0; i < m->nchars; i++) {
			v[i].x = xs[k];
			v[i].s = k & 1 ? "A" : NULL;
			v[i].n = k & 1 ? 1 : 0;
		}
		cx_sc_model_apply(m, v, &r);
		if (r.nreasons > CX_SC_MAX_REASONS)
			abort();
		for (size_t q = 0; q < r.nreasons; q++)
			if (r.reasons[q] >= m->nchars)
				abort();
	}
	cx_free(v);
	/* write and parse again */
	char path[] = "/tmp/fuzz_model.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	struct cx_output *out = cx_output_open(path, CX_OUT_FORCE, &err);
	if (!out || cx_sc_model_write(m, out, &err) < 0 || cx_output_commit(out, &err) < 0)
		abort();
	struct cx_sc_model *m2 = cx_sc_model_load(path, &err);
	unlink(path);
	if (!m2 || m2->nchars != m->nchars)
		abort();
	for (size_t i = 0; i < m->nchars; i++) {
		if (m2->chars[i].nbins != m->chars[i].nbins)
			abort();
		for (size_t b = 0; b < m->chars[i].nbins; b++)
			if (fabs(m2->chars[i].bins[b].points - m->chars[i].bins[b].points) > 0.0051 &&
			    fabs(m->chars[i].bins[b].points) < 1e12)
				abort();
	}
	cx_sc_model_free(m2);
	cx_sc_model_free(m);
	return 0;
}
