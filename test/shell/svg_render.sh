#!/usr/bin/env bash
# alliance.svg in a real browser.  The charts (the worked series, an SRS
# response trajectory with its cut-off, time keys, edge cases, 100 000
# sessions) are written to files and checked with xmllint; the worked series'
# markers are grepped; headless Chromium renders it to PNG, and the PNG is
# decoded (python3, zlib: no imaging library) and checked: not blank, the red
# rupture markers and the green repair marker where the chart puts them.
# doc/img/worked-series.svg must be the current rendering.
set -u
. "$(dirname "$0")/lib/tap.bash"
root=$(cd "$(dirname "$0")/../.." && pwd)
echo "1..12"
db=alliance_svg_$$
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; psql -XqAt -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT
psql -XqAt -c "CREATE DATABASE $db" >/dev/null
psql -XqAt -d "$db" -c "CREATE EXTENSION alliance" >/dev/null

# one chart per file; psql -At prints the text as it is (plus a newline)
chart() {  # name sql
  psql -XqAt -v ON_ERROR_STOP=1 -d "$db" -c "SET search_path = public, alliance" -c "$2" > "$tmp/$1.svg" 2> "$tmp/$1.err"
}
WORKED="SELECT svg(trajectory(s::int, x::numeric), method => 'stiles') FROM unnest(array[44, 45, 46, 38, 46, 47, 47, 41, 42, 43]) WITH ORDINALITY u(x, s)"
chart worked "$WORKED"
chart srs "SELECT svg(trajectory(s, r), method => 'cutoff') FROM (VALUES (1, 'srs(9.5,9.5,9.5,9.5)'::response), (2, 'srs(9,9,9,9.5)'),
             (3, 'srs(8,8,9,9)'), (4, 'srs(6,7,7,7)'), (5, 'srs(9.1,8.4,7.9,8.8)')) v(s, r)"
chart dates "SELECT svg(trajectory('2024-01-05'::timestamptz + g * interval '1 week', (30 + g % 4 * 2 - g % 3 * 5)::numeric), 800, 300, 'drop')
             FROM generate_series(0, 19) g"
chart edges_one "SELECT svg('int{7=12}'::trajectory, 120, 120, 'stiles')"
chart edges_flat "SELECT svg('int{1=40,2=40,3=40}'::trajectory, method => 'stiles')"
chart edges_empty "SELECT svg('int{}'::trajectory, method => 'stiles')"
chart long "SELECT svg(trajectory(g, (40 + 5 * sin(g / 5000.0))::numeric), method => 'stiles') FROM generate_series(1, 100000) g"

