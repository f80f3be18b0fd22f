# Scenario tests of `motcua code`: parsing both layouts, making codes with and
# without dossier_code_long_from, the 9999/10000 overflow, and bad input.
# Layout: Circular 01/2018/TT-VPCP Art. 19 (UNIT-YYMMDD-NNNN); long layout and
# overflow rule: docs/identifiers.md.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

run code parse 000.A0.01.H26-210212-9090
ok "parse short exits 0" eq "$rc" 0
ok "parse short: the whole object" eq "$out" '{"unit":"000.A0.01.H26","date":"2021-02-12","sequence":9090,"layout":"short"}'
run code parse 000.00.01.H26-20250425-0010000
ok "parse long" eq "$(json_get 'j["date"]+"/"+str(j["sequence"])+"/"+j["layout"]')" "2025-04-25/10000/long"
run code parse 000.00.01.H26-240229-0001
ok "leap day 2024-02-29" eq "$(json_get 'j["date"]')" 2024-02-29
run code parse 000.00.01.H26-250229-0001
ok "2025-02-29 exits 2" eq "$rc:$(contains "$err" "(invalid_dossier_code)" && echo y)" "2:y"
for bad in 000.00.01.H26-250425 000.00.01.H26-250425-0000 000.00.01.H26-250425-0007-1 000.00.01.h26-250425-0007 " 000.00.01.H26-250425-0007" 000.00.01.H26-20250425-0007 ""; do
	run code parse "$bad"
	ok "invalid code '$bad' exits 2" eq "$rc:$(contains "$err" "(invalid_dossier_code)" && echo y)" "2:y"
done

run code make 000.00.01.H26 2025-04-25 7
ok "make short (no long_from)" eq "$(json_get 'j["code"]+"/"+j["layout"]')" "000.00.01.H26-250425-0007/short"
run code make 000.00.01.H26 2025-04-25 9999
ok "make 9999 stays short" eq "$(json_get 'j["code"]')" 000.00.01.H26-250425-9999
run code make 000.00.01.H26 2025-04-25 10000
ok "make 10000 goes long" eq "$(json_get 'j["code"]')" 000.00.01.H26-20250425-0010000
run code make 000.00.01.H26 2025-04-25 10000000
ok "make past 9999999 fails with sequence_exhausted" eq "$rc:$(contains "$err" "(sequence_exhausted)" && echo y)" "1:y"

export MOTCUA_DOSSIER_CODE_LONG_FROM=2025-07-01
run code make 000.00.01.H26 2025-06-30 1
unset MOTCUA_DOSSIER_CODE_LONG_FROM
ok "day before long_from: short" eq "$(json_get 'j["code"]')" 000.00.01.H26-250630-0001
export MOTCUA_DOSSIER_CODE_LONG_FROM=2025-07-01
run code make 000.00.01.H26 2025-07-01 1
unset MOTCUA_DOSSIER_CODE_LONG_FROM
ok "from long_from on: long" eq "$(json_get 'j["code"]')" 000.00.01.H26-20250701-0000001
printf '[motcua]\ndossier_code_long_from = 2025-01-01\n' >long.ini
run --config long.ini code make 000.A0.01.H26 2025-04-25 42
ok "long_from from the ini file" eq "$(json_get 'j["code"]')" 000.A0.01.H26-20250425-0000042

# What make writes, parse reads back.
run code make 000.00.01.H26 2024-02-29 123
code=$(json_get 'j["code"]')
run code parse "$code"
ok "make then parse round-trips" eq "$(json_get 'j["date"]+"/"+str(j["sequence"])')" "2024-02-29/123"

run code make 000.00.01.h26 2025-04-25 1
ok "lower-case unit exits 2" eq "$rc:$(contains "$err" "lower-case" && echo y)" "2:y"
run code make 000.00.01.H26 2025-02-29 1
ok "invalid date exits 2" eq "$rc" 2
run code make 000.00.01.H26 2025-04-25 0
ok "sequence 0 exits 2" eq "$rc" 2
run code make 000.00.01.H26 2025-04-25 seven
ok "non-numeric sequence exits 2" eq "$rc" 2
run code make 000.00.01.H26 2025-04-25
ok "missing sequence exits 2" eq "$rc" 2
run code
ok "no subcommand exits 2" eq "$rc" 2
run code frobnicate x
ok "unknown subcommand exits 2" eq "$rc:$(contains "$err" "'frobnicate'" && echo y)" "2:y"
run code parse a b
ok "extra argument exits 2" eq "$rc" 2
done_testing
