# Scenario tests of the planning page GET /plan against a real server
# (tests/cli/api_lib.sh). Expected values: the same Hanoi model as
# `motcua plan hanoi` (its JSON is the oracle for today's 30 points), the
# issue's "Command line and pages" section (SVG map of the 126 communes,
# points with circles, a GET form: radius 0.5..50 km, minutes 5..180,
# p 1..200, model today|lscp|mclp, seed; bad input answers 400 with the
# message next to the field and the values kept), and the web rules (no
# inline style or script, public page, accessible SVG, page under 300 KB).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
# The page reads the copies of data/'s files built into the binary: the server's
# working directory ($_tmp) has no data/.
api_start

# The first requests arrive together: the model is built once (pthread_once)
# while the others wait; today's points need no solver, so they all answer
# 200 with the same figures; solver runs beyond the limit may answer 503.
pids=""
for i in 1 2 3 4; do
	curl -s -m 120 -o "$_tmp/par$i" -w '%{http_code}' "$BASE/plan" >"$_tmp/par$i.status" &
	pids="$pids $!"
done
for i in 5 6 7; do
	curl -s -m 120 -o "$_tmp/par$i" -w '%{http_code}' "$BASE/plan?model=mclp&p=$((i * 5))&seed=$i" >"$_tmp/par$i.status" &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
ok "4 first requests at once for today's points: all 200" eq "$(cat "$_tmp"/par[1-4].status)" "200200200200"
ok "they show the same figures" sh -c 'for i in 2 3 4; do [ "$(grep -o "data-share=\"[0-9.]*\"" "$1/par1")" = "$(grep -o "data-share=\"[0-9.]*\"" "$1/par$i")" ] || exit 1; done' _ "$_tmp"
ok "solver runs at the same time answer 200 or 503 busy" sh -c 'for i in 5 6 7; do case "$(cat "$1/par$i.status")" in 200) ;; 503) grep -q "busy" "$1/par$i" || exit 1 ;; *) exit 1 ;; esac; done' _ "$_tmp"

# The oracle: the command line's report with the same defaults (5 km, 30 min, p 30).
"$MOTCUA" plan hanoi --data "$TOP/data" >"$_tmp/hanoi.json" 2>"$_tmp/hanoi.err"
cli_rc=$?
ok "motcua plan hanoi runs" eq "$cli_rc" 0
hj() {
	python3 -c "import json,sys; j=json.load(open(sys.argv[1])); v=($1); print(v)" "$_tmp/hanoi.json" 2>/dev/null
}

# attr ID NAME: the value of attribute NAME of the element with id ID in $out
attr() {
	printf '%s' "$out" | python3 -c '
import re, sys
m = re.search(r"<[a-z]+ [^>]*id=\"%s\"[^>]*>" % re.escape(sys.argv[1]), sys.stdin.read())
a = re.search(r"\b%s=\"([^\"]*)\"" % re.escape(sys.argv[2]), m.group(0)) if m else None
print(a.group(1) if a else "")' "$1" "$2"
}

# near A B: two shares equal to the 6 decimals the page gives
near() {
	python3 -c 'import sys; sys.exit(0 if abs(float(sys.argv[1]) - float(sys.argv[2])) < 1e-6 else 1)' "$1" "$2" 2>/dev/null
}

# ge A B: A >= B (numbers)
ge() {
	python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) - 1e-9 else 1)' "$1" "$2" 2>/dev/null
}

# count PATTERN: occurrences of a fixed string in $out
count() {
	printf '%s' "$out" | grep -oF -- "$1" | wc -l | tr -d ' '
}

# the text of the element with id ID (one line, tags removed)
text_of() {
	printf '%s' "$out" | python3 -c '
import re, sys
s = sys.stdin.read()
m = re.search(r"<([a-z0-9]+) [^>]*id=\"%s\"[^>]*>(.*?)</\1>" % re.escape(sys.argv[1]), s, re.S)
print(re.sub(r"<[^>]+>", "", m.group(2)) if m else "")' "$1"
}

# the first column of the rows of the table with id ID (names of the worst communes)
row_heads() {
	printf '%s' "$out" | python3 -c '
import re, sys
s = sys.stdin.read()
m = re.search(r"<table id=\"%s\".*?</table>" % re.escape(sys.argv[1]), s, re.S)
rows = re.findall(r"<tr><th scope=\"row\">([^<]*)</th>", m.group(0)) if m else []
print("|".join(rows))' "$1"
}

svg_part() {
	printf '%s' "$out" | python3 -c '
import re, sys
m = re.search(r"<svg .*?</svg>", sys.stdin.read(), re.S)
print(m.group(0) if m else "")'
}

