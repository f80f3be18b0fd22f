# Scenario tests of `motcua db migrate | status | backup FILE` on temporary
# SQLite databases (MOTCUA_DATABASE=sqlite:...), with the migrations built
# into the binary. Databases are inspected and tampered with through
# Python's sqlite3 module, independently of motcua.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

sql() { # sql FILE STATEMENT: runs one statement, prints the first column of the first row
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchone(); c.commit(); print(r[0] if r else '')" "$1" "$2"
}

at() { # at URL ARGS...: run with another database (the assignment must not outlive the call)
	_saved=$MOTCUA_DATABASE
	MOTCUA_DATABASE=$1
	shift
	run "$@"
	MOTCUA_DATABASE=$_saved
}

export MOTCUA_DATABASE="sqlite:$_tmp/one/x.db"

run db status
ok "status of a fresh database exits 0" eq "$rc" 0
code=$(json_get 'j["code_version"]')
ok "status shows the binary's version" test -n "$code"
if [ "$code" -gt 0 ]; then want=behind; else want=current; fi
ok "a fresh database is behind the binary" eq "$(json_get 'j["state"]'):$(json_get 'j["db_version"]')" "$want:0"
ok "every built-in migration is pending" eq "$(json_get 'j["pending"]')" "$code"
ok "status names the driver" eq "$(json_get 'j["driver"]')" sqlite
ok "the parent directory was created" test -f "$_tmp/one/x.db"

run db migrate
ok "migrate exits 0" eq "$rc" 0
ok "migrate applies every migration" eq "$(json_get 'len(j["applied"])')" "$code"
ok "migrate leaves the schema current" eq "$(json_get 'j["state"]'):$(json_get 'j["db_version"]')" "current:$code"
ok "schema_migrations has one row per migration" eq "$(sql "$_tmp/one/x.db" 'SELECT count(*) FROM schema_migrations')" "$code"

run db migrate
ok "migrate again exits 0 and applies nothing" eq "$rc:$(json_get 'len(j["applied"])')" "0:0"

run db status
ok "status after migrate is current" eq "$(json_get 'j["state"]'):$(json_get 'j["pending"]')" "current:0"
ok "status lists applied migrations with a time" eq "$(json_get 'all(m["state"] == "applied" and m["applied_at"] for m in j["migrations"])')" true

# Backup.
run db backup "$_tmp/copy.db"
ok "backup exits 0" eq "$rc" 0
ok "backup reports the file" eq "$(json_get 'j["backup"]')" "$_tmp/copy.db"
ok "backup reports its size" eq "$(json_get 'j["bytes"] > 0')" true
ok "the copy passes the integrity check" eq "$(sql "$_tmp/copy.db" 'PRAGMA integrity_check')" ok
ok "the copy has the schema_migrations rows" eq "$(sql "$_tmp/copy.db" 'SELECT count(*) FROM schema_migrations')" "$code"
ok "no partial file is left" test ! -e "$_tmp/copy.db.partial"
run db backup "$_tmp/copy.db"
ok "backup onto an existing file exits 2" eq "$rc" 2
ok "and says it exists" contains "$err" "already exists"
at "sqlite:$_tmp/copy.db" db status
ok "the copy opens as a current database" eq "$rc:$(json_get 'j["state"]')" "0:current"
run db backup "$_tmp/no/such/dir/copy.db"
ok "backup into a missing directory fails with exit 1" eq "$rc" 1

# A database migrated by a newer program: ahead.
at "sqlite:$_tmp/ahead.db" db migrate
sql "$_tmp/ahead.db" "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, '9999.sql', 'x', 0)" >/dev/null
at "sqlite:$_tmp/ahead.db" db status
ok "status of a newer database exits 0 and says ahead" eq "$rc:$(json_get 'j["state"]')" "0:ahead"
ok "the unknown migration is listed" eq "$(json_get 'j["migrations"][-1]["state"]')" unknown
at "sqlite:$_tmp/ahead.db" db migrate
ok "migrate refuses a newer database (exit 1)" eq "$rc" 1
ok "with the code schema_ahead" contains "$err" "(schema_ahead)"

# An applied migration whose text changed: mismatch.
if [ "$code" -gt 0 ]; then
	at "sqlite:$_tmp/changed.db" db migrate
	sql "$_tmp/changed.db" "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1" >/dev/null
	at "sqlite:$_tmp/changed.db" db status
	ok "status of a changed migration says mismatch" eq "$(json_get 'j["state"]'):$(json_get 'j["migrations"][0]["state"]')" "mismatch:changed"
	at "sqlite:$_tmp/changed.db" db migrate
	ok "migrate refuses a changed migration" eq "$rc" 1
	ok "with the code migration_mismatch" contains "$err" "(migration_mismatch)"
fi

# A relative path is taken from the working directory.
at "sqlite:rel/dir/r.db" db migrate
ok "a relative sqlite path works and is created" eq "$rc:$(test -f "$_tmp/rel/dir/r.db" && echo yes)" "0:yes"

# Bad input: exit 2.
run db
ok "db without a subcommand exits 2" eq "$rc" 2
run db frobnicate
ok "an unknown subcommand exits 2" eq "$rc" 2
ok "and is named" contains "$err" "'frobnicate'"
run db backup
ok "backup without a file exits 2" eq "$rc" 2
run db backup ""
ok "backup with an empty file name exits 2" eq "$rc" 2
run db status extra
ok "status with an extra argument exits 2" eq "$rc" 2
run db migrate --force
ok "an unknown option exits 2" eq "$rc" 2
at "postgresql://motcua:s3cret@127.0.0.1:1/motcua" db status
ok "an unreachable postgresql server exits 1" eq "$rc" 1
ok "and says it cannot connect" contains "$err" "cannot connect"
ok "without printing the password" eq "$(contains "$err$out" s3cret && echo leaked)" ""
at "sqlite:/proc/motcua-no/x.db" db status
ok "an impossible location fails with exit 1" eq "$rc" 1

done_testing
