# Scenario tests of `motcua due`: the legal due time of a dossier.
# Expected values come from data/holidays.csv (each row cites its announcement:
# the 30/4-1/5/2025 swap Fri 2/5 <-> Sat 26/4, VietnamNews 1693234; New Year
# 2026 off 1-2/1, VietnamNews 1732658; Tết 2026 off 16-20/2, VietnamNews
# 1727514), Civil Code 2015 Art. 147 (day 1 is the day after the reception) and
# the documented interpretations of docs/calendar.md.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

# The example of the issue: Saturday 26/4/2025 was a make-up working day.
run due --received "2025-04-25T10:00" --days 2
ok "example exits 0" eq "$rc" 0
ok "example due is Monday 28/4/2025 17:00" eq "$(json_get 'j["due"]')" "2025-04-28T17:00:00+07:00"
ok "due is the first key" eq "$(json_get 'list(j)[0]')" "due"
ok "received echoed" eq "$(json_get 'j["received"]')" "2025-04-25T10:00:00+07:00"
ok "legal reception is the receipt itself" eq "$(json_get 'j["legal_reception"]')" "2025-04-25T10:00:00+07:00"
ok "working_days echoed" eq "$(json_get 'j["working_days"]')" 2
ok "no cut-off for a 2-day procedure" eq "$(json_get 'j["cutoff"]')" null
ok "the make-up Saturday is listed" eq "$(json_get '[d["date"]+":"+d["kind"] for d in j["calendar"]["days"]]')" '["2025-04-26:work"]'
ok "nothing provisional in 2025" eq "$(json_get 'j["calendar"]["provisional"]')" false
ok "built-in data used" eq "$(json_get 'j["calendar"]["holidays_data"]')" embedded

# --opt=value form; an offset other than +07:00.
run due --received=2025-04-25T03:00Z --days=2
ok "--opt=value and UTC time" eq "$(json_get 'j["due"]')" "2025-04-28T17:00:00+07:00"

# Outside office hours: 17:00 exactly belongs to the next working period.
run due --received "2025-03-03T17:00" --days 1
ok "received at 17:00 counts from Tuesday 08:00" eq "$(json_get 'j["legal_reception"]')" "2025-03-04T08:00:00+07:00"
ok "so 1 day is Wednesday" eq "$(json_get 'j["due"]')" "2025-03-05T17:00:00+07:00"
ok "a note says so" contains "$(json_get 'j["notes"][0]')" "outside office hours"
run due --received "2025-03-03T08:00" --days 0
ok "received at 08:00 is that period" eq "$(json_get 'j["legal_reception"]')" "2025-03-03T08:00:00+07:00"

# Same-day procedures: the default 15:00 cut-off; --cutoff none; --cutoff HH:MM.
run due --received "2025-03-03T14:59" --days 0
ok "same day, 14:59: due today" eq "$(json_get 'j["due"]')" "2025-03-03T17:00:00+07:00"
ok "default cut-off shown" eq "$(json_get 'j["cutoff"]')" "15:00"
run due --received "2025-03-03T15:01" --days 0
ok "same day, 15:01: due the next working day" eq "$(json_get 'j["due"]')" "2025-03-04T17:00:00+07:00"
ok "cut-off note" contains "$(json_get 'j["notes"]')" "cut-off"
run due --received "2025-03-03T15:01" --days 0 --cutoff none
ok "--cutoff none disables it" eq "$(json_get 'j["due"]'):$(json_get 'j["cutoff"]')" "2025-03-03T17:00:00+07:00:null"
run due --received "2025-03-03T14:30" --days 1 --cutoff 14:00
ok "--cutoff applies to an N-day procedure" eq "$(json_get 'j["due"]')" "2025-03-05T17:00:00+07:00"
MOTCUA_SAME_DAY_CUTOFF=16:00 run due --received "2025-03-03T15:30" --days 0
ok "same_day_cutoff from the configuration" eq "$(json_get 'j["due"]')" "2025-03-03T17:00:00+07:00"
MOTCUA_SAME_DAY_CUTOFF= run due --received "2025-03-03T16:30" --days 0
ok "empty same_day_cutoff means none" eq "$(json_get 'j["cutoff"]')" null

# Hours: across lunch and a weekend.
run due --received "2025-03-07T11:00" --hours 8
ok "8 working hours from Friday 11:00" eq "$(json_get 'j["due"]')" "2025-03-10T11:00:00+07:00"
ok "working_hours echoed" eq "$(json_get 'j["working_hours"]')" 8

