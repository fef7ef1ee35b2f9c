/* cx_norm — see cx_norm.h. */
#include "cx_norm.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cx_schema.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- small helpers ---------------------------------------------------- */

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

/* Length of a white-space character at p: ASCII space/tab/CR/LF, U+00A0,
 * U+202F, U+2009; 0 otherwise. */
static size_t ws_len(const unsigned char *p, const unsigned char *e)
{
	if (p >= e)
		return 0;
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if (e - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (e - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89))
		return 3;
	return 0;
}

/* Trim white space (as ws_len) at both ends of [*pp, *pe). */
static void trim(const unsigned char **pp, const unsigned char **pe)
{
	const unsigned char *p = *pp, *e = *pe;
	size_t l;

	/* the usual case: printable ASCII at both ends, nothing to trim */
	if (p < e && p[0] > 0x20 && p[0] < 0x80 && e[-1] > 0x20 && e[-1] < 0x80)
		return;
	while ((l = ws_len(p, e)) > 0)
		p += l;
	for (;;) {
		if (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - p >= 2 && e[-2] == 0xC2 && e[-1] == 0xA0)
			e -= 2;
		else if (e - p >= 3 && e[-3] == 0xE2 && e[-2] == 0x80 && (e[-1] == 0xAF || e[-1] == 0x89))
			e -= 3;
		else
			break;
	}
	*pp = p;
	*pe = e;
}

