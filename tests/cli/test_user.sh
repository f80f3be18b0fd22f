# Scenario tests of `motcua user ...` and `motcua audit verify` on a
# temporary SQLite database migrated with the built-in migrations. The
# database is inspected and tampered with through Python's sqlite3 module,
# independently of motcua. Password hashing runs at libsodium's lowest cost.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

export MOTCUA_DATABASE="sqlite:$_tmp/u.db"
export MOTCUA_PASSWORD_OPSLIMIT=1 MOTCUA_PASSWORD_MEMLIMIT_KIB=8
DB="$_tmp/u.db"

sql() { # sql STATEMENT [ARG]: runs one statement, prints the first column of the first row
	python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
try:
    r = c.execute(sys.argv[2], sys.argv[3:]).fetchone()
    c.commit()
    print(r[0] if r else '')
except sqlite3.DatabaseError as x:
    print('error: %s' % x)
" "$DB" "$@"
}

run_in() { # run_in TEXT ARGS...: run with TEXT on standard input
	_in=$1
	shift
	printf '%s' "$_in" | "$MOTCUA" "$@" >"$_tmp/out" 2>"$_tmp/err"
	rc=$?
	out=$(cat "$_tmp/out")
	err=$(cat "$_tmp/err")
}

# A database that is not migrated is refused.
run user list
ok "user list on an unmigrated database exits 1" eq "$rc" 1
ok "and says the schema is behind" contains "$err" "(schema_behind)"

run db migrate
ok "db migrate exits 0" eq "$rc" 0
sql "INSERT INTO unit (code, kind, name_vi, name_en, name_folded) VALUES
	('B01', 'branch', 'Chi nhánh số 1', 'Branch 1', 'chi nhanh so 1'),
	('SXD', 'department', 'Sở Xây dựng', 'Department of Construction', 'so xay dung')" >/dev/null

# Adding accounts.
run_in "quan-tri-mat-khau
" user add Quan.Tri --role admin --name "Quản Trị Viên" --password-stdin
ok "user add with --password-stdin exits 0" eq "$rc" 0
ok "the username is lowered" eq "$(json_get 'j["username"]')" quan.tri
ok "kind, roles and unit" eq "$(json_get '[j["kind"], j["roles"], j["unit"]]')" '["staff", ["admin"], null]'
ok "the full name is kept" eq "$(json_get 'j["full_name"]')" "Quản Trị Viên"
ok "it has a password" eq "$(json_get 'j["has_password"]')" true
ok "the hash is Argon2id at the configured cost" eq \
	"$(sql "SELECT substr(password_hash, 1, 27) FROM account WHERE username = 'quan.tri'")" '$argon2id$v=19$m=8,t=1,p=1$'
ok "the password itself is stored nowhere" eq \
	"$(sql "SELECT count(*) FROM account WHERE password_hash LIKE '%quan-tri-mat-khau%'")" 0

run user add an.nguyen --role officer --unit B01 --name "Nguyễn Văn An" --password "mot-cua-2025"
ok "an officer at a branch" eq "$rc:$(json_get 'j["unit"]')" "0:B01"
run user add binh --role specialist --role approver --unit=SXD --name "Trần Bình"
ok "two roles at a department, no password" eq "$rc:$(json_get 'j["roles"]'):$(json_get 'j["has_password"]')" \
	'0:["specialist", "approver"]:false'
run user add portal --role system --name "Cổng Dịch vụ công quốc gia"
ok "a system account" eq "$rc:$(json_get 'j["kind"]')" "0:system"

run user add chi --role officer --unit SXD --name "Chi"
ok "an officer at a department exits 2" eq "$rc" 2
ok "with invalid_argument" contains "$err" "(invalid_argument)"
run user add chi --role officer --unit NOPE --name "Chi"
ok "an unknown unit exits 2 with not_found" eq "$rc:$(contains "$err" '(not_found)' && echo y)" "2:y"
run user add chi --role officer --name "Chi"
ok "an officer without a unit exits 2" eq "$rc" 2
run user add chi --role boss --name "Chi"
ok "an unknown role exits 2" eq "$rc" 2
ok "naming the role" contains "$err" "'boss'"
run user add chi --role leader
ok "no --name exits 2" eq "$rc" 2
run user add chi --name "Chi"
ok "no --role exits 2" eq "$rc" 2
run user add an.nguyen --role leader --name "Again"
ok "a taken username exits 2 with db_conflict" eq "$rc:$(contains "$err" '(db_conflict)' && echo y)" "2:y"
run user add chi --role leader --name "Chi" --password short
ok "a short password exits 2 with weak_password" eq "$rc:$(contains "$err" '(weak_password)' && echo y)" "2:y"
run user add chi --role leader --name "Chi" --password "chi-chi-chi-chi"
ok "a password containing the username exits 2" eq "$rc" 2
run user add chi --role leader --name "Chi" --password x --password-stdin
ok "--password with --password-stdin exits 2" eq "$rc" 2
run user add chi --role leader --name "Chi" --label x
ok "an option of another subcommand exits 2" eq "$rc" 2
run user add chi --role leader --name ""
ok "an empty value exits 2" eq "$rc" 2
run user add chi --role leader --name "Chi" --bogus
ok "an unknown option exits 2" eq "$rc" 2
run user add "" --role leader --name "Chi"
ok "an empty username exits 2" eq "$rc" 2
run user frobnicate
ok "an unknown subcommand exits 2" eq "$rc" 2
run user
ok "no subcommand exits 2" eq "$rc" 2
ok "nothing was added by the failures" eq "$(sql 'SELECT count(*) FROM account')" 4

