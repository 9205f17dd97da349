#!/usr/bin/env bash
# alliance.alpha against R's psych::alpha, computed at test time: R writes
# the responses (psychTools' bfi, R's attitude) and psych's raw_alpha into a
# temporary directory (test/r/psych_alpha.R); nothing of those data sets is
# kept in the repository.  Agreement to 1e-9 on every case, and the values
# printed in psychTools' overview vignette for attitude: 0.84 and 0.18.
# R is a test dependency (test/deps.sh): without it this test fails.
set -u
. "$(dirname "$0")/lib/tap.bash"
echo "1..14"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); db=alliance_psych_$$
trap 'psql -XqAt -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
q() { psql -XqAt -v ON_ERROR_STOP=1 -d "$db" "$@" 2>&1; }

if ! command -v Rscript >/dev/null 2>&1; then
  notok "Rscript runs test/r/psych_alpha.R" "Rscript not found: install r-base-core r-cran-psych r-cran-psychtools (test/deps.sh; make test does as root)"
else
  check "Rscript runs test/r/psych_alpha.R (psych::alpha on psychTools' bfi and R's attitude)" \
    Rscript "$here/../r/psych_alpha.R" "$tmp"
fi
# name -> "n value" as R wrote them
ref() { awk -F, -v k="$1" '$1 == k { print $2 " " $3 }' "$tmp/psych.csv" 2>/dev/null; }

psql -XqAt -c "CREATE DATABASE $db" >/dev/null
check "the responses load with \\copy" q \
  -c "CREATE EXTENSION alliance" \
  -c "SELECT alliance.define_instrument('rep_attitude', 'attitude survey (R datasets::attitude)', 7, 0, 100)" \
  -c "SELECT alliance.define_instrument('rep_attitude_r', 'attitude survey, complaints and critical reversed', 7, 0, 100,
        reversed => '{2,6}', scales => '{\"positive\": [1,3,4,5,7], \"negative\": [2,6]}')" \
  -c "CREATE TABLE haq2 (r alliance.response(haq2))" -c "\\copy haq2 FROM '$tmp/haq2.txt'" \
  -c "CREATE TABLE arm5 (r alliance.response(arm5))" -c "\\copy arm5 FROM '$tmp/arm5.txt'" \
  -c "CREATE TABLE attitude_raw (rating int, complaints int, privileges int, learning int, raises int, critical int, advance int)" \
  -c "\\copy attitude_raw FROM '$tmp/attitude.csv' WITH (FORMAT csv)" \
  -c "CREATE TABLE att AS SELECT alliance.response('rep_attitude', a) AS r, alliance.response('rep_attitude_r', a) AS rr
        FROM (SELECT ARRAY[rating, complaints, privileges, learning, raises, critical, advance] a FROM attitude_raw) x" \
  -c "CREATE TABLE psych (name text, n bigint, value numeric)" \
  -c "\\copy psych FROM '$tmp/psych.csv' WITH (FORMAT csv)"

# one case: its name in psych.csv, and the query giving (n, alliance's alpha)
agree() {
  local name=$1 sql=$2 what=$3 r; r=$(ref "$name")
  is "$(q -c "SELECT a.n = p.n, abs(a.v - p.value) < 1e-9, abs(a.v - p.value) < 1e-14
              FROM psych p, ($sql) a(n, v) WHERE p.name = '$name'")" "t|t|t" \
     "$what: n = ${r% *} as in R, |alliance.alpha - psych raw_alpha ${r#* }| < 1e-9 (and < 1e-14)"
}
agree haq2 "SELECT count(*), alliance.alpha(r) FROM haq2" \
  "bfi as haq2 (19 items, 5 reversed)"
agree arm5 "SELECT count(*), alliance.alpha(r) FROM arm5" \
  "bfi agreeableness as arm5 (A1 reversed)"
agree arm5_partnership "SELECT count(*), alliance.alpha(r, 'partnership') FROM arm5" \
  "bfi A3, A1 as arm5 subscale partnership"
is "$(q -c "SELECT round(alliance.alpha(r), 2) FROM arm5")" "0.70" "bfi agreeableness alpha to two decimals: 0.70"
is "$(q -c "SELECT (x.nm).n = p.n, (x.nm).alpha = x.a, abs((x.nm).sd - p.value) < 1e-12
            FROM psych p, (SELECT alliance.norms(r), alliance.alpha(r) FROM arm5) x(nm, a)
            WHERE p.name = 'arm5_total_sd'")" "t|t|t" \
   "norms of bfi as arm5: n as R, alpha = alpha(r), sd = R's sd of the keyed totals (< 1e-12)"
agree attitude "SELECT count(*), alliance.alpha(r) FROM att" \
  "attitude as a custom 7-item 0-100 form"
agree attitude_reversed "SELECT count(*), alliance.alpha(rr) FROM att" \
  "attitude with items 2 and 6 (complaints, critical) reversed"
agree attitude_positive "SELECT count(*), alliance.alpha(rr, 'positive') FROM att" \
  "attitude, custom subscale positive (items 1, 3, 4, 5, 7)"
agree attitude_negative "SELECT count(*), alliance.alpha(rr, 'negative') FROM att" \
  "attitude, custom subscale negative (items 2 and 6, reversed)"
is "$(q -c "SELECT round(alliance.alpha(r), 2), round(alliance.alpha(rr), 2) FROM att")" "0.84|0.18" \
   "the published values (psychTools' overview vignette): alpha(attitude) 0.84, with complaints and critical reversed 0.18"
is "$(q -c "SELECT (alliance.summary(r)).n, (alliance.summary(r)).mean = avg(alliance.score(r)),
                   (alliance.summary(r)).sd = stddev_samp(alliance.score(r)) FROM att")" "30|t|t" \
   "summary of attitude: n 30, mean = avg(score), sd = stddev_samp(score)"
is "$(q -c "SELECT count(*) FROM psych")" "8" "R wrote all 8 reference values"
