# Scenario tests of `motcua erlang`: sizing and evaluating a service point by
# Erlang C, unstable systems, and refusal of bad input.
# Worked examples: the call-centre example of pyworkforce 0.1.0 and of the R
# package ErlangC 0.1.0 (100 arrivals per 30 min, 180 s, 80 % within 20 s ->
# 14 desks, 20 staff at 30 % shrinkage, service level 0.88835, P(wait)
# 0.17413, ASA 7.836 s, occupancy 0.714); Mitan Ltd's Erlang-C page (360
# calls per 30 min, 240 s, 55 agents: P(wait) 0.2387, ASA 8.184 s, 84.59 %
# within 15 s). See tests/unit/test_erlang.c.
. "$TOP/tests/cli/lib.sh"

# near EXPR VALUE TOL: the JSON field expression is within TOL of VALUE.
near() {
	eq "$(json_get "abs(($1) - ($2)) <= $3")" true
}

run erlang --arrivals 100 --period 1800 --aht 180 --target 0.8 --within 20 \
	--max-occupancy 0.85 --shrinkage 0.3
ok "sizing exits 0" eq "$rc" 0
ok "all the promised fields are there" eq "$(json_get 'all(k in j for k in ["desks","staff","p_wait","service_level","asa","occupancy","offered_load","arrivals","period","aht","target","within","max_occupancy","shrinkage"])')" true
ok "call-centre example: 14 desks" eq "$(json_get 'j["desks"]')" 14
ok "call-centre example: 20 staff at 30 % shrinkage" eq "$(json_get 'j["staff"]')" 20
ok "call-centre example: offered load 10 Erlangs" near 'j["offered_load"]' 10 1e-9
ok "call-centre example: service level 0.88835" near 'j["service_level"]' 0.88835 5e-6
ok "call-centre example: P(wait) 0.17413" near 'j["p_wait"]' 0.1741319 5e-7
ok "call-centre example: ASA 7.836 s" near 'j["asa"]' 7.83594 5e-5
ok "call-centre example: occupancy 0.714" near 'j["occupancy"]' 0.7142857 5e-7
ok "inputs are echoed" eq "$(json_get '[j["arrivals"], j["period"], j["aht"], j["within"], j["mode"]]')" '[100.0, 1800.0, 180.0, 20.0, "size"]'
ok "the service level decided" eq "$(json_get 'j["limited_by"]')" service_level
ok "a stable result has no reason" eq "$(json_get 'j["reason"] is None and j["meets_target"]')" true

run erlang --arrivals=100 --period=1800 --aht=180 --within=20 --desks=14
ok "evaluating 14 desks (--opt=value form)" eq "$rc:$(json_get 'j["mode"]'):$(json_get 'j["desks"]')" 0:evaluate:14
ok "evaluation gives the same service level" near 'j["service_level"]' 0.88835 5e-6
ok "no target given: meets_target is null" eq "$(json_get 'j["meets_target"] is None and j["target"] is None')" true

run erlang --arrivals 100 --period 1800 --aht 180 --within 20 --desks 13 --target 0.8
ok "13 desks miss 80/20" eq "$(json_get 'j["meets_target"]')" false

run erlang --arrivals 100 --period 1800 --aht 180 --within 20 --desks 10
ok "unstable system exits 0" eq "$rc" 0
ok "unstable: asa is null" eq "$(json_get 'j["asa"] is None')" true
ok "unstable: service level 0, P(wait) 1" eq "$(json_get '[j["service_level"], j["p_wait"], j["stable"]]')" '[0.0, 1.0, false]'
ok "unstable: the reason says so" contains "$(json_get 'j["reason"]')" "unstable"

