# Scenario test of stored files against a real server (tests/cli/api_lib.sh;
# docs/documents.md "Files", docs/api.md):
#   - uploads of scans (multipart/form-data with curl -F) round-trip: the
#     bytes and the SHA-256 that come back are those sent;
#   - the type is decided by content: a renamed executable is refused (415)
#     and nothing is kept;
#   - a file over file_max_bytes is refused (413) without filling the disk,
#     whether the client announces it (Expect: 100-continue) or streams it;
#     the dossier's quota (dossier_files_max_bytes) holds too;
#   - file names are display-only: path tricks are harmless;
#   - the same bytes twice are stored once (deduplicated);
#   - downloads: the owner and the staff in scope may; another citizen,
#     a specialist of another agency, an anonymous visitor may not; results
#     through the public look-up's secret; staff reads are audited;
#   - the electronic result: stored by the competent agency once it exists,
#     listed for the citizen, counted as issued electronically;
#   - reuse: a file of an earlier dossier of the same person satisfies a
#     component of a new one, recorded; not across persons;
#   - a 20 MB upload keeps the server's memory far below the file's size
#     (VmHWM of the server process: streamed, never buffered);
#   - the database store (file_store=database): chunks in the database and no
#     file on disk; the same test runs on PostgreSQL (make test-pg).
# Dates: Wed 27/8/2025 is a working day (data/holidays.csv). Procedure
# 1.004873: 3 working days, with a sign-off step (data/procedures.csv).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true
export MOTCUA_NOW=2025-08-27T09:00

