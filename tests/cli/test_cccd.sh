# Scenario tests of `motcua cccd`: decoding, consistency with a declared date
# of birth and sex, the future-year rule with a fixed clock, and bad input.
# Expected values: Decree 137/2015/NĐ-CP Art. 13, Circular 07/2016/TT-BCA Annex 1.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

run cccd 001305000123
ok "a valid number exits 0" eq "$rc" 0
ok "number echoed" eq "$(json_get 'j["number"]')" 001305000123
ok "province code 001" eq "$(json_get 'j["province_code"]')" 001
ok "province Hà Nội with diacritics" eq "$(json_get 'j["province"]')" "Hà Nội"
ok "not registered abroad" eq "$(json_get 'j["registered_abroad"]')" false
ok "sex female (digit 3)" eq "$(json_get 'j["sex"]')" female
ok "21st century" eq "$(json_get 'j["century"]')" 21
ok "born 2005" eq "$(json_get 'j["birth_year"]')" 2005
ok "keys in order" eq "$(json_get '",".join(list(j)[:5])')" "number,province_code,province,registered_abroad,country_code"

run cccd 079084000999
ok "Hồ Chí Minh, male, 1984" eq "$(json_get 'j["province"]+"/"+j["sex"]+"/"+str(j["birth_year"])')" "Hồ Chí Minh/male/1984"

run cccd 096199000001
ok "Cà Mau, female, 20th century" eq "$(json_get 'j["province"]+"/"+j["sex"]+"/"+str(j["century"])')" "Cà Mau/female/20"

run cccd 175305000123
ok "abroad code exits 0" eq "$rc" 0
ok "abroad: registered_abroad true" eq "$(json_get 'j["registered_abroad"]')" true
ok "abroad: country code, no province" eq "$(json_get 'j["country_code"]+"/"+str(j["province_code"])')" "175/None"
ok "abroad: place status unconfirmed" eq "$(json_get 'j["place_status"]')" unconfirmed

# Consistency with the declared date of birth and sex.
run cccd 001305000123 --birth-date 2005-06-01 --sex female
ok "consistent declaration exits 0" eq "$rc:$(json_get 'j["consistent"]')" "0:true"
ok "declared values echoed" eq "$(json_get 'j["declared_birth_date"]+"/"+j["declared_sex"]')" "2005-06-01/female"
run cccd 001305000123 --birth-date=2004-12-31
ok "year mismatch exits 2" eq "$rc" 2
ok "year mismatch reason" contains "$err" "born in 2005, but the declared date of birth is 2004-12-31"
ok "year mismatch code" contains "$err" "(cccd_mismatch)"
run cccd 001305000123 --sex male
ok "sex mismatch exits 2" eq "$rc" 2
ok "sex mismatch reason" contains "$err" "the number is of a female, but the declared sex is male"
run cccd 001305000123 --sex=nữ
ok "Vietnamese sex value accepted" eq "$rc" 0
run cccd 001305000123 --sex other
ok "invalid sex exits 2" eq "$rc" 2
run cccd 001305000123 --birth-date 2005-02-30
ok "invalid date of birth exits 2" eq "$rc" 2
ok "invalid date named" contains "$err" "'2005-02-30'"

# A birth year after today's year is refused (fixed clock).
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true MOTCUA_NOW=2025-04-25T10:00
run cccd 001226000123
unset MOTCUA_ALLOW_CLOCK_OVERRIDE MOTCUA_NOW
ok "birth year in the future exits 2" eq "$rc" 2
ok "future reason" contains "$err" "2026 (digits 4-6) is in the future"
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true MOTCUA_NOW=2026-01-01T00:00
run cccd 001226000123
unset MOTCUA_ALLOW_CLOCK_OVERRIDE MOTCUA_NOW
ok "same number a year later is fine" eq "$rc" 0
export MOTCUA_ALLOW_CLOCK_OVERRIDE=true MOTCUA_NOW=2025-04-25T10:00
run cccd 001205000123 --birth-date 2025-05-01
unset MOTCUA_ALLOW_CLOCK_OVERRIDE MOTCUA_NOW
ok "date of birth after today exits 2" eq "$rc" 2

# Malformed numbers.
for bad in 00130500012 0013050001234 00130500012A "001 305000123" "" 000305000123 003305000123 098305000123; do
	run cccd "$bad"
	ok "invalid '$bad' exits 2 with invalid_cccd" eq "$rc:$(contains "$err" "(invalid_cccd)" && echo y)" "2:y"
done
run cccd 003305000123
ok "unknown code is named" contains "$err" "'003'"
run cccd
ok "no number exits 2" eq "$rc" 2
run cccd 001305000123 001305000123
ok "two numbers exit 2" eq "$rc" 2
run cccd 001305000123 --nosuch
ok "unknown option exits 2" eq "$rc:$(contains "$err" "'--nosuch'" && echo y)" "2:y"
run cccd 001305000123 --birth-date
ok "option without value exits 2" eq "$rc" 2
done_testing
