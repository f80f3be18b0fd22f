# Scenario tests of the agency inbox pages (web_inbox.c) against a real server
# whose clock is moved (allow_clock_override + MOTCUA_NOW; restarted at each
# instant): /inbox with its filters view=mine|agency, state=, due=soon (within
# 8 working hours, late ones included), overdue=1, pagination, and
# /inbox/signoff for approvers; who may see which dossiers (docs/lifecycle.md
# section 3: specialists and approvers of the competent unit), escaping, and
# no personal data but the applicant's name.
# Calendar facts (docs/calendar.md, data/holidays.csv): Wed 27 and Thu 28
# August 2025 are working days, office hours 08:00-12:00, 13:00-17:00.
# data/procedures.csv: 1.001193 is due the same day at 17:00 (received
# before the 15:00 cut-off); 1.004873 takes 3 working days (due Wed 3/9
# 17:00 when received on 27/8, Mon 1 and Tue 2/9 being days off) and needs
# a sign-off.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true

api_init
user_add off.a officer CN01
user_add spec.b specialist UBND-00070
user_add spec.b2 specialist UBND-00070
user_add appr.b approver UBND-00070
user_add spec.x specialist UBND-00082
user_add leader1 leader ""
token() { "$MOTCUA" user token "$1" --label inbox | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
at() { # at INSTANT: (re)start the server with its clock fixed at INSTANT
	[ -n "${_pid:-}" ] && api_stop
	export MOTCUA_NOW="$1"
	api_start
}
# ids IN THE LAST PAGE: the dossier ids linked from the table, in order
ids() {
	printf '%s' "$out" | python3 -c '
import re, sys
h = sys.stdin.read()
t = h[h.find("<table"):h.find("</table>")] if "<table" in h else ""
print(" ".join(re.findall(r"href=\"/dossiers/([0-9a-f]+)\"", t)))'
}
# row_class ID: the class of the table row of that dossier
row_class() {
	printf '%s' "$out" | python3 -c '
import re, sys
h = sys.stdin.read()
m = re.search(r"<tr( class=\"([^\"]*)\")?><td[^>]*><a href=\"/dossiers/" + sys.argv[1], h)
print(m.group(2) or "" if m else "missing")' "$1"
}

at 2025-08-27T09:00
offa=$(token off.a)
specb=$(token spec.b)
apprb=$(token appr.b)
comps() { call GET "/api/v1/procedures/$1"; jget '[c["seq"] for c in j["components"] if c["required"]]'; }
c_same=$(comps 1.001193)
c_sign=$(comps 1.004873)
intake() { # intake PROCEDURE COMPONENTS NAME ID_NUMBER: prints the new dossier's id
	_body=$(python3 -c 'import json,sys; print(json.dumps({"procedure":sys.argv[1],"applicant":{"kind":"person","full_name":sys.argv[3],"id_number":sys.argv[4],"phone":"0912000111"},"residence_commune":"00070","components":json.loads(sys.argv[2]),"collection_unit":"CN01"}))' "$1" "$2" "$3" "$4")
	as "$offa" POST /api/v1/dossiers "$_body"
	[ "$status" = 201 ] || echo "# intake failed: $status $out" >&2
	jget 'j["id"]'
}
d1=$(intake 1.001193 "$c_same" "Nguyễn Văn Một" 001090011111)
d2=$(intake 1.004873 "$c_sign" "Trần Thị Hai" 001190022222)
d3=$(intake 1.004873 "$c_sign" "Lê Văn Ba" 001090033333)
d4=$(intake 1.004873 "$c_sign" "<script>alert(1)</script>" 001090044444)
ok "four dossiers received at branch CN01 for the commune UBND-00070" sh -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] && [ -n "$4" ]' _ "$d1" "$d2" "$d3" "$d4"
as "$specb" POST "/api/v1/dossiers/$d1/take" '{"version":1}'
as "$specb" POST "/api/v1/dossiers/$d2/take" '{"version":1}'
as "$specb" POST "/api/v1/dossiers/$d2/submit_signoff" '{"version":2}'
ok "spec.b holds D1 and D2; D2 awaits sign-off" eq "$status $(jget 'j["state"]')" "200 awaiting_signoff"

