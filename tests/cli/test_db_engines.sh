# Scenario tests of `motcua db` on the engine that MOTCUA_TEST_DATABASE names:
# a fresh schema of that PostgreSQL database (made and dropped with psql), or a
# temporary SQLite file when it is not set. The same expectations hold on both,
# except where the engine is named.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

base=${MOTCUA_TEST_DATABASE:-}
case "$base" in
postgres*)
	engine=postgresql
	schema="cli_$$"
	psql -X -q -v ON_ERROR_STOP=1 "$base" -c "CREATE SCHEMA $schema" -c "CREATE SCHEMA ${schema}_copy" >/dev/null || exit 1
	trap 'psql -X -q "$base" -c "DROP SCHEMA IF EXISTS $schema CASCADE" -c "DROP SCHEMA IF EXISTS ${schema}_copy CASCADE" >/dev/null 2>&1; rm -rf "$_tmp"' EXIT
	case "$base" in *'?'*) sep='&' ;; *) sep='?' ;; esac
	MOTCUA_DATABASE="$base${sep}options=-c%20search_path%3D$schema"
	copy_to="$base${sep}options=-c%20search_path%3D${schema}_copy"
	;;
*)
	engine=sqlite
	MOTCUA_DATABASE="sqlite:$_tmp/x.db"
	copy_to="sqlite:$_tmp/copy-to.db"
	;;
esac
export MOTCUA_DATABASE

run db status
ok "status of a fresh database exits 0" eq "$rc" 0
ok "status names the driver" eq "$(json_get 'j["driver"]')" "$engine"
code=$(json_get 'j["code_version"]')
ok "every built-in migration is pending" eq "$(json_get 'j["pending"]'):$(json_get 'j["db_version"]')" "$code:0"
ok "the url is shown without a password" eq "$(json_get '"***" in j["database"] or "@" not in j["database"]')" true

run db migrate
ok "migrate exits 0" eq "$rc" 0
ok "migrate applies every migration" eq "$(json_get 'len(j["applied"])')" "$code"
ok "migrate leaves the schema current" eq "$(json_get 'j["state"]'):$(json_get 'j["db_version"]')" "current:$code"

run db migrate
ok "migrate again applies nothing" eq "$rc:$(json_get 'len(j["applied"])')" "0:0"

run db status
ok "status after migrate is current" eq "$(json_get 'j["state"]'):$(json_get 'j["pending"]')" "current:0"

run db backup "$_tmp/copy.db"
if [ "$engine" = postgresql ]; then
	ok "backup on postgresql points to the engine's tools" eq "$rc" 2
	ok "and says so" contains "$err" "engine's own tools"
else
	ok "backup on sqlite writes a file" eq "$rc" 0
fi

# Unreachable server: a clear error, exit 1, no password in it.
_saved=$MOTCUA_DATABASE
MOTCUA_DATABASE="postgresql://motcua:pw-never-shown@127.0.0.1:1/none"
run db status
MOTCUA_DATABASE=$_saved
ok "an unreachable server exits 1" eq "$rc" 1
ok "the error names the server" contains "$err" "127.0.0.1"
ok "the error does not show the password" eq "$(printf '%s' "$err$out" | grep -c pw-never-shown)" 0

# db copy: an office's SQLite database (reference data and a user) into a fresh
# database of the engine under test, every table counted.
office="sqlite:$_tmp/office.db"
at_office() {
	_saved=$MOTCUA_DATABASE
	MOTCUA_DATABASE=$office
	run "$@"
	MOTCUA_DATABASE=$_saved
}
at_office db migrate
at_office import --data "$TOP/data"
ok "the office database is filled" eq "$rc" 0
printf '%s\n' 'Mot-cua-2025-secret' >"$_tmp/pw"
at_office user add lan --role officer --unit CN01 --name "Trần Thị Lan" --password-stdin <"$_tmp/pw"
ok "with a user" eq "$rc" 0

run db copy --from "$office" --to "$copy_to"
ok "copy exits 0" eq "$rc" 0
ok "copy names both drivers" eq "$(json_get 'j["from_driver"]'):$(json_get 'j["to_driver"]')" "sqlite:$engine"
ok "copy migrates the destination" eq "$(json_get 'j["migrations_applied"]')" "$code"
ok "copy counts the communes" eq "$(json_get 'j["tables"]["commune"]')" 126
ok "copy counts the account" eq "$(json_get 'j["tables"]["account"]')" 1
ok "copy counts every row" eq "$(json_get 'j["rows"] == sum(j["tables"].values()) and j["rows"] > 500')" true
ok "copy shows no password" eq "$(json_get '"***" in j["to"] or "@" not in j["to"]')" true
_saved=$MOTCUA_DATABASE
MOTCUA_DATABASE=$copy_to
run db status
ok "the copy is at the current schema" eq "$rc:$(json_get 'j["state"]')" "0:current"
run audit verify
ok "the copied audit chain is intact" eq "$rc:$(json_get 'j["intact"]')" "0:true"
MOTCUA_DATABASE=$_saved

run db copy --from "$office" --to "$copy_to"
ok "copy into a database with rows exits 2" eq "$rc" 2
ok "and says it must be empty" contains "$err" "empty database"
run db copy --from "$office"
ok "copy without --to exits 2" eq "$rc" 2
run db copy --from "$office" --to "$office"
ok "copy onto itself exits 2" eq "$rc" 2
run db copy --from "$office" --to "$copy_to" --fast
ok "copy with an unknown option exits 2" eq "$rc" 2
run db copy --from "sqlite:$_tmp/none.db" --to "sqlite:$_tmp/none2.db"
ok "copy from a database behind the program exits 1" eq "$rc" 1
ok "and names the source" contains "$err" "source"

done_testing