errs=$(cat "$tmp"/*.err)
is "$errs" "" "every chart renders without an error"
bad=''
for f in "$tmp"/*.svg; do
  xmllint --noout "$f" > "$tmp/xmllint.out" 2>&1 || bad+="$(basename "$f"): $(cat "$tmp/xmllint.out")"$'\n'
done
is "$bad" "" "every chart is well-formed XML (xmllint --noout)"
is "$(grep -o 'class="rupture [a-z]*"\|class="repair"' "$tmp/worked.svg" | tr '\n' ' ')" \
   'class="rupture repaired" class="repair" class="rupture open" ' \
   "worked series: a repaired rupture, its repair and an open rupture"
if grep -q '<title>rupture at session 4: 46 &#8594; 38 (drop 8), repaired at 5</title><circle cx="254.8" cy="192"' "$tmp/worked.svg" &&
   grep -q '<title>rupture at session 8: 47 &#8594; 41 (drop 6), open' "$tmp/worked.svg"; then
  ok "worked series: the markers' tooltips and positions"
else notok "worked series: the markers' tooltips and positions" "$(grep -o '<g class="rupture[^>]*><title>[^<]*' "$tmp/worked.svg")"; fi
if grep -q '<line class="cutoff"[^>]*><title>cut-off 36.0</title>' "$tmp/srs.svg" && grep -q 'class="rupture ' "$tmp/srs.svg"; then
  ok "SRS response trajectory: the cut-off line (36.0) and its rupture"
else notok "SRS response trajectory: the cut-off line (36.0) and its rupture" "$(head -3 "$tmp/srs.svg")"; fi
if grep -q '>2024-01-05</text>' "$tmp/dates.svg" && ! grep -q '<script\|href=\| id=' "$tmp"/*.svg; then
  ok "ISO dates on the x axis; no scripts, links or ids in any chart"
else notok "ISO dates on the x axis; no scripts, links or ids in any chart"; fi
size=$(wc -c < "$tmp/long.svg")
if [ "$size" -lt 60000 ]; then ok "100 000 sessions: $size bytes"; else notok "100 000 sessions: $size bytes (over 60000)"; fi
if cmp -s "$tmp/worked.svg" "$root/doc/img/worked-series.svg"; then ok "doc/img/worked-series.svg is the current rendering"
else notok "doc/img/worked-series.svg is the current rendering" "$(diff "$root/doc/img/worked-series.svg" "$tmp/worked.svg" 2>&1 | head -20)"; fi

# ---- a real browser
render() {  # svg png width height
  timeout 90 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --hide-scrollbars --user-data-dir="$tmp/profile" --screenshot="$2" --window-size="$3,$4" "file://$1" \
    > "$tmp/chromium.log" 2>&1
}
# decode an 8-bit RGB(A) PNG with zlib; print facts, or fail
cat > "$tmp/png.py" <<'EOF'
import struct, sys, zlib
def decode(path):
    d = open(path, 'rb').read()
    assert d[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, w = 8, b'', None
    while pos < len(d):
        n, t = struct.unpack('>I4s', d[pos:pos + 8]); body = d[pos + 8:pos + 8 + n]; pos += 12 + n
        if t == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
            bpp = 3 if ctype == 2 else 4
        elif t == b'IDAT':
            idat += body
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)]); prev = line
    return w, h, rows
w, h, rows = decode(sys.argv[1])
px = [p for r in rows for p in r]
nonwhite = sum(1 for p in px if min(p) < 235)
colours = len(set(px))
red = lambda p: p[0] > 150 and p[1] < 90 and p[2] < 90
green = lambda p: p[1] > 110 and p[0] < 110 and p[2] < 110
def near(x, y, test, r=3):
    return any(test(rows[j][i]) for j in range(max(0, y - r), min(h, y + r + 1)) for i in range(max(0, x - r), min(w, x + r + 1)))
print(f"size {w}x{h} nonwhite {nonwhite} colours {colours}")
checks = {'size': (w, h) == (int(sys.argv[2]), int(sys.argv[3])),
          'not blank': nonwhite > 0.01 * w * h and colours >= 8}
if sys.argv[4:] == ['worked']:  # markers where the chart puts them (x, y in svg.h's geometry)
    checks.update({'red at session 4': near(255, 192, red), 'red at session 8': near(482, 149, red),
                   'green at session 5': near(312, 77, green), 'no red at session 1': not near(84, 106, red)})
for k, v in checks.items(): print(k, 'ok' if v else 'FAILED')
sys.exit(0 if all(checks.values()) else 1)
EOF
if ! command -v chromium >/dev/null; then
  for i in 1 2 3 4; do TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # skip chromium is not installed"; done
  exit 0
fi
if render "$tmp/worked.svg" "$tmp/worked.png" 640 240 && [ -s "$tmp/worked.png" ]; then ok "Chromium renders the worked series to PNG"
else notok "Chromium renders the worked series to PNG" "$(tail -5 "$tmp/chromium.log")"; fi
if out=$(python3 "$tmp/png.py" "$tmp/worked.png" 640 240 worked 2>&1); then ok "the PNG is not blank and shows the markers where the chart puts them"
else notok "the PNG is not blank and shows the markers where the chart puts them" "$out"; fi
echo "$out" | sed 's/^/# /'
if render "$tmp/srs.svg" "$tmp/srs.png" 640 240 && python3 "$tmp/png.py" "$tmp/srs.png" 640 240 > "$tmp/srs.png.out" 2>&1
then ok "Chromium renders the SRS chart, not blank"; else notok "Chromium renders the SRS chart, not blank"; fi
if render "$tmp/dates.svg" "$tmp/dates.png" 800 300 && python3 "$tmp/png.py" "$tmp/dates.png" 800 300 > "$tmp/dates.png.out" 2>&1; then ok "Chromium renders the dated chart at 800 x 300, not blank"
else notok "Chromium renders the dated chart at 800 x 300, not blank" "$(tail -5 "$tmp/chromium.log")"; fi
# SVG_RENDER_KEEP=dir keeps the worked series' SVG and PNG (doc/img is made so)
if [ -n "${SVG_RENDER_KEEP:-}" ]; then cp "$tmp"/*.svg "$tmp"/*.png "$SVG_RENDER_KEEP/" 2>/dev/null; cp "$tmp/worked.svg" "$SVG_RENDER_KEEP/worked-series.svg"; cp "$tmp/worked.png" "$SVG_RENDER_KEEP/worked-series.png"; fi