static int set_out(char *out, size_t outsz, const char *s, size_t n, const char **why)
{
	if (outsz == 0 || n >= outsz) {
		*why = "value too long for the output buffer";
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	memmove(out, s, n);     /* out may be the input buffer (in place) */
	out[n] = '\0';
	return (int)n;
}

static int empty_out(char *out, size_t outsz)
{
	if (outsz > 0)
		out[0] = '\0';
	return 0;
}

/* Matching key of a word or phrase: ASCII letters lower-cased, Latin-1
 * accented letters (UTF-8 C3 xx) folded to their base letter, every other
 * ASCII byte that is not a letter or digit dropped ("EE. UU." -> "eeuu",
 * "Jurídico" -> "juridico", "mensaje de texto" -> "mensajedetexto").
 * Returns the key length, or -1 when the key does not fit or holds other
 * non-ASCII characters (such a word matches nothing). */
static int fold_key(const char *s, size_t n, char *key, size_t keysz)
{
	/* base letters for U+00C0..U+00FF, '\0' = no letter */
	static const char latin1[64] =
		"aaaaaaaceeeeiiii"  /* C0-CF (C6 AE -> a) */
		"\0nooooo\0ouuuuy\0s" /* D0-DF */
		"aaaaaaaceeeeiiii"  /* E0-EF */
		"\0nooooo\0ouuuuy\0y"; /* F0-FF */
	size_t k = 0;
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	while (p < e) {
		unsigned char c = *p;
		char out;
		if (c < 0x80) {
			p++;
			if (is_upper(c))
				out = (char)(c - 'A' + 'a');
			else if (is_lower(c) || is_digit(c))
				out = (char)c;
			else
				continue;
		} else if (c == 0xC3 && e - p >= 2 && p[1] >= 0x80 && p[1] <= 0xBF) {
			out = latin1[p[1] - 0x80];
			p += 2;
			if (out == '\0')
				return -1;
		} else if (c == 0xC2 && e - p >= 2 && p[1] == 0xA0) {
			p += 2;     /* NBSP */
			continue;
		} else {
			return -1;
		}
		if (k + 1 >= keysz)
			return -1;
		key[k++] = out;
	}
	key[k] = '\0';
	return (int)k;
}

static int looks_scientific(const unsigned char *p, const unsigned char *e);

struct alias {
	const char *key;    /* folded */
	const char *value;
};

static int alias_cmp(const void *a, const void *b)
{
	return strcmp(((const struct alias *)a)->key, ((const struct alias *)b)->key);
}

/* Binary search in a table sorted by key. */
static const char *alias_find(const struct alias *tab, size_t n, const char *key)
{
	struct alias k = {key, NULL};
	const struct alias *r = bsearch(&k, tab, n, sizeof *tab, alias_cmp);
	return r ? r->value : NULL;
}

/* Linear search for small unsorted tables. */
static const char *alias_scan(const struct alias *tab, size_t n, const char *key)
{
	/* first-byte check before strcmp: most entries differ there */
	for (size_t i = 0; i < n; i++)
		if (tab[i].key[0] == key[0] && strcmp(tab[i].key, key) == 0)
			return tab[i].value;
	return NULL;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- countries --------------------------------------------------------- */

/* ISO 3166-1 alpha-2 and alpha-3 codes and English names (short, common
 * and official, generated from Debian's iso-codes data), plus Spanish
 * names and usual aliases; keys folded as fold_key, sorted. */
static const struct alias countries[] = {
	{"abw", "AW"}, {"ad", "AD"}, {"ae", "AE"}, {"af", "AF"}, {"afg", "AF"},
	{"afghanistan", "AF"}, {"ag", "AG"}, {"ago", "AO"}, {"ai", "AI"}, {"aia", "AI"},
	{"al", "AL"}, {"ala", "AX"}, {"alandislands", "AX"}, {"alb", "AL"}, {"albania", "AL"},
	{"alemania", "DE"}, {"algeria", "DZ"}, {"am", "AM"}, {"americansamoa", "AS"},
	{"and", "AD"}, {"andorra", "AD"}, {"angola", "AO"}, {"anguilla", "AI"},
	{"antarctica", "AQ"}, {"antiguaandbarbuda", "AG"}, {"ao", "AO"}, {"aq", "AQ"},
	{"ar", "AR"}, {"arabiasaudita", "SA"}, {"arabrepublicofegypt", "EG"}, {"are", "AE"},
	{"arg", "AR"}, {"argelia", "DZ"}, {"argentina", "AR"}, {"argentinerepublic", "AR"},
	{"arm", "AM"}, {"armenia", "AM"}, {"aruba", "AW"}, {"as", "AS"}, {"asm", "AS"},
	{"at", "AT"}, {"ata", "AQ"}, {"atf", "TF"}, {"atg", "AG"}, {"au", "AU"},
	{"aus", "AU"}, {"australia", "AU"}, {"austria", "AT"}, {"aut", "AT"}, {"aw", "AW"},
	{"ax", "AX"}, {"az", "AZ"}, {"aze", "AZ"}, {"azerbaijan", "AZ"}, {"ba", "BA"},
	{"bahamas", "BS"}, {"bahrain", "BH"}, {"bangladesh", "BD"}, {"barbados", "BB"},
	{"bb", "BB"}, {"bd", "BD"}, {"bdi", "BI"}, {"be", "BE"}, {"bel", "BE"},
	{"belarus", "BY"}, {"belgica", "BE"}, {"belgium", "BE"}, {"belice", "BZ"},
	{"belize", "BZ"}, {"ben", "BJ"}, {"benin", "BJ"}, {"bermuda", "BM"}, {"bes", "BQ"},
	{"bf", "BF"}, {"bfa", "BF"}, {"bg", "BG"}, {"bgd", "BD"}, {"bgr", "BG"},
	{"bh", "BH"}, {"bhr", "BH"}, {"bhs", "BS"}, {"bhutan", "BT"}, {"bi", "BI"},
	{"bih", "BA"}, {"bj", "BJ"}, {"bl", "BL"}, {"blm", "BL"}, {"blr", "BY"},
	{"blz", "BZ"}, {"bm", "BM"}, {"bmu", "BM"}, {"bn", "BN"}, {"bo", "BO"},
	{"bol", "BO"}, {"bolivarianrepublicofvenezuela", "VE"}, {"bolivia", "BO"},
	{"boliviaplurinationalstateof", "BO"}, {"bonairesinteustatiusandsaba", "BQ"},
	{"bosniaandherzegovina", "BA"}, {"botswana", "BW"}, {"bouvetisland", "BV"},
	{"bq", "BQ"}, {"br", "BR"}, {"bra", "BR"}, {"brasil", "BR"}, {"brazil", "BR"},
	{"brb", "BB"}, {"britishindianoceanterritory", "IO"}, {"britishvirginislands", "VG"},
	{"brn", "BN"}, {"bruneidarussalam", "BN"}, {"bs", "BS"}, {"bt", "BT"},
	{"btn", "BT"}, {"bulgaria", "BG"}, {"burkinafaso", "BF"}, {"burundi", "BI"},
	{"bv", "BV"}, {"bvt", "BV"}, {"bw", "BW"}, {"bwa", "BW"}, {"by", "BY"},
	{"bz", "BZ"}, {"ca", "CA"}, {"caboverde", "CV"}, {"caf", "CF"}, {"cambodia", "KH"},
	{"cameroon", "CM"}, {"can", "CA"}, {"canada", "CA"}, {"caymanislands", "KY"},
	{"cc", "CC"}, {"cck", "CC"}, {"cd", "CD"}, {"centralafricanrepublic", "CF"},
	{"cf", "CF"}, {"cg", "CG"}, {"ch", "CH"}, {"chad", "TD"}, {"che", "CH"},
	{"chequia", "CZ"}, {"chile", "CL"}, {"china", "CN"}, {"chl", "CL"}, {"chn", "CN"},
	{"christmasisland", "CX"}, {"ci", "CI"}, {"civ", "CI"}, {"ck", "CK"}, {"cl", "CL"},
	{"cm", "CM"}, {"cmr", "CM"}, {"cn", "CN"}, {"co", "CO"}, {"cocoskeelingislands", "CC"},
	{"cod", "CD"}, {"cog", "CG"}, {"cok", "CK"}, {"col", "CO"}, {"colombia", "CO"},
	{"com", "KM"}, {"commonwealthofdominica", "DM"}, {"commonwealthofthebahamas", "BS"},
	{"commonwealthofthenorthernmarianaislands", "MP"}, {"comoros", "KM"}, {"congo", "CG"},
	{"congothedemocraticrepublicofthe", "CD"}, {"cookislands", "CK"}, {"corea", "KR"},
	{"coreadelsur", "KR"}, {"costarica", "CR"}, {"cotedivoire", "CI"}, {"cpv", "CV"},
	{"cr", "CR"}, {"cri", "CR"}, {"croacia", "HR"}, {"croatia", "HR"}, {"cu", "CU"},
	{"cub", "CU"}, {"cuba", "CU"}, {"curacao", "CW"}, {"cuw", "CW"}, {"cv", "CV"},
	{"cw", "CW"}, {"cx", "CX"}, {"cxr", "CX"}, {"cy", "CY"}, {"cym", "KY"},
	{"cyp", "CY"}, {"cyprus", "CY"}, {"cz", "CZ"}, {"cze", "CZ"}, {"czechia", "CZ"},
	{"czechrepublic", "CZ"}, {"de", "DE"}, {"democraticpeoplesrepublicofkorea", "KP"},
	{"democraticrepublicofsaotomeandprincipe", "ST"}, {"democraticrepublicoftimorleste", "TL"},
	{"democraticsocialistrepublicofsrilanka", "LK"}, {"denmark", "DK"}, {"deu", "DE"},
	{"dinamarca", "DK"}, {"dj", "DJ"}, {"dji", "DJ"}, {"djibouti", "DJ"}, {"dk", "DK"},
	{"dm", "DM"}, {"dma", "DM"}, {"dnk", "DK"}, {"do", "DO"}, {"dom", "DO"},
	{"dominica", "DM"}, {"dominicana", "DO"}, {"dominicanrepublic", "DO"},
	{"dz", "DZ"}, {"dza", "DZ"}, {"easternrepublicofuruguay", "UY"}, {"ec", "EC"},
	{"ecu", "EC"}, {"ecuador", "EC"}, {"ee", "EE"}, {"eeuu", "US"}, {"eg", "EG"},
	{"egipto", "EG"}, {"egy", "EG"}, {"egypt", "EG"}, {"eh", "EH"}, {"elsalvador", "SV"},
	{"emiratosarabesunidos", "AE"}, {"equatorialguinea", "GQ"}, {"er", "ER"},
	{"eri", "ER"}, {"eritrea", "ER"}, {"es", "ES"}, {"esh", "EH"}, {"esp", "ES"},
	{"espana", "ES"}, {"est", "EE"}, {"estadosunidos", "US"}, {"estadosunidosdeamerica", "US"},
	{"estonia", "EE"}, {"eswatini", "SZ"}, {"et", "ET"}, {"eth", "ET"}, {"ethiopia", "ET"},
	{"eua", "US"}, {"falklandislandsmalvinas", "FK"}, {"faroeislands", "FO"},
	{"federaldemocraticrepublicofethiopia", "ET"}, {"federaldemocraticrepublicofnepal", "NP"},
	{"federalrepublicofgermany", "DE"}, {"federalrepublicofnigeria", "NG"},
	{"federalrepublicofsomalia", "SO"}, {"federatedstatesofmicronesia", "FM"},
	{"federativerepublicofbrazil", "BR"}, {"fi", "FI"}, {"fiji", "FJ"}, {"filipinas", "PH"},
	{"fin", "FI"}, {"finland", "FI"}, {"finlandia", "FI"}, {"fj", "FJ"}, {"fji", "FJ"},
	{"fk", "FK"}, {"flk", "FK"}, {"fm", "FM"}, {"fo", "FO"}, {"fr", "FR"},
	{"fra", "FR"}, {"france", "FR"}, {"francia", "FR"}, {"frenchguiana", "GF"},
	{"frenchpolynesia", "PF"}, {"frenchrepublic", "FR"}, {"frenchsouthernterritories", "TF"},
	{"fro", "FO"}, {"fsm", "FM"}, {"ga", "GA"}, {"gab", "GA"}, {"gabon", "GA"},
	{"gaboneserepublic", "GA"}, {"gambia", "GM"}, {"gb", "GB"}, {"gbr", "GB"},
	{"gd", "GD"}, {"ge", "GE"}, {"geo", "GE"}, {"georgia", "GE"}, {"germany", "DE"},
	{"gf", "GF"}, {"gg", "GG"}, {"ggy", "GG"}, {"gh", "GH"}, {"gha", "GH"},
	{"ghana", "GH"}, {"gi", "GI"}, {"gib", "GI"}, {"gibraltar", "GI"}, {"gin", "GN"},
	{"gl", "GL"}, {"glp", "GP"}, {"gm", "GM"}, {"gmb", "GM"}, {"gn", "GN"},
	{"gnb", "GW"}, {"gnq", "GQ"}, {"gp", "GP"}, {"gq", "GQ"}, {"gr", "GR"},
	{"granbretana", "GB"}, {"grandduchyofluxembourg", "LU"}, {"grc", "GR"},
	{"grd", "GD"}, {"grecia", "GR"}, {"greece", "GR"}, {"greenland", "GL"},
	{"grenada", "GD"}, {"grl", "GL"}, {"gs", "GS"}, {"gt", "GT"}, {"gtm", "GT"},
	{"gu", "GU"}, {"guadeloupe", "GP"}, {"guam", "GU"}, {"guatemala", "GT"},
	{"guernsey", "GG"}, {"guf", "GF"}, {"guinea", "GN"}, {"guineabissau", "GW"},
	{"gum", "GU"}, {"guy", "GY"}, {"guyana", "GY"}, {"gw", "GW"}, {"gy", "GY"},
	{"haiti", "HT"}, {"hashemitekingdomofjordan", "JO"}, {"heardislandandmcdonaldislands", "HM"},
	{"hellenicrepublic", "GR"}, {"hk", "HK"}, {"hkg", "HK"}, {"hm", "HM"},
	{"hmd", "HM"}, {"hn", "HN"}, {"hnd", "HN"}, {"holanda", "NL"}, {"holyseevaticancitystate", "VA"},
	{"honduras", "HN"}, {"hongkong", "HK"}, {"hongkongspecialadministrativeregionofchina", "HK"},
	{"hr", "HR"}, {"hrv", "HR"}, {"ht", "HT"}, {"hti", "HT"}, {"hu", "HU"},
	{"hun", "HU"}, {"hungary", "HU"}, {"hungria", "HU"}, {"iceland", "IS"},
	{"id", "ID"}, {"idn", "ID"}, {"ie", "IE"}, {"il", "IL"}, {"im", "IM"},
	{"imn", "IM"}, {"in", "IN"}, {"ind", "IN"}, {"independentstateofpapuanewguinea", "PG"},
	{"independentstateofsamoa", "WS"}, {"india", "IN"}, {"indonesia", "ID"},
	{"inglaterra", "GB"}, {"io", "IO"}, {"iot", "IO"}, {"iq", "IQ"}, {"ir", "IR"},
	{"iran", "IR"}, {"iranislamicrepublicof", "IR"}, {"iraq", "IQ"}, {"ireland", "IE"},
	{"irl", "IE"}, {"irlanda", "IE"}, {"irn", "IR"}, {"irq", "IQ"}, {"is", "IS"},
	{"isl", "IS"}, {"islamicrepublicofafghanistan", "AF"}, {"islamicrepublicofiran", "IR"},
	{"islamicrepublicofmauritania", "MR"}, {"islamicrepublicofpakistan", "PK"},
	{"isleofman", "IM"}, {"isr", "IL"}, {"israel", "IL"}, {"it", "IT"}, {"ita", "IT"},
	{"italia", "IT"}, {"italianrepublic", "IT"}, {"italy", "IT"}, {"jam", "JM"},
	{"jamaica", "JM"}, {"japan", "JP"}, {"japon", "JP"}, {"je", "JE"}, {"jersey", "JE"},
	{"jey", "JE"}, {"jm", "JM"}, {"jo", "JO"}, {"jor", "JO"}, {"jordan", "JO"},
	{"jordania", "JO"}, {"jp", "JP"}, {"jpn", "JP"}, {"kaz", "KZ"}, {"kazakhstan", "KZ"},
	{"ke", "KE"}, {"ken", "KE"}, {"kenia", "KE"}, {"kenya", "KE"}, {"kg", "KG"},
	{"kgz", "KG"}, {"kh", "KH"}, {"khm", "KH"}, {"ki", "KI"}, {"kingdomofbahrain", "BH"},
	{"kingdomofbelgium", "BE"}, {"kingdomofbhutan", "BT"}, {"kingdomofcambodia", "KH"},
	{"kingdomofdenmark", "DK"}, {"kingdomofeswatini", "SZ"}, {"kingdomoflesotho", "LS"},
	{"kingdomofmorocco", "MA"}, {"kingdomofnorway", "NO"}, {"kingdomofsaudiarabia", "SA"},
	{"kingdomofspain", "ES"}, {"kingdomofsweden", "SE"}, {"kingdomofthailand", "TH"},
	{"kingdomofthenetherlands", "NL"}, {"kingdomoftonga", "TO"}, {"kir", "KI"},
	{"kiribati", "KI"}, {"km", "KM"}, {"kn", "KN"}, {"kna", "KN"}, {"kor", "KR"},
	{"koreademocraticpeoplesrepublicof", "KP"}, {"korearepublicof", "KR"},
	{"kp", "KP"}, {"kr", "KR"}, {"kuwait", "KW"}, {"kw", "KW"}, {"kwt", "KW"},
	{"ky", "KY"}, {"kyrgyzrepublic", "KG"}, {"kyrgyzstan", "KG"}, {"kz", "KZ"},
	{"la", "LA"}, {"lao", "LA"}, {"laopeoplesdemocraticrepublic", "LA"}, {"laos", "LA"},
	{"latvia", "LV"}, {"lb", "LB"}, {"lbn", "LB"}, {"lbr", "LR"}, {"lby", "LY"},
	{"lc", "LC"}, {"lca", "LC"}, {"lebaneserepublic", "LB"}, {"lebanon", "LB"},
	{"lesotho", "LS"}, {"li", "LI"}, {"libano", "LB"}, {"liberia", "LR"}, {"libya", "LY"},
	{"lie", "LI"}, {"liechtenstein", "LI"}, {"lithuania", "LT"}, {"lk", "LK"},
	{"lka", "LK"}, {"lr", "LR"}, {"ls", "LS"}, {"lso", "LS"}, {"lt", "LT"},
	{"ltu", "LT"}, {"lu", "LU"}, {"lux", "LU"}, {"luxembourg", "LU"}, {"lv", "LV"},
	{"lva", "LV"}, {"ly", "LY"}, {"ma", "MA"}, {"mac", "MO"}, {"macao", "MO"},
	{"macaospecialadministrativeregionofchina", "MO"}, {"madagascar", "MG"},
	{"maf", "MF"}, {"malawi", "MW"}, {"malaysia", "MY"}, {"maldives", "MV"},
	{"mali", "ML"}, {"malta", "MT"}, {"mar", "MA"}, {"marruecos", "MA"}, {"marshallislands", "MH"},
	{"martinique", "MQ"}, {"mauritania", "MR"}, {"mauritius", "MU"}, {"mayotte", "YT"},
	{"mc", "MC"}, {"mco", "MC"}, {"md", "MD"}, {"mda", "MD"}, {"mdg", "MG"},
	{"mdv", "MV"}, {"me", "ME"}, {"mejico", "MX"}, {"mex", "MX"}, {"mexicanstates", "MX"},
	{"mexico", "MX"}, {"mf", "MF"}, {"mg", "MG"}, {"mh", "MH"}, {"mhl", "MH"},
	{"micronesiafederatedstatesof", "FM"}, {"mk", "MK"}, {"mkd", "MK"}, {"ml", "ML"},
	{"mli", "ML"}, {"mlt", "MT"}, {"mm", "MM"}, {"mmr", "MM"}, {"mn", "MN"},
	{"mne", "ME"}, {"mng", "MN"}, {"mnp", "MP"}, {"mo", "MO"}, {"moldova", "MD"},
	{"moldovarepublicof", "MD"}, {"monaco", "MC"}, {"mongolia", "MN"}, {"montenegro", "ME"},
	{"montserrat", "MS"}, {"morocco", "MA"}, {"moz", "MZ"}, {"mozambique", "MZ"},
	{"mp", "MP"}, {"mq", "MQ"}, {"mr", "MR"}, {"mrt", "MR"}, {"ms", "MS"},
	{"msr", "MS"}, {"mt", "MT"}, {"mtq", "MQ"}, {"mu", "MU"}, {"mus", "MU"},
	{"mv", "MV"}, {"mw", "MW"}, {"mwi", "MW"}, {"mx", "MX"}, {"my", "MY"},
	{"myanmar", "MM"}, {"mys", "MY"}, {"myt", "YT"}, {"mz", "MZ"}, {"na", "NA"},
	{"nam", "NA"}, {"namibia", "NA"}, {"nauru", "NR"}, {"nc", "NC"}, {"ncl", "NC"},
	{"ne", "NE"}, {"nepal", "NP"}, {"ner", "NE"}, {"netherlands", "NL"}, {"newcaledonia", "NC"},
	{"newzealand", "NZ"}, {"nf", "NF"}, {"nfk", "NF"}, {"ng", "NG"}, {"nga", "NG"},
	{"ni", "NI"}, {"nic", "NI"}, {"nicaragua", "NI"}, {"niger", "NE"}, {"nigeria", "NG"},
	{"niu", "NU"}, {"niue", "NU"}, {"nl", "NL"}, {"nld", "NL"}, {"no", "NO"},
	{"nor", "NO"}, {"norfolkisland", "NF"}, {"northernmarianaislands", "MP"},
	{"northkorea", "KP"}, {"northmacedonia", "MK"}, {"noruega", "NO"}, {"norway", "NO"},
	{"np", "NP"}, {"npl", "NP"}, {"nr", "NR"}, {"nru", "NR"}, {"nu", "NU"},
	{"nuevazelanda", "NZ"}, {"nz", "NZ"}, {"nzl", "NZ"}, {"om", "OM"}, {"oman", "OM"},
	{"omn", "OM"}, {"pa", "PA"}, {"paisesbajos", "NL"}, {"pak", "PK"}, {"pakistan", "PK"},
	{"palau", "PW"}, {"palestinestateof", "PS"}, {"pan", "PA"}, {"panama", "PA"},
	{"papuanewguinea", "PG"}, {"paraguay", "PY"}, {"pcn", "PN"}, {"pe", "PE"},
	{"peoplesdemocraticrepublicofalgeria", "DZ"}, {"peoplesrepublicofbangladesh", "BD"},
	{"peoplesrepublicofchina", "CN"}, {"per", "PE"}, {"peru", "PE"}, {"pf", "PF"},
	{"pg", "PG"}, {"ph", "PH"}, {"philippines", "PH"}, {"phl", "PH"}, {"pitcairn", "PN"},
	{"pk", "PK"}, {"pl", "PL"}, {"plurinationalstateofbolivia", "BO"}, {"plw", "PW"},
	{"pm", "PM"}, {"pn", "PN"}, {"png", "PG"}, {"pol", "PL"}, {"poland", "PL"},
	{"polonia", "PL"}, {"portugal", "PT"}, {"portugueserepublic", "PT"}, {"pr", "PR"},
	{"pri", "PR"}, {"principalityofandorra", "AD"}, {"principalityofliechtenstein", "LI"},
	{"principalityofmonaco", "MC"}, {"prk", "KP"}, {"prt", "PT"}, {"pry", "PY"},
	{"ps", "PS"}, {"pse", "PS"}, {"pt", "PT"}, {"puertorico", "PR"}, {"pw", "PW"},
	{"py", "PY"}, {"pyf", "PF"}, {"qa", "QA"}, {"qat", "QA"}, {"qatar", "QA"},
	{"re", "RE"}, {"reinounido", "GB"}, {"republicacheca", "CZ"}, {"republicadominicana", "DO"},
	{"republicofalbania", "AL"}, {"republicofangola", "AO"}, {"republicofarmenia", "AM"},
	{"republicofaustria", "AT"}, {"republicofazerbaijan", "AZ"}, {"republicofbelarus", "BY"},
	{"republicofbenin", "BJ"}, {"republicofbosniaandherzegovina", "BA"}, {"republicofbotswana", "BW"},
	{"republicofbulgaria", "BG"}, {"republicofburundi", "BI"}, {"republicofcaboverde", "CV"},
	{"republicofcameroon", "CM"}, {"republicofchad", "TD"}, {"republicofchile", "CL"},
	{"republicofcolombia", "CO"}, {"republicofcostarica", "CR"}, {"republicofcotedivoire", "CI"},
	{"republicofcroatia", "HR"}, {"republicofcuba", "CU"}, {"republicofcyprus", "CY"},
	{"republicofdjibouti", "DJ"}, {"republicofecuador", "EC"}, {"republicofelsalvador", "SV"},
	{"republicofequatorialguinea", "GQ"}, {"republicofestonia", "EE"}, {"republicoffiji", "FJ"},
	{"republicoffinland", "FI"}, {"republicofghana", "GH"}, {"republicofguatemala", "GT"},
	{"republicofguinea", "GN"}, {"republicofguineabissau", "GW"}, {"republicofguyana", "GY"},
	{"republicofhaiti", "HT"}, {"republicofhonduras", "HN"}, {"republicoficeland", "IS"},
	{"republicofindia", "IN"}, {"republicofindonesia", "ID"}, {"republicofiraq", "IQ"},
	{"republicofkazakhstan", "KZ"}, {"republicofkenya", "KE"}, {"republicofkiribati", "KI"},
	{"republicoflatvia", "LV"}, {"republicofliberia", "LR"}, {"republicoflithuania", "LT"},
	{"republicofmadagascar", "MG"}, {"republicofmalawi", "MW"}, {"republicofmaldives", "MV"},
	{"republicofmali", "ML"}, {"republicofmalta", "MT"}, {"republicofmauritius", "MU"},
	{"republicofmoldova", "MD"}, {"republicofmozambique", "MZ"}, {"republicofmyanmar", "MM"},
	{"republicofnamibia", "NA"}, {"republicofnauru", "NR"}, {"republicofnicaragua", "NI"},
	{"republicofnorthmacedonia", "MK"}, {"republicofpalau", "PW"}, {"republicofpanama", "PA"},
	{"republicofparaguay", "PY"}, {"republicofperu", "PE"}, {"republicofpoland", "PL"},
	{"republicofsanmarino", "SM"}, {"republicofsenegal", "SN"}, {"republicofserbia", "RS"},
	{"republicofseychelles", "SC"}, {"republicofsierraleone", "SL"}, {"republicofsingapore", "SG"},
	{"republicofslovenia", "SI"}, {"republicofsouthafrica", "ZA"}, {"republicofsouthsudan", "SS"},
	{"republicofsuriname", "SR"}, {"republicoftajikistan", "TJ"}, {"republicofthecongo", "CG"},
	{"republicofthegambia", "GM"}, {"republicofthemarshallislands", "MH"},
	{"republicoftheniger", "NE"}, {"republicofthephilippines", "PH"}, {"republicofthesudan", "SD"},
	{"republicoftrinidadandtobago", "TT"}, {"republicoftunisia", "TN"}, {"republicofturkiye", "TR"},
	{"republicofuganda", "UG"}, {"republicofuzbekistan", "UZ"}, {"republicofvanuatu", "VU"},
	{"republicofyemen", "YE"}, {"republicofzambia", "ZM"}, {"republicofzimbabwe", "ZW"},
	{"reu", "RE"}, {"reunion", "RE"}, {"ro", "RO"}, {"romania", "RO"}, {"rou", "RO"},
	{"rs", "RS"}, {"ru", "RU"}, {"rumania", "RO"}, {"rus", "RU"}, {"rusia", "RU"},
	{"russia", "RU"}, {"russianfederation", "RU"}, {"rw", "RW"}, {"rwa", "RW"},
	{"rwanda", "RW"}, {"rwandeserepublic", "RW"}, {"sa", "SA"}, {"saintbarthelemy", "BL"},
	{"sainthelenaascensionandtristandacunha", "SH"}, {"saintkittsandnevis", "KN"},
	{"saintlucia", "LC"}, {"saintmartinfrenchpart", "MF"}, {"saintpierreandmiquelon", "PM"},
	{"saintvincentandthegrenadines", "VC"}, {"salvador", "SV"}, {"samoa", "WS"},
	{"sanmarino", "SM"}, {"saotomeandprincipe", "ST"}, {"sau", "SA"}, {"saudiarabia", "SA"},
	{"sb", "SB"}, {"sc", "SC"}, {"sd", "SD"}, {"sdn", "SD"}, {"se", "SE"},
	{"sen", "SN"}, {"senegal", "SN"}, {"serbia", "RS"}, {"seychelles", "SC"},
	{"sg", "SG"}, {"sgp", "SG"}, {"sgs", "GS"}, {"sh", "SH"}, {"shn", "SH"},
	{"si", "SI"}, {"sierraleone", "SL"}, {"singapore", "SG"}, {"sintmaartendutchpart", "SX"},
	{"siria", "SY"}, {"sj", "SJ"}, {"sjm", "SJ"}, {"sk", "SK"}, {"sl", "SL"},
	{"slb", "SB"}, {"sle", "SL"}, {"slovakia", "SK"}, {"slovakrepublic", "SK"},
	{"slovenia", "SI"}, {"slv", "SV"}, {"sm", "SM"}, {"smr", "SM"}, {"sn", "SN"},
	{"so", "SO"}, {"socialistrepublicofvietnam", "VN"}, {"solomonislands", "SB"},
	{"som", "SO"}, {"somalia", "SO"}, {"southafrica", "ZA"}, {"southgeorgiaandthesouthsandwichislands", "GS"},
	{"southkorea", "KR"}, {"southsudan", "SS"}, {"spain", "ES"}, {"spm", "PM"},
	{"sr", "SR"}, {"srb", "RS"}, {"srilanka", "LK"}, {"ss", "SS"}, {"ssd", "SS"},
	{"st", "ST"}, {"stateofisrael", "IL"}, {"stateofkuwait", "KW"}, {"stateofqatar", "QA"},
	{"stp", "ST"}, {"sudafrica", "ZA"}, {"sudan", "SD"}, {"suecia", "SE"},
	{"suiza", "CH"}, {"sultanateofoman", "OM"}, {"sur", "SR"}, {"surinam", "SR"},
	{"suriname", "SR"}, {"sv", "SV"}, {"svalbardandjanmayen", "SJ"}, {"svk", "SK"},
	{"svn", "SI"}, {"swe", "SE"}, {"sweden", "SE"}, {"swissconfederation", "CH"},
	{"switzerland", "CH"}, {"swz", "SZ"}, {"sx", "SX"}, {"sxm", "SX"}, {"sy", "SY"},
	{"syc", "SC"}, {"syr", "SY"}, {"syria", "SY"}, {"syrianarabrepublic", "SY"},
	{"sz", "SZ"}, {"taiwan", "TW"}, {"taiwanprovinceofchina", "TW"}, {"tajikistan", "TJ"},
	{"tanzania", "TZ"}, {"tanzaniaunitedrepublicof", "TZ"}, {"tc", "TC"}, {"tca", "TC"},
	{"tcd", "TD"}, {"td", "TD"}, {"tf", "TF"}, {"tg", "TG"}, {"tgo", "TG"},
	{"th", "TH"}, {"tha", "TH"}, {"thailand", "TH"}, {"thestateoferitrea", "ER"},
	{"thestateofpalestine", "PS"}, {"timorleste", "TL"}, {"tj", "TJ"}, {"tjk", "TJ"},
	{"tk", "TK"}, {"tkl", "TK"}, {"tkm", "TM"}, {"tl", "TL"}, {"tls", "TL"},
	{"tm", "TM"}, {"tn", "TN"}, {"to", "TO"}, {"togo", "TG"}, {"togoleserepublic", "TG"},
	{"tokelau", "TK"}, {"ton", "TO"}, {"tonga", "TO"}, {"tr", "TR"}, {"trinidadandtobago", "TT"},
	{"trinidadytobago", "TT"}, {"tt", "TT"}, {"tto", "TT"}, {"tun", "TN"},
	{"tunez", "TN"}, {"tunisia", "TN"}, {"tur", "TR"}, {"turkiye", "TR"}, {"turkmenistan", "TM"},
	{"turksandcaicosislands", "TC"}, {"turquia", "TR"}, {"tuv", "TV"}, {"tuvalu", "TV"},
	{"tv", "TV"}, {"tw", "TW"}, {"twn", "TW"}, {"tz", "TZ"}, {"tza", "TZ"},
	{"ua", "UA"}, {"ucrania", "UA"}, {"ug", "UG"}, {"uga", "UG"}, {"uganda", "UG"},
	{"uk", "GB"}, {"ukr", "UA"}, {"ukraine", "UA"}, {"um", "UM"}, {"umi", "UM"},
	{"unionofthecomoros", "KM"}, {"unitedarabemirates", "AE"}, {"unitedkingdom", "GB"},
	{"unitedkingdomofgreatbritainandnorthernireland", "GB"}, {"unitedmexicanstates", "MX"},
	{"unitedrepublicoftanzania", "TZ"}, {"unitedstates", "US"}, {"unitedstatesminoroutlyingislands", "UM"},
	{"unitedstatesofamerica", "US"}, {"uruguay", "UY"}, {"ury", "UY"}, {"us", "US"},
	{"usa", "US"}, {"uy", "UY"}, {"uz", "UZ"}, {"uzb", "UZ"}, {"uzbekistan", "UZ"},
	{"va", "VA"}, {"vanuatu", "VU"}, {"vat", "VA"}, {"vc", "VC"}, {"vct", "VC"},
	{"ve", "VE"}, {"ven", "VE"}, {"venezuela", "VE"}, {"venezuelabolivarianrepublicof", "VE"},
	{"vg", "VG"}, {"vgb", "VG"}, {"vi", "VI"}, {"vietnam", "VN"}, {"vir", "VI"},
	{"virginislandsbritish", "VG"}, {"virginislandsoftheunitedstates", "VI"},
	{"virginislandsus", "VI"}, {"vn", "VN"}, {"vnm", "VN"}, {"vu", "VU"}, {"vut", "VU"},
	{"wallisandfutuna", "WF"}, {"westernsahara", "EH"}, {"wf", "WF"}, {"wlf", "WF"},
	{"ws", "WS"}, {"wsm", "WS"}, {"ye", "YE"}, {"yem", "YE"}, {"yemen", "YE"},
	{"yt", "YT"}, {"za", "ZA"}, {"zaf", "ZA"}, {"zambia", "ZM"}, {"zimbabwe", "ZW"},
	{"zm", "ZM"}, {"zmb", "ZM"}, {"zw", "ZW"}, {"zwe", "ZW"},
};

const char *cx_norm_country(const char *s, size_t n)
{
	char key[64];

	if (s == NULL || fold_key(s, n, key, sizeof key) <= 0)
		return NULL;
	return alias_find(countries, NELEM(countries), key);
}

/* ---- languages --------------------------------------------------------- */

static const struct alias languages[] = {
	{"es", "es"}, {"spa", "es"}, {"esp", "es"}, {"espanol", "es"}, {"spanish", "es"},
	{"castellano", "es"}, {"castilian", "es"}, {"espanhol", "es"},
	{"en", "en"}, {"eng", "en"}, {"ing", "en"}, {"ingles", "en"}, {"english", "en"},
	{"ingl", "en"}, {"englis", "en"},
	{"pt", "pt"}, {"por", "pt"}, {"portugues", "pt"}, {"portuguese", "pt"},
	{"portuguesbrasil", "pt"}, {"brazilianportuguese", "pt"},
};

const char *cx_norm_language(const char *s, size_t n)
{
	char key[64];
	const unsigned char *p = (const unsigned char *)s, *e;

	if (s == NULL)
		return NULL;
	e = p + n;
	trim(&p, &e);
	/* "es-CO", "pt_BR", "en-US": the language part */
	if (e - p >= 4 && e - p <= 6 && (p[2] == '-' || p[2] == '_') &&
	    (is_lower(p[0]) || is_upper(p[0])) && (is_lower(p[1]) || is_upper(p[1])))
		e = p + 2;
	if (fold_key((const char *)p, (size_t)(e - p), key, sizeof key) <= 0)
		return NULL;
	return alias_scan(languages, NELEM(languages), key);
}

/* ---- time zones -------------------------------------------------------- */

static const struct alias zones[] = {
	{"CO", "America/Bogota"}, {"MX", "America/Mexico_City"}, {"PE", "America/Lima"},
	{"EC", "America/Guayaquil"}, {"CL", "America/Santiago"},
	{"AR", "America/Argentina/Buenos_Aires"}, {"ES", "Europe/Madrid"},
	{"BR", "America/Sao_Paulo"}, {"PA", "America/Panama"}, {"CR", "America/Costa_Rica"},
	{"GT", "America/Guatemala"}, {"SV", "America/El_Salvador"},
	{"HN", "America/Tegucigalpa"}, {"NI", "America/Managua"}, {"UY", "America/Montevideo"},
	{"PY", "America/Asuncion"}, {"BO", "America/La_Paz"}, {"VE", "America/Caracas"},
	{"DO", "America/Santo_Domingo"}, {"PR", "America/Puerto_Rico"},
};

const char *cx_default_timezone(const char *country2)
{
	if (country2 == NULL)
		return NULL;
	return alias_scan(zones, NELEM(zones), country2);
}

int cx_timezone_valid(const char *s, size_t n)
{
	size_t part = 0;

	if (s == NULL || n == 0 || n > 64)
		return 0;
	if (n == 3 && memcmp(s, "UTC", 3) == 0)
		return 1;
	int slashes = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '/') {
			if (part == 0)
				return 0;
			slashes++;
			part = 0;
		} else if (is_upper(c) || is_lower(c) || is_digit(c) || c == '_' || c == '-' ||
		           c == '+') {
			if (part == 0 && !is_upper(c))
				return 0;   /* each part starts with a capital: Area/Location */
			part++;
		} else {
			return 0;
		}
	}
	return slashes >= 1 && part > 0;
}

