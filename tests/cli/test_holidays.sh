# Scenario tests of `motcua holidays YEAR`. Expected values: data/holidays.csv
# (announced 2026 schedule: VietnamNews 1732658, 1727514; Thanh Niên 13/1/2026
# for Hùng Kings on Sunday 26/4/2026 -> Monday 27/4), Labour Code 2019
# Art. 111(3), 112, and the lunar calendar for the provisional 2027.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

run holidays 2026
ok "2026 exits 0" eq "$rc" 0
ok "year echoed" eq "$(json_get 'j["year"]')" 2026
ok "sorted by date" eq "$(json_get '[d["date"] for d in j["days"]] == sorted(d["date"] for d in j["days"])')" true
ok "every day has the fields" eq "$(json_get 'all(set(d) >= {"date","kind","occasion","name_vi","name_en","source","status"} for d in j["days"])')" true
ok "make-up Saturdays 10/1 and 22/8" eq "$(json_get '[d["date"] for d in j["days"] if d["kind"]=="work"]')" '["2026-01-10", "2026-08-22"]'
ok "Tết 16-20/2 off" eq "$(json_get '[d["date"] for d in j["days"] if d["occasion"]=="tet" and not d["weekend"]]')" '["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]'
ok "Hùng Kings on Sunday 26/4 marked weekend" eq "$(json_get '[d["weekend"] for d in j["days"] if d["date"]=="2026-04-26"]')" '[true]'
ok "Monday 27/4 off" eq "$(json_get '[d["kind"]+":"+d["occasion"] for d in j["days"] if d["date"]=="2026-04-27"]')" '["off:hung_kings"]'
ok "13 weekdays off" eq "$(json_get 'j["weekdays_off"]')" 13
ok "250 working days" eq "$(json_get 'j["working_days"]')" 250
ok "all confirmed" eq "$(json_get 'sorted(set(d["status"] for d in j["days"]))')" '["confirmed"]'
ok "source kept" contains "$(json_get '[d["source"] for d in j["days"] if d["date"]=="2026-01-10"][0]')" "vietnamnews.vn"
ok "uncertain Culture Day left out" eq "$(json_get '[d for d in j["days"] if d["date"]=="2026-11-24"]')" '[]'

MOTCUA_HOLIDAYS_INCLUDE_UNCERTAIN=true run holidays 2026
ok "uncertain included on request" eq "$(json_get '[d["status"] for d in j["days"] if d["date"]=="2026-11-24"]')" '["uncertain"]'
ok "include_uncertain echoed" eq "$(json_get 'j["include_uncertain"]')" true

run holidays 2027
ok "2027 provisional" eq "$(json_get 'j["provisional"]'):$(json_get 'sorted(set(d["status"] for d in j["days"]))')" 'true:["provisional"]'
ok "Tết 2027 on Saturday 6/2 (weekend)" eq "$(json_get '[d["occasion"]+":"+str(d["weekend"]) for d in j["days"] if d["date"]=="2027-02-06"]')" '["tet:True"]'
ok "compensatory days for Tết 2027" eq "$(json_get '[d["date"] for d in j["days"] if d["origin"]=="compensatory" and d["occasion"]=="tet"]')" '["2027-02-10", "2027-02-11"]'

run holidays 2000
ok "first year of the table" eq "$rc" 0
run holidays 2100
ok "last year of the table" eq "$rc" 0
for y in 1999 2101 "" abc 20x6 -2026 +2026 " 2026" 99999999999999999999; do
	run holidays "$y"
	ok "bad year '$y' exits 2" eq "$rc:$out" "2:"
done
run holidays
ok "no year exits 2" eq "$rc" 2
run holidays 2026 2027
ok "two years exit 2" eq "$rc" 2
run holidays --bogus
ok "unknown option exits 2" eq "$rc" 2

done_testing