# ---- who may open the inbox ----
web_get anon /inbox
ok "anonymous: 303 to the login page, coming back afterwards" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "^Location: /login?next=%2Finbox"' _ "$status" "$hdrs"
web_login off off.a
web_get off /inbox
ok "an officer: 403" eq "$status" 403
web_login lead leader1
web_get lead /inbox
ok "a leader: 403 (leaders have the overview)" eq "$status" 403

# ---- the agency's list ----
web_login b spec.b
web_get b /inbox
ok "spec.b: 200 with the four dossiers of the agency" eq "$status $(ids | wc -w)" "200 4"
ok "the most urgent first (D1 is due today)" eq "$(ids | cut -d' ' -f1)" "$d1"
ok "rows link to the dossier pages" has "href=\"/dossiers/$d3\""
ok "the count says 4" has "4 hồ sơ"
ok "an applicant's name is text, never markup" eval 'has "&lt;script&gt;alert(1)&lt;/script&gt;" && ! has "<script>alert(1)"'
ok "no ID number or phone in the list" eval '! has 001090011111 && ! has 001090044444 && ! has 0912000111'
ok "states are labelled" eval 'has "Chờ lãnh đạo phê duyệt" && has "Đang giải quyết" && has "Đã tiếp nhận"'
ok "the filters form: GET, labelled fields" eval 'has "<form method=\"get\" action=\"/inbox\"" && has "for=\"f-view\"" && has "for=\"f-state\"" && has "for=\"f-due\""'
ok "Content-Security-Policy and no inline style" eval 'printf "%s" "$hdrs" | grep -q "^Content-Security-Policy: default-src '"'none'"'" && ! has "style="'
ok "the holder column: you or nobody" eval 'has "Bạn" && has "Chưa phân công"'

web_get b "/inbox?view=mine"
ok "view=mine: the two spec.b holds" eq "$(ids)" "$d1 $d2"
web_get b "/inbox?state=received"
ok "state=received: D3 and D4" eq "$(ids | tr ' ' '\n' | sort | tr '\n' ' ')" "$(printf '%s\n%s\n' "$d3" "$d4" | sort | tr '\n' ' ')"
ok "the filter is shown as chosen" has '<option value="received" selected>'
web_get b "/inbox?view=mine&state=received"
ok "mine and received: none, and says so" eval 'has "Không có hồ sơ nào khớp bộ lọc" && [ -z "$(ids)" ]'
web_login b2 spec.b2
web_get b2 "/inbox?view=mine"
ok "spec.b2 holds nothing" eval '[ "$status" = 200 ] && has "inbox-empty"'
web_get b2 /inbox
ok "but sees the agency's four" eq "$(ids | wc -w)" 4

# another commune's specialist sees none of them
web_login x spec.x
web_get x /inbox
ok "spec.x of UBND-00082: 200, none of UBND-00070's dossiers" eval '[ "$status" = 200 ] && ! has "$d1" && ! has "$d3" && ! has "Nguyễn Văn Một"'
web_get x "/inbox?view=mine"
ok "and none in its own list" eq "$(ids)" ""

# ---- bad filters ----
web_get b "/inbox?view=all"
ok "view=all: 400" eq "$status" 400
web_get b "/inbox?due=tomorrow"
ok "due=tomorrow: 400" eq "$status" 400
web_get b "/inbox?overdue=yes"
ok "overdue=yes: 400" eq "$status" 400
web_get b "/inbox?state=sleeping"
ok "an unknown state: 400 with the registry's message" eval '[ "$status" = 400 ] && has "unknown_state"'
web_get b "/inbox?page=0"
ok "page=0: 400" eq "$status" 400
web_get b "/inbox?state=%3Cscript%3E"
ok "a state with markup comes back as text" eval '[ "$status" = 400 ] && ! has "<script>"'