/* ---- vocabularies ------------------------------------------------------ */

static const struct alias channel_alias[] = {
	{"sms", "sms"}, {"texto", "sms"}, {"mensajedetexto", "sms"}, {"mensajetexto", "sms"},
	{"mensaje", "sms"}, {"msj", "sms"}, {"text", "sms"}, {"textmessage", "sms"},
	{"txt", "sms"}, {"sm", "sms"},
	{"whatsapp", "whatsapp"}, {"wa", "whatsapp"}, {"wsp", "whatsapp"}, {"wpp", "whatsapp"},
	{"whatsap", "whatsapp"}, {"wapp", "whatsapp"}, {"watsapp", "whatsapp"},
	{"email", "email"}, {"mail", "email"}, {"correo", "email"},
	{"correoelectronico", "email"}, {"emailmarketing", "email"},
	{"call", "call"}, {"llamada", "call"}, {"llamar", "call"}, {"telefono", "call"},
	{"phone", "call"}, {"phonecall", "call"}, {"tel", "call"}, {"voz", "call"},
	{"voice", "call"}, {"llamadatelefonica", "call"}, {"telefonica", "call"},
	{"agente", "call"}, {"agent", "call"}, {"outbound", "call"},
	{"ivr", "ivr"}, {"robot", "ivr"}, {"robocall", "ivr"}, {"llamadaautomatica", "ivr"},
	{"automatedcall", "ivr"}, {"mensajedevoz", "ivr"}, {"voicebot", "ivr"},
	{"letter", "letter"}, {"carta", "letter"}, {"correspondencia", "letter"},
	{"correofisico", "letter"}, {"postal", "letter"}, {"post", "letter"},
	{"visit", "visit"}, {"visita", "visit"}, {"visitadomiciliaria", "visit"},
	{"campo", "visit"}, {"terreno", "visit"}, {"field", "visit"}, {"fieldvisit", "visit"},
	{"portal", "portal"}, {"web", "portal"}, {"app", "portal"}, {"online", "portal"},
	{"paginaweb", "portal"}, {"sitioweb", "portal"}, {"autogestion", "portal"},
	{"selfservice", "portal"},
};

