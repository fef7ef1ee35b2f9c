/* cx_colmap — mapping the header of a raw export to canonical columns:
 * built-in English and Spanish synonyms (case, accent and punctuation
 * insensitive), explicit --map overrides and map files, and the header
 * checks (empty names, duplicates, ambiguity, missing required columns).
 *
 * Header matching: a name is folded to lower-case ASCII (the Latin-1 accents
 * of UTF-8 letters removed: "Cédula" -> "cedula", "Año" -> "ano"), split at
 * every byte that is not a letter or digit, filler words dropped ("de",
 * "del", "la", "el", "the", "of", "no", "nro", "num", "numero", "number")
 * and the rest joined without separators: "Fecha de Vencimiento",
 * "FECHA_VENCIMIENTO" and "fecha-vencimiento" all fold to "fechavencimiento".
 *
 * Ownership: a struct cx_colmap_spec is owned by the caller (init/free);
 * it copies the strings it is given.  Synonym tables are static.
 */
#ifndef CX_COLMAP_H
#define CX_COLMAP_H

#include <stddef.h>

#include "cx_err.h"
#include "cx_schema.h"

#define CX_COLMAP_FOLD_MAX 256

/* Fold a header name as described above into out (NUL-terminated, cut at
 * outsz-1 bytes).  Returns the folded length. */
size_t cx_colmap_fold(const char *s, size_t n, char *out, size_t outsz);

/* Built-in synonyms of a canonical column (NULL-terminated, most specific
 * first; the canonical name itself is always accepted first), or NULL when
 * the column takes no synonyms. */
const char *const *cx_colmap_synonyms(const char *canonical);

/* Explicit mappings canonical=raw (raw matched exactly, then folded). */
struct cx_colmap_pair { char *canon; char *raw; };
struct cx_colmap_spec {
	struct cx_colmap_pair *pairs;
	size_t n, cap;
	int allow_trailing_empty;   /* --allow-trailing-delimiter */
};
void cx_colmap_spec_init(struct cx_colmap_spec *s);
void cx_colmap_spec_free(struct cx_colmap_spec *s);
/* "canonical=raw,canonical=raw" (a later pair for the same canonical name
 * replaces an earlier one).  `file`/`line` only label errors. */
int cx_colmap_spec_parse(struct cx_colmap_spec *s, const char *text, const char *file,
                         long line, struct cx_error *err);
/* Map file: one "canonical=raw" (or "canonical<TAB>raw") per line; blank
 * lines and lines starting with '#' are ignored. */
int cx_colmap_spec_load(struct cx_colmap_spec *s, const char *path, struct cx_error *err);

/* Columns the ingest computes itself and never takes from the raw file. */
int cx_colmap_is_derived(enum cx_kind kind, const char *canonical);

/* Map header names hdr[0..nh-1] (lengths hlen) of a raw file of `kind`
 * onto the `ncols` canonical columns `cols`: idx[c] receives the raw index
 * of column c or -1.  `required[c]` non-zero marks columns that must be
 * found.  Fatal header problems return CX_EDATA with err naming `file`
 * line 1: empty column name, duplicate column name, a --map naming an
 * unknown canonical column or a raw column the file lacks, two raw columns
 * matching one canonical column equally well, missing required columns
 * (listing them and what the file has). */
int cx_colmap_build(const struct cx_colmap_spec *spec, const struct cx_column *cols,
                    size_t ncols, const int *required, const char *const *hdr,
                    const size_t *hlen, size_t nh, int *idx, const char *file,
                    struct cx_error *err);

#endif
