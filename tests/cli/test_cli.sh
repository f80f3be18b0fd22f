# Scenario tests of the motcua command itself: help, version, config, the
# global --config option, environment overrides, the clock override and errors.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

run version
ok "version exits 0" eq "$rc" 0
ok "version prints JSON with the name" eq "$(json_get 'j["name"]')" motcua

run help
ok "help exits 0 and lists commands" eq "$rc:$(echo "$out" | grep -c '^  due ')" 0:1
run help due
ok "help COMMAND shows the usage" contains "$out" "usage: motcua due"
run help nosuch
ok "help of an unknown command exits 2" eq "$rc" 2
run
ok "no command exits 2 with help" eq "$rc" 2
run nosuch
ok "unknown command exits 2" eq "$rc" 2
ok "unknown command is named in the message" contains "$err" "'nosuch'"

# No file in this directory: built-in defaults.
run config
ok "config with no file uses defaults" eq "$rc:$(json_get 'j["file"]')" "0:null"
ok "default database" eq "$(json_get '[o["value"] for o in j["options"] if o["name"]=="database"][0]')" "sqlite:var/motcua.db"
ok "default listen" eq "$(json_get '[o["value"] for o in j["options"] if o["name"]=="listen"][0]')" "127.0.0.1:8080"

# A file given with --config, before or after the command.
printf '[motcua]\nlisten = 127.0.0.1:9001\nlog_level = warn\n' >a.ini
run --config a.ini config
ok "--config before the command" eq "$(json_get '[o["value"] for o in j["options"] if o["name"]=="listen"][0]')" "127.0.0.1:9001"
run config --config a.ini
ok "--config after the command" eq "$(json_get '[o["source"] for o in j["options"] if o["name"]=="listen"][0]')" "file"
run config --config=a.ini
ok "--config=FILE form" eq "$(json_get 'j["file"]')" "a.ini"

# Environment overrides the file; passwords are redacted.
MOTCUA_LISTEN=127.0.0.1:9002 MOTCUA_DATABASE='postgresql://motcua:hunter2@127.0.0.1:5432/motcua' run --config a.ini config
ok "MOTCUA_LISTEN overrides the file" eq "$(json_get '[o["value"] for o in j["options"] if o["name"]=="listen"][0]')" "127.0.0.1:9002"
ok "password redacted" eq "$(json_get '[o["value"] for o in j["options"] if o["name"]=="database"][0]')" "postgresql://motcua:***@127.0.0.1:5432/motcua"
ok "password never printed" eq "$(echo "$out" | grep -c hunter2)" 0

# The shipped etc/motcua.ini is found from the repository root.
(cd "$TOP" && "$MOTCUA" config) >"$_tmp/shipped" 2>&1
ok "etc/motcua.ini is read from the working directory" grep -q '"file":"etc/motcua.ini"' "$_tmp/shipped"

# Errors exit 2 with a clear message.
run --config missing.ini config
ok "missing config file exits 2" eq "$rc" 2
ok "missing config file is named" contains "$err" "missing.ini"
run config --config
ok "--config without a file exits 2" eq "$rc" 2
run --config '' config
ok "--config with an empty name exits 2" eq "$rc" 2
printf '[motcua]\nlisten = 127.0.0.1:9001\nbogus = 1\n' >b.ini
run --config b.ini config
ok "unknown option exits 2" eq "$rc" 2
ok "unknown option is named" contains "$err" "'bogus'"
MOTCUA_LISTEN=nowhere run config
ok "bad environment value exits 2" eq "$rc" 2
ok "bad environment value names the variable" contains "$err" "MOTCUA_LISTEN"
run version extra
ok "extra argument exits 2" eq "$rc" 2

done_testing