static const struct alias flag_alias[] = {
	{"dispute", "dispute"}, {"disputa", "dispute"}, {"disputed", "dispute"},
	{"endisputa", "dispute"}, {"reclamo", "dispute"}, {"controversia", "dispute"},
	{"bankruptcy", "bankruptcy"}, {"bankrupt", "bankruptcy"}, {"quiebra", "bankruptcy"},
	{"insolvencia", "bankruptcy"}, {"insolvency", "bankruptcy"},
	{"concursomercantil", "bankruptcy"}, {"leydeinsolvencia", "bankruptcy"},
	{"reorganizacion", "bankruptcy"},
	{"deceased", "deceased"}, {"fallecido", "deceased"}, {"fallecida", "deceased"},
	{"muerto", "deceased"}, {"dead", "deceased"}, {"difunto", "deceased"},
	{"hardship", "hardship"}, {"dificultad", "hardship"},
	{"dificultadeconomica", "hardship"}, {"dificultadfinanciera", "hardship"},
	{"alivio", "hardship"}, {"financialhardship", "hardship"},
	{"cease", "cease"}, {"cese", "cease"}, {"ceaseanddesist", "cease"},
	{"nocontactar", "cease"}, {"donotcontact", "cease"}, {"dnc", "cease"},
	{"nollamar", "cease"}, {"donotcall", "cease"},
	{"legal", "legal"}, {"juridico", "legal"}, {"cobrojuridico", "legal"},
	{"abogado", "legal"}, {"demanda", "legal"}, {"litigio", "legal"},
	{"attorney", "legal"}, {"lawsuit", "legal"}, {"litigation", "legal"},
	{"fraud", "fraud"}, {"fraude", "fraud"}, {"suplantacion", "fraud"},
	{"identitytheft", "fraud"}, {"robodeidentidad", "fraud"},
};

static int vocab_index(const char *const *vocab, const char *name)
{
	for (int i = 0; vocab[i] != NULL; i++)
		if (vocab[i][0] == name[0] && strcmp(vocab[i], name) == 0)
			return i;
	return -1;
}

/* name (NUL-terminated) is exactly the n bytes at s; inline, where
 * strlen and memcmp were two library calls per name tried */
static int name_is(const char *name, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (name[i] == '\0' || name[i] != s[i])
			return 0;
	return name[n] == '\0';
}

/* Index of the vocabulary name written exactly as s (n > 0), or -1. */
static int vocab_exact(const char *const *vocab, const char *s, size_t n)
{
	for (int i = 0; vocab[i] != NULL; i++)
		if (vocab[i][0] == s[0] && name_is(vocab[i], s, n))
			return i;
	return -1;
}

static int vocab_norm(const struct alias *tab, size_t ntab, const char *const *vocab,
                      const char *s, size_t n)
{
	char key[64];
	const char *name;
	int i;

	/* a canonical name as written (the usual case) is itself: every name
	 * is its own alias (check_norm's vocab_names_are_aliases) */
	if (s != NULL && n > 0 && (i = vocab_exact(vocab, s, n)) >= 0)
		return i;
	if (s == NULL || fold_key(s, n, key, sizeof key) <= 0)
		return -1;
	name = alias_scan(tab, ntab, key);
	return name ? vocab_index(vocab, name) : -1;
}

int cx_norm_channel(const char *s, size_t n)
{
	return vocab_norm(channel_alias, NELEM(channel_alias), cx_channel_names, s, n);
}

int cx_norm_flag(const char *s, size_t n)
{
	return vocab_norm(flag_alias, NELEM(flag_alias), cx_flag_names, s, n);
}

static int is_none_word(const char *s, size_t n)
{
	char key[16];   /* longer than every word below: fold_key gives up early */
	static const char *const none[] = {"", "none", "ninguno", "ninguna", "na", "no",
	                                   "nada", "sinmarca", "null", NULL};
	if (fold_key(s, n, key, sizeof key) < 0)
		return 0;
	for (int i = 0; none[i]; i++)
		if (key[0] == none[i][0] && strcmp(key, none[i]) == 0)
			return 1;
	return 0;
}

