#!/usr/bin/env python3
"""A synthetic clinic with known truth, for measuring rupture rules.

Writes, into the output directory:
  sessions.csv  instrument, client, session, items (a PostgreSQL numeric[] literal), true_total
  truth.csv     instrument, client, grp, n_sessions, has_rupture, rupture_session, size_err_sd,
                shape, repaired, repair_session
  params.csv    instrument, sd_total, alpha, retest, reliability, err_sd, sem_alpha
  check.txt     what the generated clinic looks like (alpha, retest r, error SD, ceiling share)

Item answers are generated and the extension scores them, so the instrument's range, step and
ceiling act on the data as on real answers.  Every parameter and its source (or "assumption") is in
bench/signal/README.md; the numbers live in INSTRUMENTS and MODEL below.  Standard library only;
the same seed gives the same files.

usage: generate.py [--clients N] [--seed S] [--out DIR] [--noise-scale F]
"""
import argparse
import csv
import math
import os
import random

# Per instrument.  sd_total: between-client SD of one session's total (assumption);
# alpha: internal consistency; retest: session-to-session test-retest r (the reliability the
# session-to-session error is sized from).  See README.md for sources.
INSTRUMENTS = {
    'srs': dict(k=4, lo=0.0, hi=10.0, step=0.1, decimals=1,
                mean_total=36.0, sd_total=4.0, alpha=0.88, retest=0.64,
                growth_mean=1.5, growth_sd=1.5,          # points gained over treatment
                stable_share=0.20, stable_item=(9.5, 10.2), stable_noise=0.2),
    'wai_sr': dict(k=12, lo=1.0, hi=5.0, step=1.0, decimals=0,
                   mean_total=46.0, sd_total=8.0, alpha=0.90, retest=0.90,
                   growth_mean=3.0, growth_sd=3.0,
                   stable_share=0.10, stable_item=(4.75, 5.25), stable_noise=0.5),
}

MODEL = dict(
    sessions=(8, 20),            # sessions per client, uniform
    growth_tau=4.0,              # growth G * (1 - exp(-(s - 1) / tau))
    rupture_share=0.5,           # clients with one planted rupture
    sizes=(2, 3, 4, 6),          # rupture size in session-to-session error SDs, equally likely
    repaired_share=0.5,          # of ruptures
)


def err_sd(p):
    """SD of the session-to-session error of a total: SD * sqrt(1 - r_retest)."""
    return p['sd_total'] * math.sqrt(1 - p['retest'])


def noise_parts(p):
    """(SD of the session state shared by all items, SD of one item's own latent error).

    Total variance of a session's total = between (retest * SD^2) + state ((alpha - retest) * SD^2)
    + item errors ((1 - alpha) * SD^2).  Rounding an answer to the item step adds step^2 / 12 per
    item, so the latent item error is what is left of (1 - alpha) * SD^2 after rounding.
    """
    var = p['sd_total'] ** 2
    state = math.sqrt(max(0.0, (p['alpha'] - p['retest']) * var))
    item_var = ((1 - p['alpha']) * var - p['k'] * p['step'] ** 2 / 12) / p['k']
    return state, math.sqrt(max(0.0, item_var))


def answer(p, latent):
    x = round(latent / p['step']) * p['step']
    x = min(p['hi'], max(p['lo'], x))
    return round(x, p['decimals'])


def make_client(rng, code, p, client, noise_scale=1.0):
    n = rng.randint(*MODEL['sessions'])
    stable = rng.random() < p['stable_share']
    state_sd, item_sd = (x * noise_scale for x in noise_parts(p))
    e = err_sd(p)
    if stable:
        level = p['k'] * rng.uniform(*p['stable_item'])
        growth = 0.0
        state_sd *= p['stable_noise']
        item_sd *= p['stable_noise']
    else:
        level = rng.gauss(p['mean_total'], p['sd_total'] * math.sqrt(p['retest']))
        growth = rng.gauss(p['growth_mean'], p['growth_sd'])
    has = rng.random() < MODEL['rupture_share']
    truth = dict(instrument=code, client=client, grp='stable' if stable else 'typical',
                 n_sessions=n, has_rupture=has, rupture_session='', size_err_sd='', shape='',
                 repaired='', repair_session='')
    drop = {}                    # session -> drop of the true total (points)
    if has:
        # three sessions before (the default rule judges a session against the three before
        # it: a drop in the first three sessions has no level to fall from), the repair window after
        a = rng.randint(4, n - 3)
        size = rng.choice(MODEL['sizes'])
        d = size * e
        repaired = rng.random() < MODEL['repaired_share']
        truth.update(rupture_session=a, size_err_sd=size, repaired=repaired)
        if repaired:
            down = rng.choice((1, 2))      # a one-session dip or a sustained two-session drop
            halfway = rng.random() < 0.5   # one session half-way back before the full return
            for s in range(a, a + down):
                drop[s] = d
            if halfway:
                drop[a + down] = d / 2
            truth.update(shape='dip' if down == 1 else 'sustained',
                         repair_session=a + down + (1 if halfway else 0))
        else:
            for s in range(a, n + 1):
                drop[s] = d
            truth.update(shape='lasting')
    rows = []
    for s in range(1, n + 1):
        true_total = level + growth * (1 - math.exp(-(s - 1) / MODEL['growth_tau'])) - drop.get(s, 0.0)
        state = rng.gauss(0, state_sd)
        items = [answer(p, (true_total + state) / p['k'] + rng.gauss(0, item_sd)) for _ in range(p['k'])]
        rows.append((code, client, s, items, true_total))
    return truth, rows


