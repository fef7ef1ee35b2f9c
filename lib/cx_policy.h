/* cx_policy — the contact-policy file of cx-plan (format in cx-policy(5)):
 * one [profile NAME] per jurisdiction (days and hours, holidays, caps,
 * call-attempt limits, consent, opt-out), [ladder TREATMENT] sections with
 * the ordered contact steps of each treatment, and the [promise] and
 * [offer] parameters.  Every number is a parameter; nothing is built in
 * except the default file embedded in the binary (cx_policy_default_text).
 *
 * Syntax: UTF-8 text, '#' starts a comment, blank lines ignored,
 * "[kind name]" opens a section, "key = value" sets a parameter.
 *
 * Ownership: cx_policy_parse/cx_policy_load return a policy owned by the
 * caller, released with cx_policy_free (accepts NULL).  Pointers into it
 * (profiles, ladders) are borrowed for its lifetime.  Nothing prints.
 */
#ifndef CX_POLICY_H
#define CX_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "cx_date.h"
#include "cx_err.h"

/* Channels, in the order of cx_channel_names (cx_schema.h). */
enum { CX_CH_SMS, CX_CH_WHATSAPP, CX_CH_EMAIL, CX_CH_CALL, CX_CH_IVR, CX_CH_LETTER,
       CX_CH_VISIT, CX_CH_PORTAL, CX_CH_N };
#define CX_CH_ALL ((1u << CX_CH_N) - 1)

/* Day types: 0..6 = Monday..Sunday, 7 = public holiday. */
#define CX_DAYTYPE_HOLIDAY 7
#define CX_DAYTYPES 8

#define CX_POLICY_MAX_PROFILES 32
#define CX_POLICY_MAX_LADDERS 32
#define CX_POLICY_MAX_STEPS 12
#define CX_POLICY_MAX_EXTRA 64
#define CX_POLICY_MAX_CURRENCIES 16
#define CX_POLICY_MAX_BANDS 8

struct cx_window {
	int16_t start, end;   /* minutes after local midnight, [start, end); start < 0 = closed */
};

struct cx_profile {
	char name[32];
	char countries[16][3];   /* ISO alpha-2 codes served by this profile */
	int ncountries;
	int is_default;          /* used for countries no profile names */
	char timezone[64];       /* used when an account has no timezone */
	struct cx_window hours[CX_DAYTYPES];
	char holidays[3];        /* calendar of cx_holiday ("CO"), "" = none */
	cx_day extra[CX_POLICY_MAX_EXTRA];   /* additional holidays */
	int nextra;
	unsigned channels;          /* channels allowed at all (bit per CX_CH_*) */
	unsigned consent_required;  /* channels usable only when in `consents` */
	int max_per_day;            /* outbound contacts per customer per local day; 0 = no cap */
	int max_per_week;           /* per customer per week; 0 = no cap */
	int week_calendar;          /* 1 = Monday..Sunday week; 0 = rolling 7 days */
	int channels_per_week_after_contact;  /* 0 = no limit */
	int call_attempts_max;      /* per debt in the window; 0 = no limit */
	int call_attempts_window_days;
	int call_after_conversation_days;     /* 0 = no cool-down */
	int opt_out_all;            /* an opt-out on one channel stops every channel */
	int min_gap_days;           /* days between two outbound contacts (0 = none) */
	long line;                  /* where the section starts */
};

struct cx_ladder_step {
	int channel;           /* CX_CH_* */
	int wait_days;         /* days without response after the previous step */
	char template_id[32];
	char queue[32];
};

enum { CX_OFFER_NONE, CX_OFFER_PLAN, CX_OFFER_SETTLEMENT };

struct cx_ladder {
	char name[32];          /* treatment name from cx-segment */
	struct cx_ladder_step steps[CX_POLICY_MAX_STEPS];
	int nsteps;
	int offer;              /* CX_OFFER_* */
	int contact;            /* 0: treatment means no collection contact */
	int reset_days;         /* contacts older than this restart the ladder */
	long line;
};