static int set_norm(int (*one)(const char *, size_t), const char *s, size_t n,
                    unsigned *mask, const char **why, const char *bad)
{
	const char *dummy;
	unsigned m = 0;
	size_t i = 0;

	if (why == NULL)
		why = &dummy;
	*mask = 0;
	if (s == NULL || n == 0 || is_none_word(s, n))
		return 0;
	while (i <= n) {
		size_t j = i;
		while (j < n && s[j] != ',' && s[j] != ';' && s[j] != '|' && s[j] != '/' && s[j] != '+')
			j++;
		const unsigned char *p = (const unsigned char *)s + i, *e = (const unsigned char *)s + j;
		trim(&p, &e);
		if (p < e) {
			int k = one((const char *)p, (size_t)(e - p));
			if (k < 0 || k >= 32) {
				*why = bad;
				return -1;
			}
			m |= 1u << k;
		}
		i = j + 1;
	}
	*mask = m;
	return 0;
}

/* Fast path of the sets: canonical names separated by ',' alone
 * ("sms,whatsapp,call").  set_norm gives each name its own index, and no
 * such list folds to a "none" word (those start with 'n' or 's', no name
 * starts with 'n' and "sms" is not how "sinmarca" goes on), so the mask is
 * the same.  -2 for anything else (spaces, other separators, aliases,
 * case, empty parts): set_norm decides. */
static int set_fast(const char *const *vocab, const char *s, size_t n, unsigned *mask)
{
	unsigned m = 0;
	size_t i = 0;

	if (s == NULL || n == 0)
		return -2;
	for (;;) {
		size_t j = i;
		while (j < n && s[j] != ',')
			j++;
		if (j == i)
			return -2;
		int k = vocab_exact(vocab, s + i, j - i);
		if (k < 0 || k >= 32)
			return -2;
		m |= 1u << k;
		if (j == n)
			break;
		i = j + 1;
	}
	*mask = m;
	return 0;
}

int cx_norm_channel_set_general(const char *s, size_t n, unsigned *mask, const char **why)
{
	return set_norm(cx_norm_channel, s, n, mask, why, "unknown channel in list");
}

int cx_norm_flag_set_general(const char *s, size_t n, unsigned *mask, const char **why)
{
	return set_norm(cx_norm_flag, s, n, mask, why, "unknown flag in list");
}

int cx_norm_channel_set(const char *s, size_t n, unsigned *mask, const char **why)
{
	if (set_fast(cx_channel_names, s, n, mask) == 0)
		return 0;
	return cx_norm_channel_set_general(s, n, mask, why);
}

int cx_norm_flag_set(const char *s, size_t n, unsigned *mask, const char **why)
{
	if (set_fast(cx_flag_names, s, n, mask) == 0)
		return 0;
	return cx_norm_flag_set_general(s, n, mask, why);
}

int cx_norm_set_format(char *out, size_t outsz, const char *const *vocab, unsigned mask)
{
	size_t len = 0;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	for (int i = 0; vocab[i] != NULL && i < 32; i++) {
		if (!(mask & (1u << i)))
			continue;
		size_t l = strlen(vocab[i]);
		if (len + (len > 0) + l >= outsz) {
			out[0] = '\0';
			return -1;
		}
		if (len > 0)
			out[len++] = ',';
		memcpy(out + len, vocab[i], l);
		len += l;
		out[len] = '\0';
	}
	return (int)len;
}

int cx_norm_bool(const char *s, size_t n)
{
	static const char *const yes[] = {"1", "si", "s", "yes", "y", "true", "t", "x",
	                                  "verdadero", "v", "sim", NULL};
	static const char *const no[] = {"0", "no", "n", "false", "f", "falso", "nao", NULL};
	char key[16];

	if (s == NULL || n == 0)
		return 0;
	if (fold_key(s, n, key, sizeof key) < 0)
		return -1;
	for (int i = 0; yes[i]; i++)
		if (strcmp(key, yes[i]) == 0)
			return 1;
	if (key[0] == '\0') {
		/* blank or "-": no; any other punctuation ("?"): unknown */
		for (size_t i = 0; i < n; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '-')
				return -1;
		return 0;
	}
	for (int i = 0; no[i]; i++)
		if (strcmp(key, no[i]) == 0)
			return 0;
	return -1;
}

/* ---- integers ------------------------------------------------------------ */

int cx_norm_int(const char *s, size_t n, long long min, long long max, long long *out,
                const char **why)
{
	const char *dummy;
	const unsigned char *p = (const unsigned char *)s, *e;
	int neg = 0;
	unsigned long long v = 0;
	const unsigned long long lim = (unsigned long long)LLONG_MAX + 1;

	if (why == NULL)
		why = &dummy;
	if (s == NULL)
		n = 0;
	e = p + n;
	if (n > 0)
		trim(&p, &e);
	if (p == e) {
		*why = "empty number";
		return -1;
	}
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (p == e) {
		*why = "not a whole number";
		return -1;
	}
	for (; p < e; p++) {
		if (!is_digit(*p)) {
			*why = looks_scientific((const unsigned char *)s, e) ||
			       *p == 'E' || *p == 'e'
			       ? "scientific notation in number"
			       : "not a whole number";
			return -1;
		}
		v = v * 10 + (unsigned)(*p - '0');
		if (v > lim) {
			*why = "number out of range";
			return -1;
		}
	}
	if (!neg && v > (unsigned long long)LLONG_MAX) {
		*why = "number out of range";
		return -1;
	}
	long long r = neg ? (v == lim ? LLONG_MIN : -(long long)v) : (long long)v;
	if (r < min || r > max) {
		*why = "number out of range";
		return -1;
	}
	*out = r;
	return 0;
}

/* ---- emails ------------------------------------------------------------ */

/* ASCII bytes that need a closer look in an address: '@', controls, space,
 * DEL and ()<>[]\\,;:" (not allowed anywhere). */
