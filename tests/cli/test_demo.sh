# Scenario test of `motcua demo` on a fresh database: accounts printed in the
# contract format and saved to a private accounts file, residents in the
# registry, dossiers made through the real use cases, a second run refused
# without changing anything, and the audit chain intact afterwards.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1
export MOTCUA_DATABASE="sqlite:$_tmp/demo.db" MOTCUA_PASSWORD_OPSLIMIT=1 MOTCUA_PASSWORD_MEMLIMIT_KIB=8192

run db migrate
ok "migrate" eq "$rc" 0
run import --data "$TOP/data"
ok "import" eq "$rc" 0
run demo --population 50 --accounts-file "$_tmp/var/acc.txt"
ok "demo exits 0" eq "$rc" 0
ok "one account line per role" eq "$(echo "$out" | grep -cE '^demo account: (admin|leader|supervisor|officer|specialist|approver|citizen) [^ ]+ [A-Za-z0-9]{16}$')" 10
for role in admin leader supervisor officer specialist approver citizen; do
	ok "a $role account" contains "$out" "demo account: $role "
done
ok "the accounts file holds the same lines" eq "$(grep '^demo account:' "$_tmp/var/acc.txt")" "$(echo "$out" | grep '^demo account:')"
ok "the accounts file is private" eq "$(stat -c %a "$_tmp/var/acc.txt")" 600
ok "three demo dossiers" eq "$(echo "$out" | grep -c '^demo dossier:')" 3
ok "a dossier with a code of branch 1" contains "$out" "1.001193 processing"
ok "an online submission waiting" contains "$out" "1.004873 submitted"

# The residents are in the registry and the citizen's number is valid.
citizen=$(echo "$out" | sed -n 's/^demo account: citizen \([0-9]*\) .*/\1/p')
run cccd "$citizen"
ok "the citizen's ID number is valid" eq "$rc" 0
ok "50 residents" eq "$(sqlite3 "$_tmp/demo.db" 'SELECT count(*) FROM population')" 50

# A second demo on the same database changes nothing.
before=$(sqlite3 "$_tmp/demo.db" 'SELECT count(*) FROM account')
run demo --population 50 --accounts-file "$_tmp/var/acc2.txt"
ok "a second demo is refused" eq "$rc" 2
ok "and says why" contains "$err" "fresh database only"
ok "nothing was added" eq "$(sqlite3 "$_tmp/demo.db" 'SELECT count(*) FROM account')" "$before"
ok "no second accounts file" test ! -e "$_tmp/var/acc2.txt"

run audit verify
ok "the audit chain is intact" eq "$rc" 0

run demo --population x
ok "a bad population exits 2" eq "$rc" 2
run demo --bogus
ok "an unknown option exits 2" eq "$rc" 2

done_testing