struct cx_policy_money {
	char currency[4];
	int64_t minor;
};

struct cx_policy {
	/* [promise] */
	int promise_tolerance_bp;    /* kept when paid >= amount * (1 - bp/10000) */
	int promise_grace_days;
	int promise_courtesy_days;   /* courtesy reminder this many days before; 0 = none */
	int promise_lookback_days;   /* promises made longer ago are ignored */
	/* [offer] */
	int plan_min_instalments, plan_max_instalments;
	int plan_first_due_days;     /* first instalment this many days after --as-of,
	                                moved to the next business day */
	int plan_history_days;       /* payment history used to estimate capacity */
	struct cx_policy_money plan_min_instalment[CX_POLICY_MAX_CURRENCIES];
	int nplan_min;
	int settlement_max_discount_bp;
	int settlement_bands;        /* rows of the DPD -> discount table */
	int settlement_dpd[CX_POLICY_MAX_BANDS];
	int settlement_bp[CX_POLICY_MAX_BANDS];
	int settlement_valid_days;
	/* sections */
	struct cx_profile profiles[CX_POLICY_MAX_PROFILES];
	int nprofiles;
	struct cx_ladder ladders[CX_POLICY_MAX_LADDERS];
	int nladders;
};

/* Parse policy text (need not be NUL-terminated).  `fname` names it in
 * errors ("file:line: message").  Returns 0 or a negative CX_E* code. */
int cx_policy_parse(const char *text, size_t n, const char *fname,
                    struct cx_policy **out, struct cx_error *err);
/* Read and parse a file; NULL path = the embedded default policy. */
int cx_policy_load(const char *path, struct cx_policy **out, struct cx_error *err);
void cx_policy_free(struct cx_policy *p);

/* Profile serving `country` (exact match, else the default profile, else
 * NULL). */
const struct cx_profile *cx_policy_profile(const struct cx_policy *p, const char *country,
                                           size_t n);
const struct cx_ladder *cx_policy_ladder(const struct cx_policy *p, const char *treatment,
                                         size_t n);
/* Whether `day` is a holiday under the profile (calendar + extra days). */
int cx_profile_is_holiday(const struct cx_profile *pr, cx_day day);
/* Day type (0..7) of a local day under the profile. */
int cx_profile_daytype(const struct cx_profile *pr, cx_day day);
/* Minimum instalment for a currency (0 when not configured). */
int64_t cx_policy_min_instalment(const struct cx_policy *p, const char *currency);
/* Settlement discount in basis points for a DPD (0 = no settlement). */
int cx_policy_settlement_bp(const struct cx_policy *p, int dpd);

/* Channel name <-> index (cx_channel_names order); -1 when unknown. */
int cx_channel_index(const char *s, size_t n);
const char *cx_channel_name(int ch);

/* The line syntax shared by the policy and capacity files.  One call
 * reads one meaningful line: a section header (kind and name set, key
 * empty) or "key = value" (trimmed; value may be empty).  Returns 1, 0 at
 * the end, or -1 with *why set to a static reason (line in *line). */
struct cx_conf_item {
	char kind[32], name[64];   /* section: "[kind name]" */
	char key[64];
	char value[512];
	int is_section;
};
int cx_conf_next(const char **pos, const char *end, long *line, struct cx_conf_item *it,
                 const char **why);
/* Split a value on blanks/commas: up to max tokens (copied, NUL-ended). */
int cx_conf_tokens(const char *value, char tok[][64], int max);

/* The shipped files, embedded by scripts/embed-defaults.sh into
 * lib/cx_policy_default.c (committed, generated) as NULL-terminated arrays
 * of lines (each with its LF).  cx_default_join concatenates them into a
 * new buffer (cx_free) and sets *len; NULL when out of memory. */
extern const char *const cx_policy_default_lines[];
extern const char *const cx_capacity_default_lines[];
char *cx_default_join(const char *const *lines, size_t *len);

#endif