# ---- sign-off queue ----
web_login appr appr.b
web_get appr /inbox/signoff
ok "appr.b: the sign-off queue holds D2 only" eq "$status $(ids)" "200 $d2"
ok "with its link among the lists" has 'href="/inbox/signoff" aria-current="page"'
web_get b /inbox/signoff
ok "a specialist has no sign-off queue: 403" eq "$status" 403
web_get b /inbox
ok "and no link to it" eval '! has "/inbox/signoff"'
as "$apprb" POST "/api/v1/dossiers/$d2/sign_off" '{"version":3}'
web_get appr /inbox/signoff
ok "once signed off, the queue is empty" eval 'has "Không có hồ sơ nào chờ ký duyệt" && [ -z "$(ids)" ]'

# ---- due soon and late: 16:00, D1 (due 17:00) has one working hour left ----
at 2025-08-27T16:00
web_login b spec.b
web_get b "/inbox?due=soon"
ok "16:00, due=soon: D1 only" eq "$status $(ids)" "200 $d1"
ok "marked due-soon in colour and in words" eval '[ "$(row_class "$d1")" = due-soon ] && has "Sắp đến hạn: còn 1 giờ"'
web_get b "/inbox?overdue=1"
ok "16:00, overdue=1: nothing yet" eval '[ -z "$(ids)" ] && has "Không có hồ sơ nào khớp bộ lọc"'
web_get b /inbox
ok "the others are not marked" eq "$(row_class "$d3")" ""

at 2025-08-28T09:00
web_login b spec.b
web_get b "/inbox?overdue=1"
ok "next day 09:00, overdue=1: D1, late by one working hour" eval '[ "$(ids)" = "$d1" ] && [ "$(row_class "$d1")" = due-late ] && has "quá hạn 1 giờ"'
web_get b "/inbox?due=soon"
ok "due=soon includes the late one" eq "$(ids)" "$d1"
web_get b "/inbox?view=mine&overdue=1"
ok "filters combine: mine and late" eq "$(ids)" "$d1"

# ---- English ----
web_get b "/lang?to=en&back=%2Finbox"
web_get b /inbox
ok "in English: heading and late words" eval 'has "<h1>Inbox</h1>" && has "late by 1 h"'
web_get b "/lang?to=vi&back=%2Finbox"

# ---- pages: 50 to a page ----
_many=$(python3 -c 'import json,sys; print(json.dumps({"procedure":"1.004873","applicant":{"kind":"person","full_name":"Người nộp","id_number":"001090055555"},"residence_commune":"00070","components":json.loads(sys.argv[1]),"collection_unit":"CN01"}))' "$c_sign")
i=0
n=0
while [ $i -lt 49 ]; do
	as "$offa" POST /api/v1/dossiers "$_many"
	[ "$status" = 201 ] && n=$((n + 1))
	i=$((i + 1))
done
ok "49 more received" eq "$n" 49
web_get b /inbox
ok "53 dossiers: the first page holds 50" eq "$(ids | wc -w)" 50
ok "with the count, the range and a link to page 2" eval 'has "53 hồ sơ · đang xem 1–50" && has "href=\"/inbox?page=2\""'
ok "a full page stays under 100 KB" sh -c '[ "$(printf "%s" "$1" | wc -c)" -lt 102400 ]' _ "$out"
web_get b "/inbox?page=2"
ok "page 2 holds the other 3, with a link back" eval '[ "$(ids | wc -w)" = 3 ] && has "href=\"/inbox\" rel=\"prev\""'
web_get b "/inbox?state=received&page=2"
ok "51 received: page 2 holds one; the filters stay in the page links" eval '[ "$(ids | wc -w)" = 1 ] && has "href=\"/inbox?state=received\" rel=\"prev\""'
web_get b "/inbox?page=9"
ok "past the end: an empty page, not an error" eval '[ "$status" = 200 ] && [ -z "$(ids)" ]'

api_stop
ok "SIGTERM stops the server (exit 0)" eq "$rc" 0
done_testing