static const unsigned char email_bad[256] = {
	[0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, [' '] = 1, [0x7F] = 1, ['@'] = 1,
	['('] = 1, [')'] = 1, ['<'] = 1, ['>'] = 1, ['['] = 1, [']'] = 1,
	['\\'] = 1, [','] = 1, [';'] = 1, [':'] = 1, ['"'] = 1,
};

/* ASCII bytes allowed in a domain label: 0-9 A-Z a-z '-' */
static const unsigned char dom_ok[128] = {
	['-'] = 1,
	['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['A'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['a'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* ".." somewhere in the n bytes at p (dots are few: memchr hops) */
static int has_dotdot(const unsigned char *p, size_t n)
{
	const unsigned char *e = p + n;

	while ((p = memchr(p, '.', (size_t)(e - p))) != NULL && p + 1 < e) {
		if (p[1] == '.')
			return 1;
		p++;
	}
	return 0;
}

int cx_norm_email_general(const char *s, size_t n, char *out, size_t outsz, const char **why)
{
	const char *dummy;
	const unsigned char *p = (const unsigned char *)s, *e;
	size_t at = 0, nat = 0, len;

	if (why == NULL)
		why = &dummy;
	if (s == NULL)
		return empty_out(out, outsz);
	e = p + n;
	trim(&p, &e);
	if (p == e)
		return empty_out(out, outsz);
	if (e - p > 7 && (p[0] | 0x20) == 'm' && strncasecmp((const char *)p, "mailto:", 7) == 0)
		p += 7;
	len = (size_t)(e - p);
	if (len > 254) {
		*why = "email address too long";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		if (!email_bad[c])
			continue;
		if (c == '@') {
			at = i;
			nat++;
		} else if (c <= ' ' || c == 0x7F) {
			*why = c == ' ' ? "space in email address" : "control character in email address";
			return -1;
		} else {
			*why = "character not allowed in email address";
			return -1;
		}
	}
	if (nat != 1) {
		*why = nat == 0 ? "email address without '@'" : "more than one '@' in email address";
		return -1;
	}
	if (at == 0 || at > 64) {
		*why = at == 0 ? "empty local part in email address" : "local part of email address too long";
		return -1;
	}
	if (p[0] == '.' || p[at - 1] == '.') {
		*why = "local part of email address starts or ends with '.'";
		return -1;
	}
	const unsigned char *d = p + at + 1;
	size_t dl = len - at - 1, dots = 0, label = 0;
	if (dl == 0) {
		*why = "empty domain in email address";
		return -1;
	}
	for (size_t i = 0; i < dl; i++) {
		if (d[i] == '.') {
			if (label == 0) {
				*why = "empty label in email domain";
				return -1;
			}
			dots++;
			label = 0;
		} else if (d[i] < 0x80 && !dom_ok[d[i]]) {
			*why = "character not allowed in email domain";
			return -1;
		} else {
			label++;
		}
	}
	if (dots == 0) {
		*why = "email domain without '.'";
		return -1;
	}
	if (label < 2) {
		*why = label == 0 ? "empty label in email domain" : "top-level domain of one letter";
		return -1;
	}
	/* the local part only: ".." in the domain is an empty label, found above */
	if (has_dotdot(p, at)) {
		*why = "'..' in email address";
		return -1;
	}
	if (outsz == 0 || len >= outsz) {
		*why = "value too long for the output buffer";
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		out[i] = (char)(is_upper(p[i]) ? p[i] - 'A' + 'a' : p[i]);
	out[len] = '\0';
	return (int)len;
}

/* ---- account ids --------------------------------------------------------- */

/* Bytes allowed in an account id (0-9 A-Z a-z . _ -): bit 1; bit 2 marks
 * the exponent letters of scientific notation. */
static const unsigned char id_ok[256] = {
	['-'] = 1, ['.'] = 1, ['_'] = 1,
	['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['A'] = 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['a'] = 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

int cx_norm_id_general(const char *s, size_t n, char *out, size_t outsz, const char **why)
{
	const char *dummy;
	size_t i = 0, j = n;

	if (why == NULL)
		why = &dummy;
	if (s == NULL)
		n = j = 0;
	while (i < j && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (j > i && (s[j - 1] == ' ' || s[j - 1] == '\t'))
		j--;
	if (i == j) {
		*why = "empty id";
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	/* one pass over the bytes: the first one not allowed, and whether
	 * there is an exponent letter (scientific notation needs one) */
	size_t bad = j;
	unsigned seen = 0;
	for (size_t k = i; k < j; k++) {
		unsigned t = id_ok[(unsigned char)s[k]];
		if (!t) {
			bad = k;
			break;
		}
		seen |= t;
	}
	if ((seen & 2) || bad < j) {
		if (looks_scientific((const unsigned char *)s + i, (const unsigned char *)s + j)) {
			*why = "scientific notation in id (the spreadsheet rounded it)";
			if (outsz > 0)
				out[0] = '\0';
			return -1;
		}
	}
	for (size_t k = bad; k < j; k++) {
		unsigned char c = (unsigned char)s[k];
		if (is_digit(c) || is_upper(c) || is_lower(c) || c == '.' || c == '_' || c == '-')
			continue;
		if (c == 0xEF && j - k >= 3 && (unsigned char)s[k + 1] == 0xBB &&
		    (unsigned char)s[k + 2] == 0xBF)
			*why = "byte order mark (U+FEFF) in id";
		else if (c == ' ' || c == '\t')
			*why = "space in id";
		else if (c < 0x20 || c == 0x7F)
			*why = "control character in id";
		else
			*why = "character not allowed in id (only 0-9 A-Z a-z . _ -)";
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	return set_out(out, outsz, s + i, j - i, why);
}

/* ---- national ids ---------------------------------------------------------- */

/* "1.02E+09", "1,02E+09", "1E+09", "1.02e9": spreadsheet scientific
 * notation (a mantissa with a decimal separator, or a signed exponent). */
static int looks_scientific(const unsigned char *p, const unsigned char *e)
{
	int sep = 0, sign = 0;

	if (p == e || !is_digit(*p))
		return 0;
	while (p < e && is_digit(*p))
		p++;
	if (p < e && (*p == '.' || *p == ',')) {
		sep = 1;
		p++;
		if (p == e || !is_digit(*p))
			return 0;
		while (p < e && is_digit(*p))
			p++;
	}
	if (p == e || (*p != 'E' && *p != 'e'))
		return 0;
	p++;
	if (p < e && (*p == '+' || *p == '-')) {
		sign = 1;
		p++;
	}
	if (p == e)
		return 0;
	while (p < e && is_digit(*p))
		p++;
	return p == e && (sep || sign);
}

#define NATID_MAX 32

int cx_norm_national_id_general(const char *s, size_t n, char *out, size_t outsz,
                                const char **why)
{
	const char *dummy;
	const unsigned char *p = (const unsigned char *)s, *e;
	char buf[NATID_MAX];
	size_t k = 0, l;

	if (why == NULL)
		why = &dummy;
	if (s == NULL)
		return empty_out(out, outsz);
	e = p + n;
	trim(&p, &e);
	if (p == e)
		return empty_out(out, outsz);
	if (looks_scientific(p, e)) {
		*why = "scientific notation in national id (the spreadsheet rounded it)";
		return -1;
	}
	for (const unsigned char *q = p; q < e; ) {
		unsigned char c = *q;
		if (is_digit(c) || is_upper(c) || is_lower(c)) {
			if (k >= NATID_MAX) {
				*why = "national id too long";
				return -1;
			}
			buf[k++] = (char)(is_lower(c) ? c - 'a' + 'A' : c);
			q++;
		} else if (c == '.' || c == ',') {
			/* between digits it must group thousands: exactly 3 digits follow */
			if (q > p && is_digit(q[-1]) && q + 1 < e && is_digit(q[1])) {
				size_t d = 0;
				while (q + 1 + d < e && is_digit(q[1 + d]))
					d++;
				if (d != 3) {
					*why = "'.' or ',' in national id is not a thousands separator (spreadsheet number?)";
					return -1;
				}
			} else if (c == ',') {
				*why = "',' in national id";
				return -1;
			}
			q++;
		} else if (c == '-' || c == '/') {
			q++;
		} else if ((l = ws_len(q, e)) > 0) {
			q += l;
		} else {
			*why = c < 0x20 || c == 0x7F ? "control character in national id"
			                             : "character not allowed in national id";
			return -1;
		}
	}
	if (k == 0) {
		*why = "national id without digits or letters";
		return -1;
	}
	return set_out(out, outsz, buf, k, why);
}

int cx_nit_check_digit(const char *digits, size_t n)
{
	static const int w[15] = {3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71};
	int sum = 0;

	if (digits == NULL || n == 0 || n > 15)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)digits[n - 1 - i];
		if (!is_digit(c))
			return -1;
		sum += (c - '0') * w[i];
	}
	int r = sum % 11;
	return r > 1 ? 11 - r : r;
}

int cx_nit_valid(const char *s, size_t n)
{
	if (s == NULL || n < 2 || n > 16 || !is_digit((unsigned char)s[n - 1]))
		return 0;
	return cx_nit_check_digit(s, n - 1) == s[n - 1] - '0';
}

static int is_consonant(unsigned char c)
{
	return is_upper(c) && strchr("AEIOU", c) == NULL;
}

int cx_curp_valid_format(const char *s, size_t n)
{
	static const char states[] =
		"AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR "
		"TC TS TL VZ YN ZS NE ";
	const unsigned char *u = (const unsigned char *)s;

	if (s == NULL || n != 18)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!is_upper(u[i]))
			return 0;
	if (strchr("AEIOUX", u[1]) == NULL)
		return 0;
	for (int i = 4; i < 10; i++)
		if (!is_digit(u[i]))
			return 0;
	int mm = (u[6] - '0') * 10 + (u[7] - '0'), dd = (u[8] - '0') * 10 + (u[9] - '0');
	static const unsigned char dim[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mm < 1 || mm > 12 || dd < 1 || dd > dim[mm - 1])
		return 0;
	if (mm == 2 && dd == 29) {
		int yy = (u[4] - '0') * 10 + (u[5] - '0');
		if (yy % 4 != 0)
			return 0;   /* 1900 and 2100 do not occur: 2000 is leap */
	}
	if (u[10] != 'H' && u[10] != 'M' && u[10] != 'X')
		return 0;
	if (!is_upper(u[11]) || !is_upper(u[12]))
		return 0;
	int found = 0;
	for (const char *st = states; *st; st += 3)
		if (st[0] == (char)u[11] && st[1] == (char)u[12])
			found = 1;
	if (!found)
		return 0;
	for (int i = 13; i < 16; i++)
		if (!is_consonant(u[i]))
			return 0;
	if (!is_digit(u[16]) && !is_upper(u[16]))
		return 0;
	return is_digit(u[17]);
}

int cx_curp_check_digit(const char *s, size_t n)
{
	/* RENAPO dictionary "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ" (the slot
	 * after N is Ñ, written '&' in some systems) */
	int sum = 0;

	if (s == NULL || n < 17)
		return -1;
	for (int i = 0; i < 17; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;
		if (is_digit(c))
			v = c - '0';
		else if (c >= 'A' && c <= 'N')
			v = 10 + (c - 'A');
		else if (c == '&')
			v = 24;
		else if (c >= 'O' && c <= 'Z')
			v = 25 + (c - 'O');
		else
			return -1;
		sum += v * (18 - i);
	}
	return (10 - sum % 10) % 10;
}

int cx_curp_valid(const char *s, size_t n)
{
	return cx_curp_valid_format(s, n) && cx_curp_check_digit(s, n) == s[17] - '0';
}

/* ---- phones ------------------------------------------------------------------ */

struct cc {
	const char *country;
	const char *code;
};

static const struct cc calling_codes[] = {
	{"CO", "57"}, {"MX", "52"}, {"US", "1"}, {"CA", "1"}, {"ES", "34"}, {"PE", "51"},
	{"CL", "56"}, {"AR", "54"}, {"BR", "55"}, {"EC", "593"},
};

const char *cx_phone_calling_code(const char *country2)
{
	if (country2 == NULL)
		return NULL;
	for (size_t i = 0; i < NELEM(calling_codes); i++)
		if (strcmp(calling_codes[i].country, country2) == 0)
			return calling_codes[i].code;
	return NULL;
}

#define PH_MAX 24

struct digits {
	char d[PH_MAX];
	size_t n;
};

static void drop(struct digits *x, size_t k)
{
	memmove(x->d, x->d + k, x->n - k);
	x->n -= k;
}

static int starts(const struct digits *x, const char *pfx)
{
	/* one pass, no library calls: the rule table is scanned per phone */
	size_t i;

	for (i = 0; pfx[i]; i++)
		if (i >= x->n || x->d[i] != pfx[i])
			return 0;
	return 1;
}

/* Country rules: turn x (national number, trunk prefixes possibly still
 * there; intl = it followed a country code) into the national significant
 * number.  0 or -1 with *why. */
static int rules_co(struct digits *x, int intl, const char **why)
{
	(void)intl;
	if (x->n == 12 && starts(x, "03") && x->d[2] == '3')
		drop(x, 2);                     /* old "03" + mobile from a landline */
	if (x->n == 10 && x->d[0] == '3')
		return 0;
	if (x->n == 10 && starts(x, "60") && x->d[2] >= '1' && x->d[2] <= '8')
		return 0;
	if (x->n == 8 && strchr("1245678", x->d[0]) != NULL) {
		/* pre-2021 landline: area digit + 7 digits; now 60 + both */
		memmove(x->d + 2, x->d, x->n);
		x->d[0] = '6';
		x->d[1] = '0';
		x->n += 2;
		return 0;
	}
	*why = x->n == 7 ? "colombian landline without area code (60x)"
	                 : "colombian numbers have 10 digits (mobile 3xx, landline 60x)";
	return -1;
}

static int rules_mx(struct digits *x, int intl, const char **why)
{
	if (x->n == 11 && x->d[0] == '1')
		drop(x, 1);                     /* legacy mobile "+52 1", "1 55 ..." */
	else if (!intl && x->n == 13 && (starts(x, "044") || starts(x, "045")))
		drop(x, 3);                     /* legacy mobile prefixes */
	else if (!intl && x->n == 12 && (starts(x, "01") || starts(x, "02")))
		drop(x, 2);                     /* legacy long-distance trunk */
	if (x->n != 10) {
		*why = "mexican numbers have 10 digits";
		return -1;
	}
	if (x->d[0] == '0' || x->d[0] == '1') {
		*why = "mexican area code cannot start with 0 or 1";
		return -1;
	}
	return 0;
}

static int rules_nanp(struct digits *x, int intl, const char **why)
{
	if (!intl && x->n == 11 && x->d[0] == '1')
		drop(x, 1);
	if (x->n != 10) {
		*why = "north american numbers have 10 digits";
		return -1;
	}
	if (x->d[0] == '0' || x->d[0] == '1') {
		*why = "north american area code cannot start with 0 or 1";
		return -1;
	}
	if (x->d[3] == '0' || x->d[3] == '1') {
		*why = "north american exchange code cannot start with 0 or 1";
		return -1;
	}
	return 0;
}

static int rules_es(struct digits *x, int intl, const char **why)
{
	(void)intl;
	if (x->n == 9 && x->d[0] >= '6' && x->d[0] <= '9')
		return 0;
	*why = "spanish numbers have 9 digits starting 6-9";
	return -1;
}

static int rules_pe(struct digits *x, int intl, const char **why)
{
	if (x->n >= 9 && x->d[0] == '0' && (!intl || x->n == 9))
		drop(x, 1);                     /* trunk 0 */
	if (x->n == 9 && x->d[0] == '9')
		return 0;
	if (x->n == 8 && x->d[0] >= '1' && x->d[0] <= '8')
		return 0;
	*why = "peruvian numbers have 9 digits (mobile 9xx) or 8 (area code and landline)";
	return -1;
}

static int rules_cl(struct digits *x, int intl, const char **why)
{
	(void)intl;
	if (x->n == 10 && x->d[0] == '0')
		drop(x, 1);
	if (x->n == 9 && x->d[0] >= '2' && x->d[0] <= '9')
		return 0;
	*why = "chilean numbers have 9 digits";
	return -1;
}

static int rules_ar(struct digits *x, int intl, const char **why)
{
	(void)intl;
	if (x->d[0] == '0' && x->n >= 11)
		drop(x, 1);                     /* trunk 0 */
	if (x->n == 11 && x->d[0] == '9' && x->d[1] >= '1' && x->d[1] <= '3')
		return 0;                       /* mobile, international form */
	if (x->n == 10 && x->d[0] >= '1' && x->d[0] <= '3')
		return 0;                       /* area code + number */
	if (x->n == 12) {
		/* national mobile: area code (2-4 digits) + "15" + number */
		int hit = -1, hits = 0;
		for (int L = 2; L <= 4; L++) {
			if (x->d[L] != '1' || x->d[L + 1] != '5')
				continue;
			if ((L == 2) != (x->d[0] == '1' && x->d[1] == '1'))
				continue;       /* only Buenos Aires (11) has a 2-digit code */
			hit = L;
			hits++;
		}
		if (hits == 1 && x->d[0] >= '1' && x->d[0] <= '3') {
			memmove(x->d + hit, x->d + hit + 2, x->n - (size_t)hit - 2);
			x->n -= 2;
			memmove(x->d + 1, x->d, x->n);
			x->d[0] = '9';
			x->n++;
			return 0;
		}
		*why = hits > 1 ? "ambiguous argentine mobile number (give it as +54 9 ...)"
		                : "argentine numbers have 10 digits after the trunk 0";
		return -1;
	}
	*why = "argentine numbers have 10 digits after the trunk 0";
	return -1;
}

static int rules_br(struct digits *x, int intl, const char **why)
{
	if (x->n >= 11 && x->d[0] == '0') {
		drop(x, 1);                     /* trunk 0 */
		if (!intl && (x->n == 12 || x->n == 13))
			drop(x, 2);             /* carrier selection code */
	}
	if ((x->n == 10 || x->n == 11) && x->d[0] != '0' && x->d[1] != '0') {
		if (x->n == 11 && x->d[2] == '9')
			return 0;
		if (x->n == 10 && x->d[2] >= '2' && x->d[2] <= '5')
			return 0;
		if (x->n == 10) {
			*why = "brazilian mobile number without the ninth digit";
			return -1;
		}
	}
	*why = "brazilian numbers have a 2-digit area code and 8 or 9 digits";
	return -1;
}

static int rules_ec(struct digits *x, int intl, const char **why)
{
	(void)intl;
	if ((x->n == 10 || x->n == 9) && x->d[0] == '0')
		drop(x, 1);                     /* trunk 0 */
	if (x->n == 9 && x->d[0] == '9')
		return 0;
	if (x->n == 8 && x->d[0] >= '2' && x->d[0] <= '7')
		return 0;
	*why = "ecuadorian numbers have 9 digits (mobile 9xx) or 8 (landline)";
	return -1;
}

struct phone_rules {
	const char *code;
	int (*fn)(struct digits *, int, const char **);
};

/* Longest code first: 593 before any 5x. */
static const struct phone_rules prules[] = {
	{"593", rules_ec}, {"57", rules_co}, {"52", rules_mx}, {"51", rules_pe},
	{"56", rules_cl}, {"54", rules_ar}, {"55", rules_br}, {"34", rules_es},
	{"1", rules_nanp},
};

static const struct phone_rules *rules_for_code(const char *code)
{
	for (size_t i = 0; i < NELEM(prules); i++)
		if (strcmp(prules[i].code, code) == 0)
			return &prules[i];
	return NULL;
}

static int phone_out(const char *code, const struct digits *x, char *out, size_t outsz,
                     const char **why)
{
	size_t cl = strlen(code);

	if (cl + x->n > 15) {
		*why = "phone number longer than 15 digits";
		return -1;
	}
	if (outsz < cl + x->n + 2) {
		*why = "value too long for the output buffer";
		return -1;
	}
	out[0] = '+';
	memcpy(out + 1, code, cl);
	memcpy(out + 1 + cl, x->d, x->n);
	out[1 + cl + x->n] = '\0';
	return (int)(1 + cl + x->n);
}

static int phone_intl(struct digits *x, char *out, size_t outsz, const char **why)
{
	for (size_t i = 0; i < NELEM(prules); i++) {
		if (!starts(x, prules[i].code))
			continue;
		struct digits y = *x;
		drop(&y, strlen(prules[i].code));
		if (prules[i].fn(&y, 1, why) < 0)
			return -1;
		return phone_out(prules[i].code, &y, out, outsz, why);
	}
	if (x->n < 7 || x->n > 15) {
		*why = "international phone numbers have 7 to 15 digits";
		return -1;
	}
	if (x->d[0] == '0') {
		*why = "country calling code cannot start with 0";
		return -1;
	}
	struct digits none = {.n = 0};
	memcpy(none.d, x->d, x->n);
	none.n = x->n;
	return phone_out("", &none, out, outsz, why);
}

int cx_norm_phone_general(const char *s, size_t n, const char *default_country,
                          char *out, size_t outsz, const char **why)
{
	const char *dummy;
	const unsigned char *p = (const unsigned char *)s, *e;
	struct digits x = {.n = 0};
	int plus = 0;
	size_t l;

	if (why == NULL)
		why = &dummy;
	if (outsz > 0)
		out[0] = '\0';
	if (s == NULL)
		return 0;
	e = p + n;
	trim(&p, &e);
	if (p == e)
		return 0;
	if (looks_scientific(p, e)) {
		*why = "scientific notation in phone number (the spreadsheet rounded it)";
		return -1;
	}
	if (e - p > 4 && (p[0] | 0x20) == 't' && strncasecmp((const char *)p, "tel:", 4) == 0)
		p += 4;
	for (const unsigned char *q = p; q < e; ) {
		unsigned char c = *q;
		if (is_digit(c)) {
			if (x.n >= PH_MAX) {
				*why = "too many digits in phone number";
				return -1;
			}
			x.d[x.n++] = (char)c;
			q++;
		} else if (c == '+') {
			if (plus || x.n > 0) {
				*why = "'+' inside phone number";
				return -1;
			}
			plus = 1;
			q++;
		} else if (c == '.' || c == '-' || c == '/' || c == '(' || c == ')') {
			q++;
		} else if ((l = ws_len(q, e)) > 0) {
			q += l;
		} else if (c == ',' || c == ';' || c == '|') {
			*why = "several phone numbers in one field";
			return -1;
		} else if (c == 'x' || c == 'X' || c == 'e' || c == 'E' || c == '#') {
			*why = "extension in phone number";
			return -1;
		} else {
			*why = c < 0x20 || c == 0x7F ? "control character in phone number"
			                             : "character not allowed in phone number";
			return -1;
		}
	}
	if (x.n == 0) {
		*why = "phone number without digits";
		return -1;
	}
	if (x.n > 18) {
		*why = "too many digits in phone number (several numbers?)";
		return -1;
	}
	if (plus)
		return phone_intl(&x, out, outsz, why);
	if (starts(&x, "00")) {
		drop(&x, 2);
		return phone_intl(&x, out, outsz, why);
	}
	const char *code = default_country ? cx_phone_calling_code(default_country) : NULL;
	if (default_country == NULL) {
		*why = "phone number without country code and no default country";
		return -1;
	}
	if (code == NULL) {
		*why = "phone number without country code and no rules for the default country";
		return -1;
	}
	if (strcmp(code, "1") == 0 && starts(&x, "011")) {
		drop(&x, 3);            /* NANP international access code */
		return phone_intl(&x, out, outsz, why);
	}
	const struct phone_rules *r = rules_for_code(code);
	struct digits y = x;
	if (r->fn(&y, 0, why) == 0)
		return phone_out(code, &y, out, outsz, why);
	/* the country code written without '+' or "00": "573001234567" */
	if (strcmp(code, "1") != 0 && starts(&x, code)) {
		const char *why2;
		y = x;
		drop(&y, strlen(code));
		if (r->fn(&y, 1, &why2) == 0)
			return phone_out(code, &y, out, outsz, why);
	}
	return -1;
}

/* ---- fast paths ---------------------------------------------------------------
 *
 * Most cells of an export have one plain shape ("+57 312 345 6789",
 * "felipe.gonzalez300@example.org", "LN3055249006").  Each fast path below
 * accepts only inputs on which the general code above is known to succeed
 * with an output it can build directly (nothing to trim, no "mailto:" or
 * "tel:", no separator to drop, never scientific notation), and returns -2
 * for anything else: the general code then decides, so results and
 * reasons are the same in every case.  check_norm and fuzz_norm compare
 * the two over generated and fuzzed inputs. */

#if defined(__SSE2__)

/* Lanes of v that hold a byte in [lo, hi], 1 <= lo <= hi <= 0x7F, with
 * one compare: adding 0x7F - hi moves [lo, hi] to the top of the signed
 * range; bytes above hi wrap to negative, bytes below lo stay below it,
 * and bytes >= 0x80 either stay negative or wrap to below 0x7F - hi. */
static inline __m128i in_range(__m128i v, char lo, char hi)
{
	return _mm_cmpgt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x7F - hi))),
	                      _mm_set1_epi8((char)(0x7F - hi + lo - 1)));
}

/* [0-9A-Za-z]: setting bit 5 maps A-Z onto a-z and nothing else onto it */
static inline __m128i is_alnum(__m128i v)
{
	return _mm_or_si128(in_range(v, '0', '9'),
	                    in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'));
}

/* An id of 4..32 bytes of [0-9A-Za-z] that fits out: copied, a-z raised to
 * A-Z when upper.  The loads overlap (the last one ends at the last byte,
 * nothing is read past the input) and all happen before the stores, so
 * out may be s. */
static int alnum_fast(const char *s, size_t n, char *out, size_t outsz, int upper)
{
	__m128i a, b;
	int m;

	if (s == NULL || n < 4 || n > 32 || n >= outsz)
		return -2;
	if (n > 16) {
		a = _mm_loadu_si128((const __m128i *)s);
		b = _mm_loadu_si128((const __m128i *)(s + n - 16));
		m = _mm_movemask_epi8(_mm_and_si128(is_alnum(a), is_alnum(b)));
	} else {
		if (n >= 8) {
			a = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)s),
			                       _mm_loadl_epi64((const __m128i *)(s + n - 8)));
		} else {
			uint32_t lo, hi;
			memcpy(&lo, s, 4);
			memcpy(&hi, s + n - 4, 4);
			a = _mm_unpacklo_epi32(_mm_cvtsi32_si128((int)lo), _mm_cvtsi32_si128((int)hi));
			a = _mm_unpacklo_epi64(a, a);   /* lanes 8..15 repeat 0..7 */
		}
		b = a;
		m = _mm_movemask_epi8(is_alnum(a));
	}
	if (m != 0xFFFF)
		return -2;
	if (upper) {
		__m128i x20 = _mm_set1_epi8(0x20);
		a = _mm_sub_epi8(a, _mm_and_si128(in_range(a, 'a', 'z'), x20));
		b = _mm_sub_epi8(b, _mm_and_si128(in_range(b, 'a', 'z'), x20));
	}
	if (n > 16) {
		_mm_storeu_si128((__m128i *)out, a);
		_mm_storeu_si128((__m128i *)(out + n - 16), b);
	} else if (n >= 8) {
		_mm_storel_epi64((__m128i *)out, a);
		_mm_storel_epi64((__m128i *)(out + n - 8), _mm_unpackhi_epi64(a, a));
	} else {
		uint32_t lo = (uint32_t)_mm_cvtsi128_si32(a);
		uint32_t hi = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(a, 4));
		memcpy(out, &lo, 4);
		memcpy(out + n - 4, &hi, 4);
	}
	out[n] = '\0';
	return (int)n;
}