api_init
user_add off.a officer CN01
user_add spec.b specialist UBND-00070
user_add appr.b approver UBND-00070
user_add spec.x specialist UBND-00082
api_start
token() { "$MOTCUA" user token "$1" --label files | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
offa=$(token off.a)
specb=$(token spec.b)
apprb=$(token appr.b)
specx=$(token spec.x)
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001090012345","full_name":"Nguyễn Văn Đức","phone":"0912345678","password":"Mot-cua-2025-secret"}'
duc_id=$(jget 'j["id"]')
call POST /api/v1/accounts '{"kind":"citizen","id_number":"001190054321","full_name":"Trần Thị Hoa","phone":"0987654321","password":"Mot-cua-2025-secret"}'
hoa_id=$(jget 'j["id"]')
duc=$(login 001090012345)
hoa=$(login 001190054321)
form() { # form NAME ID_NUMBER OWNER_ID
	printf '{"procedure":"1.004873","applicant":{"kind":"person","full_name":"%s","id_number":"%s","birth_date":"1990-05-01","phone":"0912345678","address":"12 Hàng Bạc, Hoàn Kiếm"},"residence_commune":"00070","components":[1,2,3],"collection_unit":"CN03","owner_account":"%s"}' "$1" "$2" "$3"
}
as "$offa" POST /api/v1/dossiers "$(form 'Nguyễn Văn Đức' 001090012345 "$duc_id")"
ok "dossier A received" eq "$status" 201
a_id=$(jget 'j["id"]')
a_code=$(jget 'j["code"]')
FILES="$_tmp/var/files"

# upload TOKEN DOSSIER FILE [CURL ARGS...]: POST a file as multipart/form-data
upload() {
	_t=$1
	_d=$2
	_f=$3
	shift 3
	as "$_t" POST "/api/v1/dossiers/$_d/files" -F "file=@$_f" "$@"
}
# fetch TOKEN PATH FILE: GET into FILE; $status, $hdrs
fetch() {
	if [ -n "$1" ]; then
		curl -s -m 60 -o "$3" -D "$_tmp/hdrs" -w '%{http_code}' -H "Authorization: Bearer $1" "$BASE$2" >"$_tmp/status"
	else
		curl -s -m 60 -o "$3" -D "$_tmp/hdrs" -w '%{http_code}' "$BASE$2" >"$_tmp/status"
	fi
	status=$(cat "$_tmp/status")
	hdrs=$(tr -d '\r' <"$_tmp/hdrs")
	out=$(head -c 2000 "$3" | tr -d '\000')
}
header() { printf '%s\n' "$hdrs" | sed -n "s/^$1: //Ip" | head -n 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
blobs() { find "$FILES" -path "$FILES/tmp" -prune -o -type f -print 2>/dev/null | wc -l; }
tmps() { find "$FILES/tmp" -type f 2>/dev/null | wc -l; }
links() { sql "SELECT count(*) FROM dossier_file"; }

# a small PDF (any bytes after the signature: the type is decided by the first bytes)
python3 -c 'import os,sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + os.urandom(70000) + b"\n%%EOF\n")' >"$_tmp/scan.pdf"
upload "$offa" "$a_id" "$_tmp/scan.pdf;filename=../../etc/passwd;type=text/plain" -F kind=component -F component=1
ok "an officer uploads a scan of component 1: 201" eq "$status" 201
f1=$(jget 'j["id"]')
ok "its SHA-256 is that of the bytes sent" eq "$(jget 'j["sha256"]')" "$(sha "$_tmp/scan.pdf")"
ok "its type comes from the content, not the declared text/plain" eq "$(jget 'j["media_type"]')" application/pdf
ok "a path trick in the name is only a display name: 'passwd'" eq "$(jget 'j["filename"]')" passwd
ok "nothing was written outside files_dir" sh -c '[ ! -e "$1/etc/passwd" ] && [ ! -e "$1/var/etc/passwd" ] && [ ! -e "$1/var/files/etc" ]' _ "$_tmp"
ok "the bytes are stored under files_dir by their hash" test -f "$FILES/$(sha "$_tmp/scan.pdf" | cut -c1-2)/$(sha "$_tmp/scan.pdf" | cut -c3-)"
ok "and no temporary file is left" eq "$(tmps)" 0

fetch "$offa" "/api/v1/dossiers/$a_id/files/$f1" "$_tmp/back.pdf"
ok "download: 200" eq "$status" 200
ok "the same bytes come back" cmp -s "$_tmp/scan.pdf" "$_tmp/back.pdf"
ok "Content-Type application/pdf" eq "$(header Content-Type)" application/pdf
ok "Content-Disposition attachment with the display name" eq "$(header Content-Disposition)" "attachment; filename=\"passwd\"; filename*=UTF-8''passwd"
ok "X-Content-Type-Options: nosniff" eq "$(header X-Content-Type-Options)" nosniff
ok "X-Content-SHA256 is the hash" eq "$(header X-Content-SHA256)" "$(sha "$_tmp/scan.pdf")"

upload "$offa" "$a_id" "$_tmp/scan.pdf;filename=\"Tờ khai <mới>.pdf\"" -F kind=component -F component=1
ok "a Vietnamese name with '<' '>': 201, kept as the display name 'Tờ khai _mới_.pdf'" eq "$status $(jget 'j["filename"]')" "201 Tờ khai _mới_.pdf"
f1b=$(jget 'j["id"]')
fetch "$offa" "/api/v1/dossiers/$a_id/files/$f1b" "$_tmp/back2.pdf"
ok "its Content-Disposition has an ASCII fallback and the UTF-8 name encoded" contains "$(header Content-Disposition)" "attachment; filename=\"T_ khai _m_i_.pdf\"; filename*=UTF-8''T%E1%BB%9D%20khai%20_m%E1%BB%9Bi_.pdf"
ok "the same bytes twice are stored once (one stored_file row, one file on disk)" sh -c '[ "$1" = 1 ] && [ "$2" = 1 ]' _ "$(sql "SELECT count(*) FROM stored_file")" "$(blobs)"

# ---- refused types and sizes ----
cp /bin/ls "$_tmp/setup.pdf"
before=$(links)
upload "$offa" "$a_id" "$_tmp/setup.pdf;type=application/pdf" -F kind=component -F component=2
ok "a renamed executable: 415 unsupported_media_type" code_is 415 unsupported_media_type
ok "nothing kept: no link, no stored file, no temporary file" sh -c '[ "$1" = "$2" ] && [ "$3" = 1 ] && [ "$4" = 0 ]' _ "$(links)" "$before" "$(blobs)" "$(tmps)"
printf 'GIF89a\001\000\001\000' >"$_tmp/x.png"
upload "$offa" "$a_id" "$_tmp/x.png;type=image/png" -F kind=component -F component=2
ok "a GIF named .png: 415" code_is 415 unsupported_media_type
printf '%%PD' >"$_tmp/short.pdf"
upload "$offa" "$a_id" "$_tmp/short.pdf" -F kind=component -F component=2
ok "3 bytes, shorter than a signature: 415" code_is 415 unsupported_media_type
upload "$offa" "$a_id" "$_tmp/scan.pdf" -F kind=component -F component=99
ok "a component the procedure does not have: 400" code_is 400 invalid_argument
as "$offa" POST "/api/v1/dossiers/$a_id/files" -F kind=component -F component=1
ok "no file part: 400 missing_argument" code_is 400 missing_argument
as "$offa" POST "/api/v1/dossiers/$a_id/files" -H 'Content-Type: application/json' --data-binary '{}'
ok "not multipart: 415" code_is 415 unsupported_media_type

api_stop
export MOTCUA_FILE_MAX_BYTES=1048576
api_start
python3 -c 'import os,sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + os.urandom(3*1048576))' >"$_tmp/big.pdf"
before=$(links)
upload "$offa" "$a_id" "$_tmp/big.pdf" -F kind=component -F component=2
ok "a 3 MB file over a limit of 1 MB (announced, Expect: 100-continue): 413" code_is 413 payload_too_large
upload "$offa" "$a_id" "$_tmp/big.pdf" -F kind=component -F component=2 -H 'Expect:'
ok "the same streamed without Expect: 413" code_is 413 payload_too_large
ok "nothing kept, no temporary file left, no file above the limit on disk" sh -c '[ "$1" = "$2" ] && [ "$3" = 0 ] && [ -z "$(find "$4" -type f -size +1024k)" ]' _ "$(links)" "$before" "$(tmps)" "$FILES"
head -c 1048576 "$_tmp/big.pdf" >"$_tmp/limit.pdf"
upload "$offa" "$a_id" "$_tmp/limit.pdf" -F kind=component -F component=2
ok "a file of exactly the limit: 201" eq "$status" 201
api_stop
unset MOTCUA_FILE_MAX_BYTES
used=$(sql "SELECT sum(bytes) FROM dossier_file WHERE dossier_id = '$a_id'")
export MOTCUA_DOSSIER_FILES_MAX_BYTES=$((used + 1000))
api_start
before=$(links)
upload "$offa" "$a_id" "$_tmp/scan.pdf" -F kind=component -F component=3
ok "past the dossier's quota (1000 bytes left): 413 and nothing kept" sh -c '[ "$1" = 413 ] && [ "$2" = "$3" ]' _ "$status" "$(links)" "$before"
api_stop
unset MOTCUA_DOSSIER_FILES_MAX_BYTES
api_start

# ---- who may read ----
fetch "$duc" "/api/v1/dossiers/$a_id/files/$f1" "$_tmp/x"
ok "the owner downloads the scan" eq "$status" 200
fetch "$hoa" "/api/v1/dossiers/$a_id/files/$f1" "$_tmp/x"
ok "another citizen: 404 (as for a dossier that does not exist)" eq "$status" 404
fetch "$specx" "/api/v1/dossiers/$a_id/files/$f1" "$_tmp/x"
ok "a specialist of another agency: 403" eq "$status" 403
fetch "" "/api/v1/dossiers/$a_id/files/$f1" "$_tmp/x"
ok "anonymous: 401" eq "$status" 401
fetch "$specb" "/api/v1/dossiers/$a_id/files/$f1" "$_tmp/x"
ok "the specialist of the competent agency: 200" eq "$status" 200
ok "staff reads are audited (file.read)" sh -c '[ "$1" -ge 2 ]' _ "$(sql "SELECT count(*) FROM audit WHERE action = 'file.read'")"
fetch "$specb" "/api/v1/dossiers/$a_id/files/0000000000000000" "$_tmp/x"
ok "an unknown file: 404" eq "$status" 404
as "$hoa" POST "/api/v1/dossiers/$a_id/files" -F "file=@$_tmp/scan.pdf" -F component=1
ok "another citizen cannot upload: 404" eq "$status" 404
as "$specx" POST "/api/v1/dossiers/$a_id/files" -F "file=@$_tmp/scan.pdf" -F component=1
ok "nor a specialist of another agency: 403" eq "$status" 403
call POST "/api/v1/dossiers/$a_id/files" -F "file=@$_tmp/scan.pdf" -F component=1
ok "nor anonymous: 401" eq "$status" 401

# ---- the electronic result ----
# a real PNG (300x200, RGB gradient), written by hand with zlib (ISO/IEC 15948 chunks)
python3 - "$_tmp/result.png" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
w, h = 300, 200
raw = b"".join(b"\0" + bytes(v for x in range(w) for v in (x * 255 // w, y * 255 // h, 90)) for y in range(h))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
open(sys.argv[1], "wb").write(png + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
as "$specb" POST "/api/v1/dossiers/$a_id/take" '{"version":1}'
upload "$specb" "$a_id" "$_tmp/result.png" -F kind=result
ok "no electronic result before the result exists: 409" code_is 409 action_not_allowed
as "$specb" POST "/api/v1/dossiers/$a_id/submit_signoff" '{"version":2}'
as "$apprb" POST "/api/v1/dossiers/$a_id/sign_off" '{"version":3}'
ok "A signed off: result_ready" eq "$status $(jget 'j["state"]')" "200 result_ready"
upload "$offa" "$a_id" "$_tmp/result.png" -F kind=result
ok "an officer does not store the result: 403" code_is 403 forbidden
upload "$specx" "$a_id" "$_tmp/result.png" -F kind=result
ok "nor another agency: 403" eq "$status" 403
upload "$specb" "$a_id" "$_tmp/result.png" -F kind=result
ok "the competent specialist stores the electronic result (PNG): 201, issued as a signed PDF" eq "$status $(jget 'j["kind"]') $(jget 'j["media_type"]') $(jget 'j["uploaded_type"]') $(jget 'j["filename"]')" "201 result application/pdf image/png result.pdf"
r1=$(jget 'j["id"]')
r1_code=$(jget 'j["verification_code"]')
ok "the answer gives its verification code and /verify address" sh -c 'printf "%s" "$1" | grep -Eq "^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$" && case "$2" in http*"/verify?code=$1") ;; *) exit 1 ;; esac' _ "$r1_code" "$(jget 'j["verify_url"]')"
ok "the register has a 'result' row for it (dossier A, the competent unit)" eq "$(sql "SELECT kind || ' ' || form || ' ' || dossier_id || ' ' || unit_code FROM issued_document WHERE code = '$r1_code'")" "result result $a_id UBND-00070"
ok "issued by the specialist (the register names the uploader)" contains "$(sql "SELECT issued_by FROM issued_document WHERE code = '$r1_code'")" spec.b
fetch "$duc" "/api/v1/dossiers/$a_id/files/$r1" "$_tmp/r1.pdf"
ok "the owner downloads it: a PDF" sh -c '[ "$1" = 200 ] && [ "$2" = application/pdf ] && [ "$(head -c 5 "$3")" = "%PDF-" ]' _ "$status" "$(header Content-Type)" "$_tmp/r1.pdf"
ok "the register's hash is that of the file before its signature line" eq "$(sql "SELECT sha256 FROM issued_document WHERE code = '$r1_code'")" "$(head -n -1 "$_tmp/r1.pdf" | sha256sum | cut -d' ' -f1)"
run verify "$_tmp/r1.pdf"
ok "motcua verify of the downloaded result: exit 0, valid, kind result, its code" eq "$rc $(json_get 'j["valid"]') $(json_get 'j["kind"]') $(json_get 'j["code"]') $(json_get 'j["dossier"]')" "0 true result $r1_code $a_code"
if command -v pdftotext >/dev/null 2>&1; then
	txt=$(pdftotext -q "$_tmp/r1.pdf" - 2>/dev/null | tr '\n' ' ')
	ok "pdftotext of the page shows the verification code, the /verify address and the dossier code" sh -c 'case "$1" in *"Mã xác thực $2"*"/verify?code=$2"*) ;; *) exit 1 ;; esac; case "$1" in *"$3"*) ;; *) exit 1 ;; esac' _ "$txt" "$r1_code" "$a_code"
else
	ok "# SKIP pdftotext not installed" true
fi
as "$duc" GET "/api/v1/dossiers/$a_id/files"
ok "the owner sees it in the dossier's files" sh -c 'printf "%s" "$1" | grep -q "\"$2\""' _ "$out" "$r1"
ok "result issued electronically, 1 component digitised" eq "$(jget '[j["digitisation"]["result_issued_electronically"], j["digitisation"]["components_digitised"]]')" "[true, 2]"
as "$duc" GET "/api/v1/dossiers/$a_id"
ok "the same figures in the dossier itself" eq "$(jget '[j["digitisation"]["result_issued_electronically"], j["digitisation"]["components_digitised"]]')" "[true, 2]"
call GET "/api/v1/lookup/results?code=$a_code&id_last4=2345"
ok "public look-up with the secret lists the result" eq "$status $(jget 'j["total"]') $(jget 'j["items"][0]["id"]')" "200 1 $r1"
url=$(jget 'j["items"][0]["download"]')
fetch "" "$url" "$_tmp/result.back"
ok "anyone with the secret downloads it: the same signed file as the owner's" sh -c '[ "$1" = 200 ] && cmp -s "$2" "$3"' _ "$status" "$_tmp/r1.pdf" "$_tmp/result.back"
ok "as application/pdf, attachment" sh -c '[ "$1" = application/pdf ] && case "$2" in attachment*) true ;; *) false ;; esac' _ "$(header Content-Type)" "$(header Content-Disposition)"
fetch "" "/api/v1/lookup/results/$r1?code=$a_code&id_last4=9999" "$_tmp/x"
ok "a wrong secret: 404" eq "$status" 404
fetch "" "/api/v1/lookup/results/$f1?code=$a_code&id_last4=2345" "$_tmp/x"
ok "a scan (not a result) is never public: 404" eq "$status" 404

# ---- reuse ----
as "$offa" POST /api/v1/dossiers "$(form 'Nguyễn Văn Đức' 001090012345 "$duc_id")"
b_id=$(jget 'j["id"]')
as "$offa" GET "/api/v1/dossiers/$b_id/reusable"
ok "dossier B of the same person: A's scan and result are offered, once per content" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "\"$3\"" && printf "%s" "$2" | grep -q "\"$4\""' _ "$status" "$out" "$r1" "$(jget '[i["id"] for i in j["items"] if i["kind"]=="component"][0]')"
src=$(jget '[i["id"] for i in j["items"] if i["kind"]=="component"][0]')
ok "scans of A: 2 contents (scan.pdf, limit.pdf) + the result" eq "$(jget 'j["total"]')" 3
as "$offa" POST "/api/v1/dossiers/$b_id/reuse" "{\"file\":\"$src\",\"component\":1}"
ok "reuse for component 1 of B: 201, recording the file and dossier" eq "$status $(jget 'j["reused_from"]["file"]') $(jget 'j["reused_from"]["dossier"]')" "201 $src $a_code"
reused=$(jget 'j["id"]')
as "$offa" POST "/api/v1/dossiers/$b_id/reuse" "{\"file\":\"$src\",\"component\":1}"
ok "the same reuse twice: 409" eq "$status" 409
as "$offa" POST "/api/v1/dossiers/$b_id/reuse" "{\"file\":\"$r1\",\"component\":2}"
ok "A's result satisfies component 2 of B" eq "$status" 201
as "$offa" GET "/api/v1/dossiers/$b_id/files"
ok "B's figures: 2 reused, none digitised" eq "$(jget '[j["digitisation"]["components_reused"], j["digitisation"]["components_digitised"]]')" "[2, 0]"
fetch "$offa" "/api/v1/dossiers/$b_id/files/$reused" "$_tmp/reused.back"
ok "the reused file downloads from B with the original bytes" sh -c '[ "$1" = 200 ] && [ "$(sha256sum < "$2" | cut -d" " -f1)" = "$3" ]' _ "$status" "$_tmp/reused.back" "$(sql "SELECT sha256 FROM dossier_file WHERE id = '$src'")"
as "$offa" POST /api/v1/dossiers "$(form 'Trần Thị Hoa' 001190054321 "$hoa_id")"
c_id=$(jget 'j["id"]')
as "$offa" POST "/api/v1/dossiers/$c_id/reuse" "{\"file\":\"$src\",\"component\":1}"
ok "another person's file cannot be reused: 404" eq "$status" 404
as "$offa" GET "/api/v1/dossiers/$c_id/reusable"
ok "and is not offered" eq "$status $(jget 'j["total"]')" "200 0"
as "$hoa" GET "/api/v1/dossiers/$b_id/reusable"
ok "another citizen cannot list B's offers: 404" eq "$status" 404

# ---- the pages ----
web_login officer off.a
web_get officer "/dossiers/$b_id"
ok "the dossier page shows the files, their figures and the upload form" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "id=\"files-figures\"" && printf "%s" "$2" | grep -q "id=\"upload-form\"" && printf "%s" "$2" | grep -q "enctype=\"multipart/form-data\""' _ "$status" "$out"
ok "and offers the applicant's earlier documents for reuse" has 'id="reuse-table"'
web_upload() { # web_upload JAR DOSSIER FILE [CURL ARGS...]: the page's upload form
	_j=$1
	_d=$2
	_f=$3
	shift 3
	_web_req "$_j" POST "/dossiers/$_d/files" -F "_csrf=$csrf" -F kind=component -F component=3 -F "file=@$_f" "$@"
}
web_get officer "/dossiers/$b_id"
before=$(links)
web_upload officer "$b_id" "$_tmp/result.png"
ok "upload through the page: 303 back to the files" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -q "^Location: /dossiers/.*files=uploaded"' _ "$status" "$hdrs"
ok "one more link" eq "$(links)" "$((before + 1))"
web_get officer "/dossiers/$b_id"
web_upload officer "$b_id" "$_tmp/setup.pdf"
ok "a renamed executable through the page: 415, the form shown again with the message" sh -c '[ "$1" = 415 ] && printf "%s" "$2" | grep -q "id=\"e-file\"" && printf "%s" "$2" | grep -q "PDF, JPEG"' _ "$status" "$out"
_web_req officer POST "/dossiers/$b_id/files" -F "_csrf=wrong" -F component=3 -F "file=@$_tmp/scan.pdf"
ok "without the anti-forgery token: 403, nothing kept" sh -c '[ "$1" = 403 ] && [ "$2" = "$3" ]' _ "$status" "$(links)" "$((before + 1))"
fid=$(sql "SELECT id FROM dossier_file WHERE dossier_id = '$b_id' AND reused_from_file IS NULL ORDER BY uploaded_at DESC, id LIMIT 1")
web_get officer "/dossiers/$b_id/files/$fid"
ok "download through the page: 200 with Content-Disposition attachment" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -qi "^Content-Disposition: attachment"' _ "$status" "$hdrs"
web_get officer "/dossiers/$b_id"
web_post officer "/dossiers/$c_id/reuse" "file=$src&component=1"
ok "reuse through the page across persons: refused (404)" eq "$status" 404
web_login duc 001090012345
web_get duc /me/dossiers
ok "the citizen's list links A's electronic result" sh -c 'printf "%s" "$1" | grep -q "class=\"result-link\""' _ "$out"
web_get duc "/dossiers/$a_id"
ok "the owner's dossier page lists the result" sh -c 'printf "%s" "$1" | grep -q "class=\"file-result\""' _ "$out"
ok "and offers no upload once the dossier is processed" sh -c '! printf "%s" "$1" | grep -q "id=\"upload-form\""' _ "$out"
web_get anon "/lookup?code=$a_code&last4=2345"
ok "the public look-up page links the electronic result" has 'id="lookup-files"'
link=$(printf '%s' "$out" | sed -n 's/.*href="\(\/lookup\/results\/[^"]*\)".*/\1/p' | head -1 | sed 's/&amp;/\&/g')
fetch "" "$link" "$_tmp/result.web"
ok "and the link downloads it: the same signed file" sh -c '[ "$1" = 200 ] && cmp -s "$2" "$3"' _ "$status" "$_tmp/r1.pdf" "$_tmp/result.web"
fetch "" "/lookup/results/$r1?code=$a_code&last4=1111" "$_tmp/x"
ok "not with a wrong secret (404)" eq "$status" 404

# /verify: the file itself
fetch "$offa" "/api/v1/dossiers/$a_id/forms/receipt.pdf" "$_tmp/receipt.pdf"
web_get anon /verify
ok "the verify page has a file form" has 'id="verify-file-form"'
_web_req anon POST /verify -F "_csrf=$csrf" -F "file=@$_tmp/receipt.pdf"
ok "a signed receipt uploaded on /verify: valid" sh -c '[ "$1" = 200 ] && printf "%s" "$2" | grep -q "id=\"verify-result\""' _ "$status" "$out"
python3 - "$_tmp/receipt.pdf" "$_tmp/tampered.pdf" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 1
open(sys.argv[2], "wb").write(b)
PY
web_get anon /verify
_web_req anon POST /verify -F "_csrf=$csrf" -F "file=@$_tmp/tampered.pdf"
ok "one byte changed: not valid (tampered)" sh -c '[ "$1" = 422 ] && printf "%s" "$2" | grep -q "data-reason=\"tampered\""' _ "$status" "$out"
web_get anon /verify
_web_req anon POST /verify -F "_csrf=$csrf" -F "file=@$_tmp/setup.pdf"
ok "an executable on /verify: 415" eq "$status" 415
_web_req anon POST /verify -F "_csrf=nope" -F "file=@$_tmp/receipt.pdf"
ok "without the token: 403" eq "$status" 403

# ---- electronic results are issued documents: PDF results, refusals ----
# a PDF result ending "%%EOF" CR LF and NUL padding: signed as it is (the padding dropped)
python3 -c 'import os,sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + os.urandom(40000) + b"\n%%EOF\r\n\0\0")' >"$_tmp/result.pdf"
head -c $(($(wc -c <"$_tmp/result.pdf") - 4)) "$_tmp/result.pdf" >"$_tmp/result.core"
issued=$(sql "SELECT count(*) FROM issued_document WHERE kind = 'result' AND dossier_id = '$a_id'")
upload "$specb" "$a_id" "$_tmp/result.pdf;filename=Giấy chứng nhận.pdf" -F kind=result
ok "a PDF result: 201, kept under its name" eq "$status $(jget 'j["media_type"]') $(jget 'j["uploaded_type"]') $(jget 'j["filename"]')" "201 application/pdf application/pdf Giấy chứng nhận.pdf"
r2=$(jget 'j["id"]')
r2_code=$(jget 'j["verification_code"]')
ok "one more 'result' row in the register, with this code" eq "$(sql "SELECT count(*) FROM issued_document WHERE kind = 'result' AND dossier_id = '$a_id'") $(sql "SELECT count(*) FROM issued_document WHERE code = '$r2_code'")" "$((issued + 1)) 1"
ok "and its issue audited (document.issue)" eq "$(sql "SELECT count(*) FROM audit WHERE action = 'document.issue' AND object = 'document:$r2_code'")" 1
fetch "$duc" "/api/v1/dossiers/$a_id/files/$r2" "$_tmp/r2.pdf"
ok "the owner's download is the uploaded PDF up to its %%EOF, then the signature line" sh -c '[ "$1" = 200 ] && [ "$(head -c $(wc -c <"$2") "$3" | sha256sum)" = "$(sha256sum <"$2")" ] && tail -n 1 "$3" | grep -q "^%motcua-signature v1 key=[0-9a-f]* code=$4 sig="' _ "$status" "$_tmp/result.core" "$_tmp/r2.pdf" "$r2_code"
ok "its stored hash (X-Content-SHA256) is that of the signed bytes" eq "$(header X-Content-SHA256)" "$(sha "$_tmp/r2.pdf")"
run verify "$_tmp/r2.pdf"
ok "motcua verify: exit 0, valid result" eq "$rc $(json_get 'j["valid"]') $(json_get 'j["kind"]') $(json_get 'j["code"]')" "0 true result $r2_code"
curl -s -m 60 -o "$_tmp/resp" -w '%{http_code}' -H 'Content-Type: application/pdf' --data-binary @"$_tmp/r2.pdf" "$BASE/api/v1/verify" >"$_tmp/status"
status=$(cat "$_tmp/status")
out=$(cat "$_tmp/resp")
ok "POST /api/v1/verify: valid, kind result, dossier A" eq "$status $(jget 'j["valid"]') $(jget 'j["kind"]') $(jget 'j["dossier"]')" "200 true result $a_code"
python3 - "$_tmp/r2.pdf" "$_tmp/r2-tampered.pdf" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 1
open(sys.argv[2], "wb").write(b)
PY
run verify "$_tmp/r2-tampered.pdf"
ok "one byte changed: motcua verify exit 1, tampered" eq "$rc $(json_get 'j["valid"]') $(json_get 'j["reason"]')" "1 false tampered"
curl -s -m 60 -o "$_tmp/resp" -w '%{http_code}' -H 'Content-Type: application/pdf' --data-binary @"$_tmp/r2-tampered.pdf" "$BASE/api/v1/verify" >"$_tmp/status"
out=$(cat "$_tmp/resp")
ok "and POST /api/v1/verify says not valid (tampered)" eq "$(cat "$_tmp/status") $(jget 'j["valid"]') $(jget 'j["reason"]')" "200 false tampered"
call GET "/api/v1/verify?code=$r2_code"
ok "GET /api/v1/verify?code= finds the result in the register" eq "$status $(jget 'j["valid"]') $(jget 'j["kind"]') $(jget 'j["form"]')" "200 true result result"
fetch "" "/api/v1/lookup/results/$r2?code=$a_code&id_last4=2345" "$_tmp/r2.public"
ok "the public look-up (code + last 4) gives the same signed file" sh -c '[ "$1" = 200 ] && cmp -s "$2" "$3"' _ "$status" "$_tmp/r2.pdf" "$_tmp/r2.public"
# refusals: nothing kept (no link, no register row, no temporary file)
state() { echo "$(links) $(sql "SELECT count(*) FROM issued_document") $(tmps)"; }
before=$(state)
upload "$specb" "$a_id" "$_tmp/r2.pdf" -F kind=result
ok "a PDF already signed by the centre: 422 unprocessable_content" code_is 422 unprocessable_content
ok "which names its code" contains "$out" "$r2_code"
python3 -c 'import os,sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + os.urandom(3000))' >"$_tmp/noeof.pdf"
upload "$specb" "$a_id" "$_tmp/noeof.pdf" -F kind=result
ok "a PDF that does not end with %%EOF: 422" code_is 422 unprocessable_content
python3 -c 'import os,sys,struct,zlib; d=struct.pack(">IIBBBBB",64,64,8,2,0,0,0); sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n"+struct.pack(">I",13)+b"IHDR"+d+struct.pack(">I",zlib.crc32(b"IHDR"+d))+os.urandom(4000))' >"$_tmp/damaged.png"
upload "$specb" "$a_id" "$_tmp/damaged.png" -F kind=result
ok "a damaged PNG (libpng would abort the process): 422" code_is 422 unprocessable_content
python3 -c 'import os,sys,struct,zlib; d=struct.pack(">IIBBBBB",100000,100000,8,2,0,0,0); sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n"+struct.pack(">I",13)+b"IHDR"+d+struct.pack(">I",zlib.crc32(b"IHDR"+d))+os.urandom(100))' >"$_tmp/huge.png"
upload "$specb" "$a_id" "$_tmp/huge.png" -F kind=result
ok "a PNG of 10^10 pixels: 422 before anything is decoded" code_is 422 unprocessable_content
ok "after the refusals: nothing kept" eq "$(state)" "$before"
call GET /healthz
ok "and the server is still up" eq "$status" 200
if command -v pdftoppm >/dev/null 2>&1; then
	pdftoppm -jpeg -r 30 -singlefile "$_tmp/r1.pdf" "$_tmp/photo-result" 2>/dev/null
	upload "$specb" "$a_id" "$_tmp/photo-result.jpg;filename=ket-qua.jpeg" -F kind=result
	ok "a JPEG result: 201, a signed PDF named ket-qua.pdf" eq "$status $(jget 'j["media_type"]') $(jget 'j["uploaded_type"]') $(jget 'j["filename"]')" "201 application/pdf image/jpeg ket-qua.pdf"
	fetch "$duc" "/api/v1/dossiers/$a_id/files/$(jget 'j["id"]')" "$_tmp/r3.pdf"
	run verify "$_tmp/r3.pdf"
	ok "which verifies" eq "$rc $(json_get 'j["valid"]')" "0 true"
else
	ok "# SKIP pdftoppm not installed" true
	ok "# SKIP pdftoppm not installed" true
fi
as "$duc" GET "/api/v1/dossiers/$a_id/files"
ok "several results: still issued electronically once (the indicator fact)" eq "$(jget 'j["digitisation"]["result_issued_electronically"]') $(sql "SELECT count(*) FROM audit WHERE action = 'file.upload_result'")" "true $(sql "SELECT count(*) FROM issued_document WHERE kind = 'result'")"

# ---- a 20 MB upload with bounded memory ----
python3 -c 'import os,sys; sys.stdout.buffer.write(b"%PDF-1.7\n" + os.urandom(20*1024*1024 - 4096))' >"$_tmp/big20.pdf"
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$_pid/status"; }
h0=$(hwm)
upload "$offa" "$b_id" "$_tmp/big20.pdf" -F kind=component -F component=3
ok "a 20 MB scan: 201 with the right hash" eq "$status $(jget 'j["sha256"]')" "201 $(sha "$_tmp/big20.pdf")"
big=$(jget 'j["id"]')
fetch "$offa" "/api/v1/dossiers/$b_id/files/$big" "$_tmp/big20.back"
ok "and downloads identical" cmp -s "$_tmp/big20.pdf" "$_tmp/big20.back"
h1=$(hwm)
echo "# server VmHWM: $h0 kB before, $h1 kB after a 20 MB upload and download"
ok "the server's peak memory grew by less than 6 MB (the file is 20 MB)" sh -c '[ $(($2 - $1)) -lt 6144 ]' _ "$h0" "$h1"

# ---- sweeping what an interrupted upload leaves (motcua files sweep) ----
# An orphan blob (its transaction never committed), an upload's temporary file
# from a crash, both two days old; a fresh orphan; a stray file; and every
# recorded blob made two days old too: only the old orphan and the old
# temporary file go.
orphan_sha=$(printf 'orphan bytes' | sha256sum | cut -c1-64)
orphan="$FILES/$(echo "$orphan_sha" | cut -c1-2)/$(echo "$orphan_sha" | cut -c3-)"
young_sha=$(printf 'young orphan' | sha256sum | cut -c1-64)
young="$FILES/$(echo "$young_sha" | cut -c1-2)/$(echo "$young_sha" | cut -c3-)"
mkdir -p "$(dirname "$orphan")" "$(dirname "$young")" "$FILES/tmp"
printf 'orphan bytes' >"$orphan"
printf 'young orphan' >"$young"
printf 'half an upload' >"$FILES/tmp/upload-crash1"
printf 'not ours' >"$FILES/README.txt"
find "$FILES" -type f ! -path "$young" -exec touch -d '2 days ago' {} +
recorded=$(sql "SELECT count(*) FROM stored_file WHERE store = 'disk'")
before_blobs=$(blobs)
run files sweep
ok "files sweep: exit 0" eq "$rc" 0
ok "it removed the old orphan and the old temporary file (2 files, 26 bytes)" eq "$(json_get 'str(j["removed"]) + " " + str(j["removed_bytes"])')" "2 26"
ok "it kept every recorded blob, the young orphan and the stray file" eq "$(json_get 'str(j["referenced"]) + " " + str(j["kept_young"]) + " " + str(j["foreign"])')" "$recorded 1 1"
ok "on disk: the orphan and the temporary file are gone, the young one stays" sh -c '[ ! -e "$1" ] && [ ! -e "$2" ] && [ -e "$3" ] && [ -e "$4" ]' _ "$orphan" "$FILES/tmp/upload-crash1" "$young" "$FILES/README.txt"
ok "one blob fewer" eq "$(blobs)" "$((before_blobs - 1))"
fetch "$offa" "/api/v1/dossiers/$a_id/files/$f1" "$_tmp/after-sweep.pdf"
ok "a recorded file still downloads after the sweep" sh -c '[ "$1" = 200 ] && cmp -s "$2" "$3"' _ "$status" "$_tmp/scan.pdf" "$_tmp/after-sweep.pdf"
run files sweep --older-than 0
ok "--older-than 0 also takes the young orphan, never a recorded blob" sh -c '[ "$1" = 0 ] && [ ! -e "$2" ] && [ "$3" = "$4" ]' _ "$rc" "$young" "$(json_get 'str(j["referenced"])')" "$recorded"
run files sweep --older-than soon
ok "a bad --older-than: exit 2" eq "$rc" 2
run files tidy
ok "an unknown subcommand: exit 2" eq "$rc" 2
rm -f "$FILES/README.txt"

# ---- the database store ----
api_stop
export MOTCUA_FILE_STORE=database
api_start
python3 -c 'import os,sys; sys.stdout.buffer.write(b"\xff\xd8\xff\xe0" + os.urandom(2500000))' >"$_tmp/photo.jpg"
nblobs=$(blobs)
upload "$offa" "$b_id" "$_tmp/photo.jpg;filename=photo.jpg" -F kind=component -F component=3
ok "database store: a 2.5 MB JPEG, 201" eq "$status $(jget 'j["media_type"]')" "201 image/jpeg"
db_f=$(jget 'j["id"]')
h=$(sha "$_tmp/photo.jpg")
ok "its bytes are in the database, in 3 chunks of at most 1 MiB" eq "$(sql "SELECT store FROM stored_file WHERE sha256 = '$h'") $(sql "SELECT count(*) FROM stored_file_chunk WHERE sha256 = '$h'")" "database 3"
ok "and not on disk" sh -c '[ "$1" = "$2" ] && [ ! -e "$3" ]' _ "$(blobs)" "$nblobs" "$FILES/$(printf %s "$h" | cut -c1-2)/$(printf %s "$h" | cut -c3-)"
fetch "$duc" "/api/v1/dossiers/$b_id/files/$db_f" "$_tmp/photo.back"
ok "it downloads identical (image/jpeg)" sh -c '[ "$1" = 200 ] && [ "$2" = image/jpeg ] && cmp -s "$3" "$4"' _ "$status" "$(header Content-Type)" "$_tmp/photo.jpg" "$_tmp/photo.back"
upload "$offa" "$b_id" "$_tmp/scan.pdf" -F kind=component -F component=3
ok "bytes stored on disk before, uploaded again in database store, move into the database" eq "$status $(sql "SELECT store FROM stored_file WHERE sha256 = '$(sha "$_tmp/scan.pdf")'")" "201 database"
fetch "$offa" "/api/v1/dossiers/$a_id/files/$f1" "$_tmp/x.back"
ok "and A's link to them still downloads identical" cmp -s "$_tmp/scan.pdf" "$_tmp/x.back"
upload "$specb" "$a_id" "$_tmp/result.png" -F kind=result
ok "database store: a PNG result, 201" eq "$status $(jget 'j["media_type"]')" "201 application/pdf"
fetch "$duc" "/api/v1/dossiers/$a_id/files/$(jget 'j["id"]')" "$_tmp/r4.pdf"
run verify "$_tmp/r4.pdf"
ok "its signed PDF comes back from the chunks and verifies" eq "$rc $(json_get 'j["valid"]') $(json_get 'j["kind"]')" "0 true result"
api_stop
unset MOTCUA_FILE_STORE
api_start
fetch "$offa" "/api/v1/dossiers/$b_id/files/$db_f" "$_tmp/photo.back2"
ok "back in disk store, a file kept in the database still downloads" sh -c '[ "$1" = 200 ] && cmp -s "$2" "$3"' _ "$status" "$_tmp/photo.jpg" "$_tmp/photo.back2"

# ---- the audit ----
ok "uploads, results and reuses are audited" sh -c '[ "$1" -ge 1 ] && [ "$2" -ge 1 ] && [ "$3" -ge 2 ]' _ \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'file.upload'")" \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'file.upload_result'")" \
	"$(sql "SELECT count(*) FROM audit WHERE action = 'file.reuse'")"
run audit verify
ok "the audit chain verifies" eq "$rc" 0

done_testing