# ---- the default page: today's 30 points ----
web_get anon /plan
ok "GET /plan without logging in: 200 HTML" eq "$status" 200
ok "a content security policy" sh -c 'printf "%s" "$1" | grep -qi "^content-security-policy: default-src '"'"'none'"'"'"' _ "$hdrs"
ok "scenario today with 30 points" eq "$(attr plan-model data-model) $(attr plan-points data-count)" "today 30"
ok "share within 5 km = motcua plan hanoi today.within_radius" \
	near "$(attr share-radius data-share)" "$(hj 'j["today"]["within_radius"]["share"]')"
ok "share within 30 minutes = today.within_minutes" \
	near "$(attr share-minutes data-share)" "$(hj 'j["today"]["within_minutes"]["share"]')"
ok "share within either = today.within_either" \
	near "$(attr share-either data-share)" "$(hj 'j["today"]["within_either"]["share"]')"
pop=$(hj '"{:,}".format(j["today"]["within_radius"]["population"]).replace(",", ".")')
ok "the population within 5 km as the report counts it ($pop)" has "\"share-radius\" data-share=\"$(attr share-radius data-share)\">${pop:-none} người ("
ok "the worst-served communes in the report's order" \
	eq "$(row_heads plan-worst)" "$(hj '"|".join(w["name"] for w in j["today"]["worst_communes"])')"
ok "communes wholly within 5 km as the report counts them" \
	has "<dd>$(hj 'j["today"]["communes_fully_within_radius"]') / 126</dd>"