struct email_bits {
	uint64_t ok;    /* [0-9A-Za-z._+@-] */
	uint64_t at;    /* '@' */
	uint64_t dot;   /* '.' */
	uint64_t nd;    /* '_' or '+': fine in the local part, not in a domain */
};

/* Classes of the 16 bytes of v, bit i of each mask = lane i. */
static inline void email_classes(__m128i v, unsigned m[4])
{
	__m128i at = _mm_cmpeq_epi8(v, _mm_set1_epi8('@'));
	__m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
	__m128i nd = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
	                          _mm_cmpeq_epi8(v, _mm_set1_epi8('+')));
	__m128i ok = _mm_or_si128(_mm_or_si128(is_alnum(v), at),
	                          _mm_or_si128(_mm_or_si128(dot, nd),
	                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
	m[0] = (unsigned)_mm_movemask_epi8(ok);
	m[1] = (unsigned)_mm_movemask_epi8(at);
	m[2] = (unsigned)_mm_movemask_epi8(dot);
	m[3] = (unsigned)_mm_movemask_epi8(nd);
}

static inline void email_put(struct email_bits *b, const unsigned m[4], unsigned keep,
                             size_t at)
{
	b->ok |= (uint64_t)(m[0] & keep) << at;
	b->at |= (uint64_t)(m[1] & keep) << at;
	b->dot |= (uint64_t)(m[2] & keep) << at;
	b->nd |= (uint64_t)(m[3] & keep) << at;
}

static inline __m128i lower16(__m128i v)
{
	return _mm_add_epi8(v, _mm_and_si128(in_range(v, 'A', 'Z'), _mm_set1_epi8(0x20)));
}

/* An address of 8..64 bytes of [0-9A-Za-z._+@-] with one '@', a local part
 * that neither starts nor ends with '.', no "..", a domain of [0-9A-Za-z-]
 * labels with at least one '.' and a last label of 2 or more: the general
 * code accepts it as it is, lower-cased. */
static int email_fast(const char *s, size_t n, char *out, size_t outsz)
{
	struct email_bits b = {0, 0, 0, 0};
	unsigned m[4];
	__m128i v;

	if (s == NULL || n < 8 || n > 64 || n >= outsz)
		return -2;
	if (n < 16) {
		v = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)s),
		                       _mm_loadl_epi64((const __m128i *)(s + n - 8)));
		email_classes(v, m);
		email_put(&b, m, 0xFF, 0);
		for (int i = 0; i < 4; i++)
			m[i] >>= 8;
		email_put(&b, m, 0xFF, n - 8);
	} else {
		/* 16-byte loads, the last one ending at the last byte (it may
		 * overlap the one before: the same bytes give the same bits) */
		for (size_t o = 0;; o += 16) {
			if (o + 16 > n)
				o = n - 16;
			v = _mm_loadu_si128((const __m128i *)(s + o));
			email_classes(v, m);
			email_put(&b, m, 0xFFFF, o);
			if (o + 16 >= n)
				break;
		}
	}
	uint64_t all = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
	if (b.ok != all || b.at == 0 || (b.at & (b.at - 1)) != 0)
		return -2;
	size_t a = (size_t)__builtin_ctzll(b.at);
	if (a == 0 || a + 2 > n || (b.dot & (b.dot >> 1)) != 0)
		return -2;
	/* '.' first or last in the local part, first or last in the domain */
	if ((b.dot >> 0 | b.dot >> (a - 1) | b.dot >> (a + 1) | b.dot >> (n - 1)) & 1)
		return -2;
	uint64_t dom = all & ~((b.at << 1) - 1);
	uint64_t ddot = b.dot & dom;
	if ((b.nd & dom) != 0 || ddot == 0)
		return -2;
	size_t last = 63 - (size_t)__builtin_clzll(ddot);
	if (n - 1 - last < 2)
		return -2;
	/* lower-case on the way out; loads and stores overlap like above and
	 * lower-casing twice changes nothing, so out may be s */
	if (n < 16) {
		v = lower16(_mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)s),
		                               _mm_loadl_epi64((const __m128i *)(s + n - 8))));
		_mm_storel_epi64((__m128i *)out, v);
		_mm_storel_epi64((__m128i *)(out + n - 8), _mm_unpackhi_epi64(v, v));
	} else {
		for (size_t o = 0;; o += 16) {
			if (o + 16 > n)
				o = n - 16;
			v = lower16(_mm_loadu_si128((const __m128i *)(s + o)));
			_mm_storeu_si128((__m128i *)(out + o), v);
			if (o + 16 >= n)
				break;
		}
	}
	out[n] = '\0';
	return (int)n;
}

