/*
 * fhir_settings.c — the module's settings (_PG_init) and what they decide:
 * alliance.fhir_base_url, the base of the canonical URLs alliance writes (its
 * code system is <base>/CodeSystem/alliance).  Unset, the code system is the
 * documented placeholder urn:alliance:placeholder:code-system, which a
 * clinic replaces by setting its own FHIR server's base once (doc/fhir.md).
 */
#include "pg_compat.h"

#include <string.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "alpg.h"
#include "fhir_match.h"
#include "fhir_pg.h"

PG_FUNCTION_INFO_V1(alliance_fhir_code_system_url);

void		_PG_init(void);

#define PLACEHOLDER_CODE_SYSTEM "urn:alliance:placeholder:code-system"

static char *fhir_base_url = NULL;

/* An absolute URI without white space and without a trailing '/', or empty. */
static bool
check_fhir_base_url(char **newval, void **extra, GucSource source)
{
	AlError		err;
	size_t		len = *newval != NULL ? strlen(*newval) : 0;

	if (len == 0)
		return true;
	if (al_fhir_check_uri("alliance.fhir_base_url", *newval, len, &err) != AL_OK)
	{
		GUC_check_errmsg("%s", err.message);
		GUC_check_errhint("Set it to the base of your FHIR server, such as \"https://fhir.clinic.example/fhir\", or to '' for the placeholder.");
		return false;
	}
	if ((*newval)[len - 1] == '/')
	{
		GUC_check_errmsg("alliance.fhir_base_url \"%s\" ends with \"/\"", *newval);
		GUC_check_errdetail("Canonical URLs are written as <base>/CodeSystem/alliance.");
		return false;
	}
	return true;
}

void
_PG_init(void)
{
	DefineCustomStringVariable("alliance.fhir_base_url",
							   "Base of the canonical URLs alliance writes into FHIR resources.",
							   "Its code system is <base>/CodeSystem/alliance; empty: the placeholder "
							   PLACEHOLDER_CODE_SYSTEM ".",
							   &fhir_base_url, "", PGC_USERSET, 0,
							   check_fhir_base_url, NULL, NULL);
	MarkGUCPrefixReserved("alliance");
}

const char *
alpg_fhir_base_url(void)
{
	return fhir_base_url != NULL && fhir_base_url[0] != '\0' ? fhir_base_url : NULL;
}

const char *
alpg_fhir_code_system(void)
{
	if (fhir_base_url == NULL || fhir_base_url[0] == '\0')
		return PLACEHOLDER_CODE_SYSTEM;
	return psprintf("%s/CodeSystem/alliance", fhir_base_url);
}

/* fhir_code_system_url(url text DEFAULT NULL): url checked, else the setting's */
Datum
alliance_fhir_code_system_url(PG_FUNCTION_ARGS)
{
	if (PG_NARGS() > 0 && !PG_ARGISNULL(0))
	{
		text	   *t = PG_GETARG_TEXT_PP(0);
		AlError		err;

		if (al_fhir_check_uri("url", VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &err) != AL_OK)
			alpg_report(&err);
		PG_RETURN_TEXT_P(t);
	}
	PG_RETURN_TEXT_P(cstring_to_text(alpg_fhir_code_system()));
}