def fmt_items(p, items):
    return '{' + ','.join(f"{x:.{p['decimals']}f}" for x in items) + '}'


def corr(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def var(x):
    m = sum(x) / len(x)
    return sum((a - m) ** 2 for a in x) / (len(x) - 1)


def check(code, p, truths, rows):
    """The clinic as a psychometrician would see it: alpha and retest r among clients without a
    planted rupture (sessions 3 and 4), the SD of observed minus true total, the ceiling."""
    none = {t['client'] for t in truths if not t['has_rupture']}
    by = {(r[1], r[2]): r for r in rows}
    s3 = [by[(c, 3)] for c in sorted(none)]
    s4 = [by[(c, 4)] for c in sorted(none)]
    tot3 = [sum(r[3]) for r in s3]
    tot4 = [sum(r[3]) for r in s4]
    k = p['k']
    alpha = k / (k - 1) * (1 - sum(var([r[3][i] for r in s3]) for i in range(k)) / var(tot3))
    resid = [sum(r[3]) - r[4] for r in rows if r[1] in none]
    resid_typ = [sum(r[3]) - r[4] for r in rows
                 if r[1] in none and truths[r[1] - 1]['grp'] == 'typical']
    at_max = sum(1 for r in rows if sum(r[3]) >= k * p['hi'] - 1e-9) / len(rows)
    alltot = [sum(r[3]) for r in rows]
    return (f"{code}: {len(truths)} clients, {len(rows)} sessions; total mean {sum(alltot) / len(alltot):.1f}, "
            f"SD {math.sqrt(var(alltot)):.2f} (session 3: {math.sqrt(var(tot3)):.2f}); "
            f"alpha {alpha:.2f}; retest r (sessions 3-4) {corr(tot3, tot4):.2f}; "
            f"SD of observed - true total {math.sqrt(var(resid)):.2f} "
            f"(typical clients {math.sqrt(var(resid_typ)):.2f}; model error SD {err_sd(p):.2f}); "
            f"sessions at the maximum {100 * at_max:.0f} %; "
            f"planted ruptures {sum(t['has_rupture'] for t in truths)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--clients', type=int, default=10000, help='clients per instrument (10000)')
    ap.add_argument('--seed', type=int, default=20240612, help='random seed (20240612)')
    ap.add_argument('--out', default='.', help='output directory')
    ap.add_argument('--noise-scale', type=float, default=1.0,
                    help='multiply the latent session noise (a clinic noisier than the published '
                         'reliability); params.csv keeps the published error SD (1.0)')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    lines = []
    with open(os.path.join(a.out, 'sessions.csv'), 'w', newline='') as fs, \
         open(os.path.join(a.out, 'truth.csv'), 'w', newline='') as ft, \
         open(os.path.join(a.out, 'params.csv'), 'w', newline='') as fp:
        ws, wt, wp = csv.writer(fs), csv.writer(ft), csv.writer(fp)
        wt.writerow(['instrument', 'client', 'grp', 'n_sessions', 'has_rupture', 'rupture_session',
                     'size_err_sd', 'shape', 'repaired', 'repair_session'])
        ws.writerow(['instrument', 'client', 'session', 'items', 'true_total'])
        wp.writerow(['instrument', 'sd_total', 'alpha', 'retest', 'reliability', 'err_sd', 'sem_alpha'])
        for code, p in INSTRUMENTS.items():
            # one stream per instrument, so adding an instrument does not change the others
            rng = random.Random(f'{a.seed}:{code}')
            truths, rows = [], []
            for c in range(1, a.clients + 1):
                t, r = make_client(rng, code, p, c, a.noise_scale)
                truths.append(t)
                rows.extend(r)
            for t in truths:
                wt.writerow([t[f] for f in ('instrument', 'client', 'grp', 'n_sessions', 'has_rupture',
                                            'rupture_session', 'size_err_sd', 'shape', 'repaired',
                                            'repair_session')])
            for code_, client, s, items, true_total in rows:
                ws.writerow([code_, client, s, fmt_items(p, items), f'{true_total:.4f}'])
            wp.writerow([code, p['sd_total'], p['alpha'], p['retest'], p['retest'],
                         f"{err_sd(p):.4f}", f"{p['sd_total'] * math.sqrt(1 - p['alpha']):.4f}"])
            lines.append(check(code, p, truths, rows))
    with open(os.path.join(a.out, 'check.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