/* 8..32 input bytes as two vectors whose lanes cover them (the second one
 * ends at the last byte and may overlap the first), also copied to buf
 * (64 bytes: compact() reads 32 past any start). */
struct span32 {
	__m128i lo, hi;
	size_t n;
};

static inline void span_load(struct span32 *sp, const char *s, size_t n, unsigned char *buf)
{
	sp->n = n;
	if (n >= 16) {
		sp->lo = _mm_loadu_si128((const __m128i *)s);
		sp->hi = _mm_loadu_si128((const __m128i *)(s + n - 16));
		_mm_storeu_si128((__m128i *)buf, sp->lo);
		_mm_storeu_si128((__m128i *)(buf + n - 16), sp->hi);
	} else {
		sp->lo = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)s),
		                            _mm_loadl_epi64((const __m128i *)(s + n - 8)));
		sp->hi = sp->lo;
		_mm_storel_epi64((__m128i *)buf, sp->lo);
		_mm_storel_epi64((__m128i *)(buf + n - 8), _mm_unpackhi_epi64(sp->lo, sp->lo));
	}
}

/* Bit i set when byte i is in the class whose lanes are mlo (of lo) and
 * mhi (of hi): the same byte seen twice gives the same bit. */
static inline uint32_t span_bits(const struct span32 *sp, __m128i mlo, __m128i mhi)
{
	uint32_t l = (uint32_t)_mm_movemask_epi8(mlo);

	if (sp->n >= 16)
		return l | (uint32_t)_mm_movemask_epi8(mhi) << (sp->n - 16);
	return (l & 0xFF) | (l >> 8) << (sp->n - 8);
}

/* buf[0..n) without the bytes whose bit is set in drop, to dst (64
 * bytes); every run is moved with two 16-byte copies.  Returns the
 * length. */
static inline size_t compact(unsigned char *dst, const unsigned char *buf, size_t n,
                             uint32_t drop)
{
	size_t k = 0, start = 0;

	for (;;) {
		size_t end = drop ? (size_t)__builtin_ctz(drop) : n;
		_mm_storeu_si128((__m128i *)(dst + k), _mm_loadu_si128((const __m128i *)(buf + start)));
		_mm_storeu_si128((__m128i *)(dst + k + 16),
		                 _mm_loadu_si128((const __m128i *)(buf + start + 16)));
		k += end - start;
		if (!drop)
			return k;
		start = end + 1;
		drop &= drop - 1;
	}
}

/* src[0..k), 8 <= k <= 32, to out[0..k) with overlapping copies that
 * write nothing past out[k - 1]. */
static inline void put_span(char *out, const unsigned char *src, size_t k)
{
	if (k >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)src);
		__m128i y = _mm_loadu_si128((const __m128i *)(src + k - 16));
		_mm_storeu_si128((__m128i *)out, x);
		_mm_storeu_si128((__m128i *)(out + k - 16), y);
	} else {
		__m128i x = _mm_loadl_epi64((const __m128i *)src);
		__m128i y = _mm_loadl_epi64((const __m128i *)(src + k - 8));
		_mm_storel_epi64((__m128i *)out, x);
		_mm_storel_epi64((__m128i *)(out + k - 8), y);
	}
}

/* A national id of digits grouped by '-' ("123-45-6789") or by '.' as a
 * thousands separator ("1.986.878.396"): 8..32 bytes, digits first and
 * last, every '.' between a digit and exactly 3 digits (then a non-digit
 * or the end).  The general code drops the separators (no 'E': never
 * scientific notation). */
static int natid_sep_fast(const char *s, size_t n, char *out, size_t outsz)
{
	unsigned char buf[64], dst[64];
	struct span32 sp;

	if (s == NULL || n < 8 || n > 32)
		return -2;
	span_load(&sp, s, n, buf);
	uint32_t dig = span_bits(&sp, in_range(sp.lo, '0', '9'), in_range(sp.hi, '0', '9'));
	uint32_t dot = span_bits(&sp, _mm_cmpeq_epi8(sp.lo, _mm_set1_epi8('.')),
	                         _mm_cmpeq_epi8(sp.hi, _mm_set1_epi8('.')));
	uint32_t dash = span_bits(&sp, _mm_cmpeq_epi8(sp.lo, _mm_set1_epi8('-')),
	                          _mm_cmpeq_epi8(sp.hi, _mm_set1_epi8('-')));
	uint32_t all = n == 32 ? ~(uint32_t)0 : ((uint32_t)1 << n) - 1;
	if ((dig | dot | dash) != all || !(dig & 1) || !(dig >> (n - 1) & 1))
		return -2;
	/* a digit before each '.', three after it, and no fourth */
	if (dot & ~((dig << 1) & (dig >> 1) & (dig >> 2) & (dig >> 3) & ~(dig >> 4)))
		return -2;
	size_t k = compact(dst, buf, n, dot | dash);
	if (k < 8 || k >= outsz)
		return -2;
	put_span(out, dst, k);
	out[k] = '\0';
	return (int)k;
}

/* '+', a calling code and a number, 12..20 bytes of digits and spaces, of
 * a country whose rules keep the number as it is: Colombia 3xx or 60[1-8]
 * (10 digits), Mexico (10 digits, area code not 0 or 1), NANP (10 digits,
 * area and exchange codes not 0 or 1).  The general code drops the spaces
 * and writes '+' and the digits. */
static int phone_fast(const char *s, size_t n, char *out, size_t outsz)
{
	unsigned char buf[64], dst[64];
	struct span32 sp;

	if (s == NULL || n < 12 || n > 20 || s[0] != '+' || outsz < 14)
		return -2;
	span_load(&sp, s, n, buf);
	uint32_t dig = span_bits(&sp, in_range(sp.lo, '0', '9'), in_range(sp.hi, '0', '9'));
	uint32_t sp_ = span_bits(&sp, _mm_cmpeq_epi8(sp.lo, _mm_set1_epi8(' ')),
	                         _mm_cmpeq_epi8(sp.hi, _mm_set1_epi8(' ')));
	if ((dig | sp_ | 1) != ((uint32_t)1 << n) - 1)
		return -2;
	/* "+573123456789" is its own result: nothing to move */
	const unsigned char *d = buf + 1;
	size_t k = n - 1;
	if (sp_ != 0) {
		k = compact(dst, buf, n, sp_ | 1);
		d = dst;
	}
	if (k != 11 && k != 12)
		return -2;
	if (k == 12 && d[0] == '5' && d[1] == '7') {
		if (d[2] != '3' && !(d[2] == '6' && d[3] == '0' && d[4] >= '1' && d[4] <= '8'))
			return -2;
	} else if (k == 12 && d[0] == '5' && d[1] == '2') {
		if (d[2] < '2')
			return -2;
	} else if (k == 11 && d[0] == '1') {
		if (d[1] < '2' || d[4] < '2')
			return -2;
	} else {
		return -2;
	}
	out[0] = '+';
	put_span(out + 1, d, k);
	out[k + 1] = '\0';
	return (int)k + 1;
}

#else /* no SSE2: the general code only */

static int alnum_fast(const char *s, size_t n, char *out, size_t outsz, int upper)
{
	(void)s, (void)n, (void)out, (void)outsz, (void)upper;
	return -2;
}

static int email_fast(const char *s, size_t n, char *out, size_t outsz)
{
	(void)s, (void)n, (void)out, (void)outsz;
	return -2;
}

static int natid_sep_fast(const char *s, size_t n, char *out, size_t outsz)
{
	(void)s, (void)n, (void)out, (void)outsz;
	return -2;
}

static int phone_fast(const char *s, size_t n, char *out, size_t outsz)
{
	(void)s, (void)n, (void)out, (void)outsz;
	return -2;
}

#endif

int cx_norm_phone(const char *s, size_t n, const char *default_country,
                  char *out, size_t outsz, const char **why)
{
	int r = phone_fast(s, n, out, outsz);

	return r != -2 ? r : cx_norm_phone_general(s, n, default_country, out, outsz, why);
}

int cx_norm_email(const char *s, size_t n, char *out, size_t outsz, const char **why)
{
	int r = email_fast(s, n, out, outsz);

	return r != -2 ? r : cx_norm_email_general(s, n, out, outsz, why);
}

int cx_norm_national_id(const char *s, size_t n, char *out, size_t outsz, const char **why)
{
	int r = alnum_fast(s, n, out, outsz, 1);

	if (r == -2)
		r = natid_sep_fast(s, n, out, outsz);
	return r != -2 ? r : cx_norm_national_id_general(s, n, out, outsz, why);
}

int cx_norm_id(const char *s, size_t n, char *out, size_t outsz, const char **why)
{
	int r = alnum_fast(s, n, out, outsz, 0);

	return r != -2 ? r : cx_norm_id_general(s, n, out, outsz, why);
}