run erlang --arrivals 360 --period 1800 --aht 240 --within 15 --desks 55
ok "Mitan example: P(wait) 0.2387" near 'j["p_wait"]' 0.2387 5e-5
ok "Mitan example: ASA 8.184 s" near 'j["asa"]' 8.184 5e-4
ok "Mitan example: 84.59 % within 15 s" near 'j["service_level"]' 0.8459 5e-5
run erlang --arrivals 360 --period 1800 --aht 240 --within 15 --target 0.8
ok "Mitan example: 80/15 needs 55 agents" eq "$(json_get 'j["desks"]')" 55

run erlang --arrivals 100 --period 1800 --aht 180 --within 20 --target 0.5 --max-occupancy 0.7
ok "the occupancy cap can decide" eq "$(json_get '[j["desks"], j["limited_by"]]')" '[15, "occupancy"]'

run erlang --arrivals 0 --period 3600 --aht 600 --within 60 --target 0.9
ok "no arrivals: no desk" eq "$rc:$(json_get '[j["desks"], j["staff"], j["service_level"]]')" '0:[0, 0, 1.0]'

run erlang --arrivals 98000 --period 1800 --aht 180 --within 20 --target 0.8
ok "9,800 Erlangs: 9,813 desks, finite figures" eq "$rc:$(json_get 'j["desks"]')" 0:9813

run help erlang
ok "help shows the usage" contains "$out" "usage: motcua erlang"

# Bad input: exit 2 with a message naming the problem.
bad() {
	_what=$1
	_word=$2
	shift 2
	run erlang "$@"
	ok "$_what exits 2" eq "$rc" 2
	ok "$_what is explained" contains "$err" "$_word"
}
base="--period 1800 --aht 180 --within 20"
# shellcheck disable=SC2086
{
	bad "missing --arrivals" "'--arrivals' is required" $base --target 0.8
	bad "missing --target when sizing" "'--target' is required" --arrivals 100 $base
	bad "missing --within" "'--within' is required" --arrivals 100 --period 1800 --aht 180 --target 0.8
	bad "empty value" "empty" --arrivals '' $base --target 0.8
	bad "non-numeric period" "'30m' is not a number" --arrivals 100 --period 30m --aht 180 --within 20 --target 0.8
	bad "nan" "not a number" --arrivals nan $base --target 0.8
	bad "infinity" "not a number" --arrivals inf $base --target 0.8
	bad "hexadecimal" "not a number" --arrivals 0x10 $base --target 0.8
	bad "leading space" "not a number" --arrivals ' 5' $base --target 0.8
	bad "negative arrivals" "arrivals" --arrivals -5 $base --target 0.8
	bad "zero period" "period" --arrivals 100 --period 0 --aht 180 --within 20 --target 0.8
	bad "zero aht" "handling time" --arrivals 100 --period 1800 --aht 0 --within 20 --target 0.8
	bad "negative within" "answer time" --arrivals 100 --period 1800 --aht 180 --within -1 --target 0.8
	bad "target 0" "target" --arrivals 100 $base --target 0
	bad "target 1" "target" --arrivals 100 $base --target 1
	bad "target 80" "target" --arrivals 100 $base --target 80
	bad "shrinkage 1" "shrinkage" --arrivals 100 $base --target 0.8 --shrinkage 1
	bad "negative shrinkage" "shrinkage" --arrivals 100 $base --target 0.8 --shrinkage -0.1
	bad "max occupancy 0" "occupancy" --arrivals 100 $base --target 0.8 --max-occupancy 0
	bad "max occupancy above 1" "occupancy" --arrivals 100 $base --target 0.8 --max-occupancy 1.2
	bad "desks 0" "--desks" --arrivals 100 $base --desks 0
	bad "fractional desks" "--desks" --arrivals 100 $base --desks 2.5
	bad "unknown option" "'--foo'" --arrivals 100 $base --target 0.8 --foo 1
	bad "option given twice" "twice" --arrivals 100 --arrivals 50 $base --target 0.8
	bad "option without a value" "needs a value" --arrivals 100 $base --target
	bad "stray argument" "'100'" 100 $base --target 0.8
	bad "more desks than sizable" "desks" --arrivals 1e9 $base --target 0.8
}

done_testing