ok "the limit by area is stated" sh -c 'printf "%s" "$1" | grep -q "id=\"plan-limit\">30 vòng tròn bán kính 5 km phủ tối đa 2.356 km²"' _ "$out"
svg=$(svg_part)
ok "the SVG map is there, with role img" contains "$svg" 'role="img" aria-labelledby="plan-map-title plan-map-desc"'
ok "the SVG has a title and a description" sh -c 'printf "%s" "$1" | grep -q "<title id=\"plan-map-title\">" && printf "%s" "$1" | grep -q "<desc id=\"plan-map-desc\">126 xã, phường"' _ "$svg"
ok "126 commune paths" eq "$(printf '%s' "$svg" | grep -oF '<path d="M' | wc -l | tr -d ' ')" 126
ok "every commune is in a distance class" eq "$(printf '%s' "$svg" | grep -oE '<path d="[^"]*" class="pd[0-3]"' | wc -l | tr -d ' ')" 126
ok "30 circles of 5 km (r = 200 map units of 25 m)" eq "$(printf '%s' "$svg" | grep -oF 'r="200"/>' | wc -l | tr -d ' ')" 30
ok "30 markers of today's points" eq "$(printf '%s' "$svg" | grep -oF '<circle class="today"' | wc -l | tr -d ' ')" 30
ok "the SVG scales with its viewBox" contains "$svg" 'viewBox="0 0 '
ok "the legend has four classes" eq "$(count 'class="swatch pd')" 4
ok "30 rows in the table of points" eq "$(printf '%s' "$out" | python3 -c '
import re, sys
m = re.search(r"<table id=\"plan-sites\".*?</table>", sys.stdin.read(), re.S)
print(len(re.findall(r"<tr><th scope=\"row\">", m.group(0))) if m else -1)')" 30
ok "the points are named from units.csv" has "Điểm tiếp nhận"
ok "126 rows in the table of all communes" eq "$(printf '%s' "$out" | python3 -c '
import re, sys
m = re.search(r"<table id=\"plan-all\".*?</table>", sys.stdin.read(), re.S)
print(len(re.findall(r"<tr><th scope=\"row\">", m.group(0))) if m else -1)')" 126
ok "no inline style attribute, no style element" sh -c '! printf "%s" "$1" | grep -qi -e " style=" -e "<style"' _ "$out"
ok "no inline script" sh -c '[ "$(printf "%s" "$1" | grep -o "<script[^>]*>" | grep -vc " src=")" = 0 ]' _ "$out"
size=$(printf '%s' "$out" | wc -c | tr -d ' ')
ok "the page is under 300 KB ($size bytes)" test "$size" -lt 307200
ok "the form is a GET form with every field" sh -c 'for f in model by radius minutes p seed; do printf "%s" "$1" | grep -q "name=\"$f\"" || exit 1; done; printf "%s" "$1" | grep -q "<form method=\"get\" action=\"/plan\" id=\"plan-form\""' _ "$out"

# English: a decimal point and the same figures
web_get anon /plan -H 'Cookie: lang=en'
ok "in English: the share with a decimal point" sh -c 'printf "%s" "$1" | grep -q "people (66\.0 %)"' _ "$out"

# ---- scenarios ----
web_get anon '/plan?model=mclp&p=30&radius=5&minutes=30&seed=1'
ok "MCLP p = 30: 200, 30 points" eq "$status $(attr plan-points data-count)" "200 30"
s30=$(attr share-radius data-share)
ok "MCLP p = 30 covers at least as many as today's 30 points" ge "$s30" "$(hj 'j["today"]["within_radius"]["share"]')"
ok "MCLP p = 30 stays under the report's upper bound" ge "$(hj 'j["best_radius"]["upper_bound"]/j["demand"]["population"]')" "$s30"
sites30=$(row_heads plan-sites)
web_get anon '/plan?model=mclp&p=30&radius=5&minutes=30&seed=1'
ok "the same scenario again gives the same points (cache or not)" eq "$(row_heads plan-sites)" "$sites30"
web_get anon '/plan?model=mclp&p=40&radius=5&minutes=30&seed=1'
ok "MCLP p = 40: 200, 40 points, 40 circles" eq "$status $(attr plan-points data-count) $(svg_part | grep -oF 'r="200"/>' | wc -l | tr -d ' ')" "200 40 40"
ok "p = 40 covers at least as much as p = 30" ge "$(attr share-radius data-share)" "$s30"
web_get anon '/plan?model=lscp&radius=5'
ok "LSCP 5 km: 200 and everyone within 5 km" eq "$status $(attr share-radius data-share)" "200 1.000000"
ok "LSCP uses no fewer points than the report's lower bound" ge "$(attr plan-points data-count)" "$(hj 'j["fewest_radius"]["lower_bound"]')"
web_get anon '/plan?model=mclp&by=min&p=30'
ok "MCLP by 30 minutes: at least today's share within 30 minutes" ge "$(attr share-minutes data-share)" "$(hj 'j["today"]["within_minutes"]["share"]')"
web_get anon '/plan?radius=2,5'
ok "a decimal comma is accepted: 200, circles of 2.5 km (100 units)" eq "$status $(svg_part | grep -oF 'r="100"/>' | wc -l | tr -d ' ')" "200 30"
ok "a smaller radius covers less" ge "$s30" "$(attr share-radius data-share)"

# ---- bad input: 400, messages next to the fields, values kept ----
web_get anon '/plan?model=mclp&radius=0.1&minutes=30&p=abc&seed=7'
ok "radius 0.1 and p abc: 400" eq "$status" 400
ok "the form errors box" has 'class="form-errors" role="alert"'
ok "the radius message next to the field" has '<p class="field-error" id="e-radius">Nhập một số từ 0,5 đến 50 (km).</p>'
ok "the p message next to the field" has '<p class="field-error" id="e-p">Nhập một số nguyên từ 1 đến 200.</p>'
ok "the values typed are kept" sh -c 'printf "%s" "$1" | grep -q "name=\"radius\" type=\"text\" value=\"0.1\"" && printf "%s" "$1" | grep -q "name=\"p\" type=\"text\" value=\"abc\"" && printf "%s" "$1" | grep -q "name=\"seed\" type=\"text\" value=\"7\"" && printf "%s" "$1" | grep -q "<option value=\"mclp\" selected>"' _ "$out"
ok "the fields are marked invalid" eq "$(count 'aria-invalid="true"')" 2
ok "no results and no map on a bad scenario" sh -c '! printf "%s" "$1" | grep -q -e "<svg" -e "id=\"plan-results\""' _ "$out"
for q in radius=51 radius=0.49 radius=1e1 minutes=4 minutes=181 p=0 p=201 p=2.5 seed=-1 seed=2147483648 model=pmedian by=hours; do
	web_get anon "/plan?$q"
	[ "$status" = 400 ] || break
done
ok "out-of-range or unknown values answer 400 (last tried: $q)" eq "$status" 400
web_get anon "/plan?radius=50&minutes=180&p=200&seed=2147483647"
ok "the bounds themselves are accepted" eq "$status" 200
web_get anon "/plan?radius=$(enc '<script>alert(1)</script>')"
ok "markup typed into a field comes back escaped" sh -c '[ "$2" = 400 ] && printf "%s" "$1" | grep -qF "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"" && ! printf "%s" "$1" | grep -qF "<script>alert(1)"' _ "$out" "$status"

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
ok "no sanitizer report in the server's log" sh -c '! grep -q -e "runtime error" -e "Sanitizer" "$1"' _ "$_tmp/serve.err"

done_testing