# Listing.
run user list
ok "user list exits 0" eq "$rc" 0
ok "lists the four accounts by username" eq "$(json_get '[i["username"] for i in j["items"]]')" \
	'["an.nguyen", "binh", "portal", "quan.tri"]'
ok "with the total" eq "$(json_get 'j["total"]')" 4
run user list extra
ok "user list with an argument exits 2" eq "$rc" 2

# Passwords.
run_in "mat-khau-moi-2025
" user passwd binh
ok "user passwd reads stdin and exits 0" eq "$rc:$(json_get 'j["password_changed"]')" "0:true"
ok "binh has a password now" eq "$(sql "SELECT password_hash IS NOT NULL FROM account WHERE username = 'binh'")" 1
run_in "" user passwd binh
ok "user passwd with nothing on stdin exits 2" eq "$rc" 2
run_in "short
" user passwd binh
ok "user passwd with a weak password exits 2" eq "$rc" 2
run_in "mat-khau-moi-2025
" user passwd nobody
ok "user passwd of an unknown user exits 2 with not_found" eq "$rc:$(contains "$err" '(not_found)' && echo y)" "2:y"
run_in "mat-khau-moi-2025
" user passwd portal
ok "a system account gets no password" eq "$rc" 2

# Disabling.
sql "INSERT INTO session (token_hash, account_id, kind, csrf_token, created_at, expires_at, last_seen_at)
	SELECT 'h1', id, 'session', 'c', 0, 99999999999, 0 FROM account WHERE username = 'an.nguyen'" >/dev/null
run user disable an.nguyen
ok "user disable exits 0" eq "$rc:$(json_get 'j["disabled"]')" "0:true"
ok "it ends the account's sessions" eq "$(json_get 'j["sessions_ended"]')" 1
ok "the session row is gone" eq "$(sql "SELECT count(*) FROM session WHERE token_hash = 'h1'")" 0
run user list
ok "user list shows it disabled" eq "$(json_get '[i["disabled"] for i in j["items"] if i["username"] == "an.nguyen"]')" '[true]'
run user enable an.nguyen
ok "user enable exits 0" eq "$rc:$(json_get 'j["disabled"]')" "0:false"
run user disable nobody
ok "disabling an unknown user exits 2" eq "$rc" 2

# API tokens.
run user token portal --label "dong bo"
ok "user token exits 0" eq "$rc" 0
token=$(json_get 'j["token"]')
ok "prints a 43-character token" eq "${#token}" 43
ok "with the label and an expiry a year on" eq "$(json_get 'j["label"]'):$(json_get 'j["expires_at"] > "2026"')" "dong bo:true"
hash=$(printf '%s' "$token" | python3 -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
ok "only the token's SHA-256 is stored" eq "$(sql 'SELECT count(*) FROM session WHERE token_hash = ?' "$hash")" 1
ok "the token itself is stored nowhere" eq \
	"$(sql 'SELECT count(*) FROM session WHERE token_hash = ? OR csrf_token = ? OR label = ?' "$token" "$token" "$token")" 0
run user token portal --label "dong bo"
ok "a second token with the same label exits 2" eq "$rc" 2
run user token portal
ok "user token without --label exits 2" eq "$rc" 2
run user token portal --label "dong bo" --revoke
ok "user token --revoke exits 0" eq "$rc:$(json_get 'j["revoked"]')" "0:1"
ok "the token row is gone" eq "$(sql 'SELECT count(*) FROM session WHERE token_hash = ?' "$hash")" 0
run user token portal --label "dong bo" --revoke
ok "revoking again exits 2 with not_found" eq "$rc:$(contains "$err" '(not_found)' && echo y)" "2:y"

# The audit log: every write above, by the system actor "cli".
run audit verify
ok "audit verify exits 0" eq "$rc:$(json_get 'j["intact"]')" "0:true"
rows=$(sql 'SELECT count(*) FROM audit')
ok "it counts every row" eq "$(json_get 'j["rows"]'):$(json_get 'j["last_seq"]')" "$rows:$rows"
ok "the writes were audited (4 creates, 1 password, 2 disable/enable, 2 token)" eq "$rows" 9
ok "by the cli system actor" eq "$(sql "SELECT count(*) FROM audit WHERE actor = 'system:cli@local'")" 9
ok "with the account as object" eq "$(sql "SELECT object FROM audit WHERE action = 'account.disable'")" "account:an.nguyen"
ok "the last hash is printed" eq "$(json_get 'j["last_hash"]')" "$(sql 'SELECT hash FROM audit ORDER BY seq DESC LIMIT 1')"

# The triggers refuse changes.
ok "UPDATE of an audit row is refused" contains "$(sql "UPDATE audit SET detail = '{}' WHERE seq = 2")" "append-only"
ok "DELETE of an audit row is refused" contains "$(sql 'DELETE FROM audit WHERE seq = 2')" "append-only"
run audit verify
ok "the log still verifies" eq "$rc" 0

# Tampering behind the triggers' back is found, with the row's number.
sql 'DROP TRIGGER audit_no_update' >/dev/null
sql "UPDATE audit SET object = 'account:someone.else' WHERE seq = 3" >/dev/null
run audit verify
ok "audit verify of an altered log exits 1" eq "$rc" 1
ok "and names the altered row" eq "$(json_get 'j["intact"]'):$(json_get 'j["broken_seq"]')" "false:3"
ok "with the reason" eq "$(json_get 'j["reason"]')" "hash does not match the row"
ok "stderr has the code" contains "$err" "(audit_chain_broken)"

run audit
ok "audit without a subcommand exits 2" eq "$rc" 2
run audit check
ok "audit with an unknown subcommand exits 2" eq "$rc" 2
run audit verify --all
ok "audit verify with an extra argument exits 2" eq "$rc" 2

done_testing
