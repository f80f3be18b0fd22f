# Scenario tests of `motcua lunar`: solar to lunar, lunar to solar (leap months
# included), the JSON fields and their order, and bad input (exit 2).
# Expected values: Tết Ất Tỵ on 2025-01-29 (the Government's Tết 2025 notice);
# 2025 has a leap month 6 that starts on 2025-07-25 and Tết 1985 fell on
# 1985-01-21 in Vietnam (Hồ Ngọc Đức, "Computing the Vietnamese lunar
# calendar"); Hùng Kings' day 10/3 = 2026-04-26 (official announcement).
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

run lunar 2025-07-25
ok "solar to lunar exits 0" eq "$rc" 0
ok "2025-07-25 is 1/6 leap of 2025" eq "$(json_get '"%d/%d/%d/%s" % (j["day"], j["month"], j["year"], j["leap"])')" "1/6/2025/True"
ok "year name Ất Tỵ" eq "$(json_get 'j["can_chi"]')" "Ất Tỵ"
ok "first keys in order" eq "$(json_get '",".join(list(j)[:5])')" "day,month,year,leap,can_chi"
ok "month and day names" eq "$(json_get 'j["can_chi_month"]+"/"+j["can_chi_day"]')" "Quý Mùi/Ất Mùi"
ok "solar date and weekday" eq "$(json_get 'j["solar"]+"/"+j["weekday"]+"/"+j["weekday_vi"]')" "2025-07-25/Fri/Thứ Sáu"
ok "leap month 6 has 29 days" eq "$(json_get '"%d/%d" % (j["month_length"], j["leap_month"])')" "29/6"

run lunar 2024-02-10
ok "Tết Giáp Thìn" eq "$(json_get '"%d/%d/%d %s" % (j["day"], j["month"], j["year"], j["can_chi"])')" "1/1/2024 Giáp Thìn"
ok "no leap month in 2024" eq "$(json_get 'j["leap_month"]')" 0

run lunar 1985-01-21
ok "Tết 1985 in Vietnam a month before China's" eq "$(json_get '"%d/%d/%d" % (j["day"], j["month"], j["year"])')" "1/1/1985"

run lunar --to-solar 2025-01-01
ok "lunar to solar exits 0" eq "$rc" 0
ok "1/1/2025 is 2025-01-29" eq "$(json_get 'j["date"]')" "2025-01-29"
ok "date comes first, lunar fields echoed" eq "$(json_get '",".join(list(j)[:6])')" "date,day,month,year,leap,can_chi"
ok "echoed lunar date" eq "$(json_get '"%d/%d/%d/%s" % (j["day"], j["month"], j["year"], j["leap"])')" "1/1/2025/False"

run lunar --to-solar --leap 2025-06-01
ok "1/6 leap 2025 is 2025-07-25" eq "$rc:$(json_get 'j["date"]')" "0:2025-07-25"
run lunar --leap --to-solar 2025-06-01
ok "options in any order" eq "$(json_get 'j["date"]')" "2025-07-25"
run lunar --to-solar 2025-06-01
ok "1/6 (not leap) 2025 is 2025-06-25" eq "$(json_get 'j["date"]')" "2025-06-25"
run lunar --to-solar 2026-03-10
ok "Hùng Kings' day 2026" eq "$(json_get 'j["date"]')" "2026-04-26"
run lunar --to-solar 2025-06-30
ok "day 30 of a 30-day month, not a Gregorian date" eq "$rc:$(json_get 'j["date"]')" "0:2025-07-24"

# Round trip through both directions.
run lunar 2033-12-22
ok "2033 has a leap month 11" eq "$(json_get '"%d/%d/%s" % (j["month"], j["year"], j["leap"])')" "11/2033/True"
run lunar --to-solar --leap 2033-11-01
ok "and back" eq "$(json_get 'j["date"]')" "2033-12-22"

# Bad input: exit 2 with the error code in the message.
run lunar
ok "no date exits 2" eq "$rc" 2
ok "no date is a usage error" contains "$err" "(usage)"
run lunar ""
ok "empty date exits 2" eq "$rc" 2
ok "empty date is an invalid date" contains "$err" "(invalid_date)"
run lunar 2025-02-30
ok "no such solar date exits 2" eq "$rc:$(contains "$err" "(invalid_date)" && echo y)" "2:y"
run lunar 2025-7-25
ok "loose solar date exits 2" eq "$rc" 2
run lunar 2025-07-25 2025-07-26
ok "two dates exit 2" eq "$rc:$(contains "$err" "(usage)" && echo y)" "2:y"
run lunar --bogus 2025-07-25
ok "unknown option exits 2" eq "$rc:$(contains "$err" "'--bogus'" && echo y)" "2:y"
run lunar --leap 2025-06-01
ok "--leap without --to-solar exits 2" eq "$rc:$(contains "$err" "(usage)" && echo y)" "2:y"
run lunar --to-solar --leap 2025-05-01
ok "a leap month the year does not have" eq "$rc:$(contains "$err" "(invalid_lunar_date)" && echo y)" "2:y"
run lunar --to-solar 2025-02-30
ok "day 30 of a 29-day lunar month" eq "$rc:$(contains "$err" "(invalid_lunar_date)" && echo y)" "2:y"
run lunar --to-solar 2025-13-01
ok "lunar month 13" eq "$rc:$(contains "$err" "(invalid_lunar_date)" && echo y)" "2:y"
run lunar --to-solar 2025-01-31
ok "lunar day 31" eq "$rc:$(contains "$err" "(invalid_lunar_date)" && echo y)" "2:y"
run lunar --to-solar 2025-1-1
ok "loose lunar date" eq "$rc:$(contains "$err" "(invalid_date)" && echo y)" "2:y"
run lunar --to-solar ""
ok "empty lunar date" eq "$rc:$(contains "$err" "(invalid_date)" && echo y)" "2:y"
run lunar 1799-12-31
ok "before 1800 is out of the calendar" eq "$rc:$(contains "$err" "(date_out_of_calendar)" && echo y)" "2:y"
run lunar 2200-01-01
ok "after 2199 is out of the calendar" eq "$rc:$(contains "$err" "(date_out_of_calendar)" && echo y)" "2:y"
run lunar --to-solar 2200-01-01
ok "lunar year 2200 is out of the calendar" eq "$rc:$(contains "$err" "(date_out_of_calendar)" && echo y)" "2:y"
run lunar 1800-01-01
ok "1800-01-01 is in lunar 1799" eq "$rc:$(json_get '"%d/%d/%d" % (j["day"], j["month"], j["year"])')" "0:7/12/1799"
run lunar 2199-12-31
ok "2199-12-31 is the last day" eq "$rc" 0

done_testing