# Across Tết 2026 and New Year 2026.
run due --received "2026-02-13T10:00" --days 3
ok "Tết 2026 crossed" eq "$(json_get 'j["due"]')" "2026-02-25T17:00:00+07:00"
ok "Tết days listed" eq "$(json_get 'len(j["calendar"]["days"])')" 5
run due --received "2025-12-31T10:00" --days 1
ok "31/12/2025 + 1 day = Monday 5/1/2026" eq "$(json_get 'j["due"]')" "2026-01-05T17:00:00+07:00"

# A provisional year: Tết 2027 from the lunar calendar.
run due --received "2027-02-04T10:00" --days 1
ok "Tết 2027 (provisional) crossed" eq "$(json_get 'j["due"]')" "2027-02-12T17:00:00+07:00"
ok "flagged provisional" eq "$(json_get 'j["calendar"]["provisional"]')" true
ok "provisional days listed" eq "$(json_get 'j["calendar"]["provisional_days"][0]')" "2027-02-05"
ok "provisional note" contains "$(json_get 'j["notes"]')" "provisional"

# Office hours from the configuration.
MOTCUA_OFFICE_HOURS=07:30-11:30,13:30-17:30 run due --received "2025-03-03T17:15" --days 0 --cutoff none
ok "office_hours option" eq "$(json_get 'j["due"]'):$(json_get 'j["office_hours"]')" "2025-03-03T17:30:00+07:00:07:30-11:30,13:30-17:30"
MOTCUA_OFFICE_HOURS=8-17 run due --received "2025-03-03T10:00" --days 0
ok "bad office_hours: exit 2" eq "$rc" 2
ok "bad office_hours: named" contains "$err" "office_hours"

# The edge of the calendar (2000..2100).
run due --received "2100-12-31T10:00" --days 1
ok "past the end of the calendar: exit 2" eq "$rc" 2
ok "past the end: code" contains "$err" "date_out_of_calendar"
run due --received "1999-12-31T10:00" --days 1
ok "before the calendar: exit 2" eq "$rc" 2

# Bad input: exit 2.
for args in "--days 2" "--received 2025-04-25T10:00" "--received 2025-04-25T10:00 --days 1 --hours 2" \
	"--received 2025-04-25 --days 1" "--received 2025-02-30T10:00 --days 1" \
	"--received 2025-04-25T10:00 --days -1" "--received 2025-04-25T10:00 --days x" \
	"--received 2025-04-25T10:00 --days 99999" "--received 2025-04-25T10:00 --days 1 --cutoff 25:00" \
	"--received 2025-04-25T10:00 --days 1 --cutoff 07:00" "--received 2025-04-25T10:00 --days 1 --bogus" \
	"--received 2025-04-25T10:00 --days 1 extra" "--received 2025-04-25T10:00 --days 1 --days 2" \
	"--received 2025-04-25T10:00 --days"; do
	# shellcheck disable=SC2086
	run due $args
	ok "bad input exits 2: $args" eq "$rc:$out" "2:"
done
run due --received "" --days 1
ok "empty --received exits 2" eq "$rc" 2
run due --received 2025-04-25T10:00 --days ""
ok "empty --days exits 2" eq "$rc" 2

# Holiday data from a file: used, and errors name the file and line.
printf '%s\n%s\n' 'date,kind,occasion,year,status,name_vi,name_en,source' \
	'2025-04-28,off,other,2025,confirmed,Nghỉ thử,Test day off,test' >h.csv
MOTCUA_HOLIDAYS_FILE=h.csv run due --received "2025-04-25T10:00" --days 1
ok "holidays_file used (26/4 no longer a working day, 28/4 off)" eq "$(json_get 'j["due"]')" "2025-04-29T17:00:00+07:00"
ok "holidays_file named" eq "$(json_get 'j["calendar"]["holidays_data"]')" "h.csv"
printf '%s\n%s\n' 'date,kind,occasion,year,status,name_vi,name_en,source' \
	'2025-04-28,work,other,2025,confirmed,a,b,c' >bad.csv
MOTCUA_HOLIDAYS_FILE=bad.csv run due --received "2025-04-25T10:00" --days 1
ok "bad holiday data fails" eq "$rc" 1
ok "the error names the file and the line" contains "$err" "bad.csv: line 2: work day '2025-04-28' falls on a weekday"
MOTCUA_HOLIDAYS_FILE=nosuch.csv run due --received "2025-04-25T10:00" --days 1
ok "missing holidays_file fails" eq "$rc" 1
ok "missing holidays_file named" contains "$err" "'nosuch.csv'"

done_testing
