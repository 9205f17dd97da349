/*
 * rupture_alert.c — alliance.rupture_alert(session, score, method, ...), the
 * prospective alert, as a C WINDOW function:
 *
 *     rupture_alert(session, score) OVER (PARTITION BY client ORDER BY session)
 *
 * It judges the current row only from the rows strictly before it in the
 * partition (positions 0 .. current - 1, read with WinGetFuncArgInPartition),
 * whatever the frame says: a frame reaching forward cannot leak later
 * sessions into the decision.  The history (count, running mean and SD, the
 * previous score, the level rule's track) lives in partition-local memory
 * and grows one row per call, so a partition costs O(n).  The rule is
 * al_alert_decide() in src/core/series.c; for the default rule (level) the
 * history rows are judged by the same step as ruptures() (al_level_step),
 * so the alert agrees with ruptures() on every prefix of the series.  Each
 * row's score was checked when it was the current row.
 */
#include "trajectory.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"
#include "windowapi.h"

#include "alpg.h"
#include "instrument.h"
#include "response_pg.h"

PG_FUNCTION_INFO_V1(rupture_alert);

typedef struct AlertState
{
	int64		nread;			/* partition rows consumed into the history */
	AlRunning	hist;			/* over the non-NULL rows among them */
	AlLevelTrack level;			/* the level rule over them */
	double		prev;			/* the last non-NULL score among them */
	bool		has_key;
	int64		last_key;
	bool		has_code;
	char		code[ALPG_TRAJ_CODE_LEN]; /* instrument of the scores, "" for numbers */
} AlertState;

static void
order_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("rupture_alert needs strictly increasing sessions in the window's order"),
			 errdetail("A session key repeats or comes before an earlier one."),
			 errhint("Use OVER (PARTITION BY client ORDER BY session), with one row per client and session.")));
}

static void
check_code(AlertState *s, const AlInstrument *inst)
{
	const char *code = inst ? inst->code : "";

	if (!s->has_code)
	{
		strlcpy(s->code, code, ALPG_TRAJ_CODE_LEN);
		s->has_code = true;
	}
	else if (strcmp(s->code, code) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot mix instruments in one rupture_alert partition: %s and %s",
						s->code[0] ? s->code : "numeric scores", code[0] ? code : "numeric scores")));
}

Datum
rupture_alert(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	AlertState *s = WinGetPartitionLocalMemory(winobj, sizeof(AlertState));
	int64		cur = WinGetCurrentPosition(winobj);
	Oid			keytype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	Oid			scoretype = get_fn_expr_argtype(fcinfo->flinfo, 1);
	const AlInstrument *inst = NULL;
	AlSeriesParams p;
	Datum		kd,
				sd;
	bool		knull,
				snull,
				isout;
	double		score;
	int64		key;
	int			decision;

	/*
	 * The current row first: its instrument gives the parameters' defaults,
	 * which judge the history rows too (the level rule's track needs their
	 * decisions).
	 */
	kd = WinGetFuncArgCurrent(winobj, 0, &knull);
	sd = WinGetFuncArgCurrent(winobj, 1, &snull);
	if (knull || snull)
		PG_RETURN_NULL();
	key = alpg_traj_key(keytype, kd);
	if (!alpg_traj_score(scoretype, sd, &score, &inst))
		PG_RETURN_NULL();

	/* parameters are arguments 2.. (method, k, reference_sd, sd, reliability, points, cutoff) */
	{
		FunctionCallInfo pf;
		int			nargs = PG_NARGS();

		pf = palloc0(SizeForFunctionCallInfo(nargs));
		pf->nargs = nargs;
		for (int i = 2; i < nargs; i++)
			pf->args[i].value = WinGetFuncArgCurrent(winobj, i, &pf->args[i].isnull);
		altraj_read_params(pf, 2, 7, inst, true, &p);
		pfree(pf);
	}

	/* history: rows nread .. cur - 1, never the current row or later ones */
	while (s->nread < cur)
	{
		const AlInstrument *hinst = NULL;
		double		hscore;

		CHECK_FOR_INTERRUPTS();
		kd = WinGetFuncArgInPartition(winobj, 0, (int) s->nread, WINDOW_SEEK_HEAD,
									  false, &knull, &isout);
		sd = WinGetFuncArgInPartition(winobj, 1, (int) s->nread, WINDOW_SEEK_HEAD,
									  false, &snull, &isout);
		if (isout)
			elog(ERROR, "rupture_alert: row %lld is outside its partition", (long long) s->nread);
		if (!knull && !snull)
		{
			int64		hkey = alpg_traj_key(keytype, kd);

			if (s->has_key && hkey <= s->last_key)
				order_error();
			if (alpg_traj_score(scoretype, sd, &hscore, &hinst))
			{
				AlLevelStep step;

				check_code(s, hinst);
				memset(&step, 0, sizeof(step));
				if (p.method == AL_METHOD_LEVEL)
					al_level_step(&s->level, &p, hscore, &step);
				al_level_add(&s->level, &p, hscore, &step);
				s->has_key = true;
				s->last_key = hkey;
				al_running_add(&s->hist, hscore);
				s->prev = hscore;
			}
		}
		s->nread++;
	}

	if (s->has_key && key <= s->last_key)
		order_error();
	check_code(s, inst);

	{
		AlError		err;

		ALPG_CHECK(al_series_check_score(score, &err), &err);
	}
	decision = al_alert_decide(&p, &s->hist, &s->level, s->prev, score);
	if (decision < 0)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(decision == 1);
}
