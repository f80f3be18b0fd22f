# Scenario tests of `motcua plan`: MCLP, LSCP, coverage, p-median and p-center on
# small files written here (expected values worked by hand: points on a line
# 0, 1000, ..., 6000 m), the OR-Library pmed1 file (optimum 5819 in
# OR-Library's pmedopt.txt), and the refusals of bad input.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

# Seven points on a line, 1 km apart; weights 1..7 (total 28).
cat >line.csv <<'CSV'
id,x,y,weight
p0,0,0,1
p1,1000,0,2
p2,2000,0,3
p3,3000,0,4
p4,4000,0,5
p5,5000,0,6
p6,6000,0,7
CSV
printf 'id\np0\n' >fixed.csv

run plan mclp --demand line.csv --radius 1000 --p 1
ok "mclp exits 0" eq "$rc" 0
ok "mclp p=1 picks p5 (covers p4,p5,p6: 18)" eq "$(json_get 'j["selected"]')" '["p5"]'
ok "mclp objective and covered weight 18" eq "$(json_get '[j["objective"], j["covered_weight"], j["total_weight"]]')" "[18.0, 18.0, 28.0]"
ok "mclp share 18/28" eq "$(json_get 'round(j["covered_share"], 6)')" "0.642857"
ok "mclp output has the parameters" eq "$(json_get '[j["model"], j["radius"], j["p"], j["seed"], j["coords"]]')" '["mclp", 1000.0, 1, 1, "metres"]'
ok "mclp has mean, max distance and seconds" eq "$(json_get '[type(j["mean_distance"]).__name__, type(j["max_distance"]).__name__, j["seconds"] >= 0]')" '["float", "float", true]'

run plan mclp --demand line.csv --radius 1000 --p 2 --fixed fixed.csv --seed 7 --iterations 50
ok "mclp keeps the fixed site" eq "$(json_get 'j["selected"]')" '["p0", "p5"]'
ok "mclp with p0 fixed covers 3 + 18" eq "$(json_get 'j["covered_weight"]')" "21.0"
ok "mclp echoes fixed, seed and iterations" eq "$(json_get '[j["fixed"], j["seed"], j["iterations"]]')" '[["p0"], 7, 50]'

run plan lscp --demand line.csv --radius 1000
ok "lscp exits 0" eq "$rc" 0
ok "lscp needs 3 sites" eq "$(json_get '[j["objective"], len(j["selected"])]')" "[3, 3]"
ok "lscp covers everything, proven" eq "$(json_get '[j["covered_share"], j["uncoverable"], j["proven_optimal"]]')" "[1.0, [], true]"

# Sites elsewhere: p0 and p1 (2,062 m from s1) are out of reach of every site.
printf 'id,x,y\ns1,3000,500\ns2,6000,0\n' >sites.csv
run plan lscp --demand line.csv --sites sites.csv --radius 2000
ok "lscp reports the uncoverable points" eq "$(json_get 'j["uncoverable"]')" '["p0", "p1"]'
ok "lscp opens both sites" eq "$(json_get 'j["selected"]')" '["s1", "s2"]'

run plan coverage --demand line.csv --sites sites.csv --radius 1500 --top 2
ok "coverage exits 0" eq "$rc" 0
ok "coverage: within 1.5 km of s1 or s2" eq "$(json_get '[p["id"] for p in j["points"] if p["covered"]]')" '["p2", "p3", "p4", "p5", "p6"]'
ok "coverage share 25/28" eq "$(json_get 'round(j["covered_share"], 6)')" "0.892857"
ok "coverage worst-served first: p0" eq "$(json_get '[w["id"] for w in j["worst"]]')" '["p0", "p1"]'
ok "coverage worst has nearest and distance" eq "$(json_get '[j["worst"][0]["nearest"], round(j["worst"][0]["distance"], 3)]')" '["s1", 3041.381]'

run plan coverage --demand line.csv --sites sites.csv --minutes 6 --speeds 20,30,40 --circuity 1.3
# 6 min at 20 km/h with circuity 1.3 reaches 2000/1.3 = 1538 m
ok "coverage by minutes" eq "$(json_get '[j["minutes_weight"], j["radius_weight"]]')" "[25.0, null]"
ok "coverage echoes speeds" eq "$(json_get 'j["speeds_kmh"]')" '{"urban": 20.0, "suburban": 30.0, "rural": 40.0}'

run plan pmedian --demand line.csv --p 1
ok "pmedian exits 0" eq "$rc" 0
ok "pmedian p=1: the weighted median p4" eq "$(json_get 'j["selected"]')" '["p4"]'
ok "pmedian objective 4+6+6+4+0+6+14 km" eq "$(json_get 'j["objective"]')" "40000.0"

run plan pcenter --demand line.csv --p 1
ok "pcenter p=1: the middle p3, 3 km" eq "$(json_get '[j["selected"], j["max_distance"]]')" '[["p3"], 3000.0]'

run plan pmed "$TOP/bench/data/pmed/pmed1.txt"
ok "pmed1 reaches OR-Library's optimum 5819" eq "$(json_get 'j["objective"]')" "5819.0"

# A matrix replacing geometry: ids kept as given, unlisted pairs unreachable.
printf 'id,weight\nA,5\nB,1\n' >d.csv
printf 'id\nX\nY\n' >s.csv
printf 'demand_id,site_id,distance\nA,X,3\nB,Y,9\n' >m.csv
run plan mclp --demand d.csv --sites s.csv --matrix m.csv --radius 5 --p 1
ok "mclp on a matrix" eq "$(json_get '[j["selected"], j["covered_weight"], j["coords"]]')" '[["X"], 5.0, "matrix"]'

# Refusals: exit 2 and a message naming the line and column.
printf 'id,x,y,weight\na,0,0,1\nb,0,0,-3\n' >neg.csv
run plan mclp --demand neg.csv --radius 1 --p 1
ok "negative weight refused (exit 2)" eq "$rc" 2
ok "negative weight message names line and column" contains "$err" "demand: line 3, column 4 (weight): negative weight"
printf 'id,x,y\na,0,0\n' >nocol.csv
run plan lscp --demand nocol.csv --radius 1
ok "missing column refused" eq "$rc:$(contains "$err" "missing column 'weight'" && echo y)" "2:y"
printf 'id,x,y,weight\na,0,zero,1\n' >nan.csv
run plan lscp --demand nan.csv --radius 1
ok "non-numeric value refused" contains "$err" "line 2, column 3 (y): 'zero' is not a number"
printf 'id,x,y,weight\na,0,0,1\na,1,1,1\n' >dup.csv
run plan lscp --demand dup.csv --radius 1
ok "duplicate id refused" contains "$err" "duplicate id 'a'"
: >empty.csv
run plan lscp --demand empty.csv --radius 1
ok "empty file refused" eq "$rc:$(contains "$err" "empty file" && echo y)" "2:y"
printf 'demand_id,site_id,distance\nA,Z,1\n' >badm.csv
run plan mclp --demand d.csv --sites s.csv --matrix badm.csv --radius 5 --p 1
ok "unknown id in the matrix refused" contains "$err" "line 2, column 2: unknown site id 'Z'"
printf 'id,lat,lon\ns,21,105\n' >ll.csv
run plan lscp --demand line.csv --sites ll.csv --radius 1
ok "mixed coordinate kinds refused" contains "$err" "lat,lon but the demand file's are x,y"
run plan mclp --demand line.csv --radius 1000 --p 8
ok "p larger than the candidates refused" eq "$rc:$(contains "$err" "larger than the 7 candidate sites" && echo y)" "2:y"
run plan mclp --demand line.csv --p 1
ok "mclp without radius refused" eq "$rc" 2
run plan mclp --demand line.csv --radius 1000
ok "mclp without p refused" eq "$rc" 2
run plan mclp --demand line.csv --radius -5 --p 1
ok "negative radius refused" eq "$rc" 2
run plan mclp --demand line.csv --radius 1000 --p 1 --bogus 3
ok "unknown option refused" eq "$rc:$(contains "$err" "'--bogus'" && echo y)" "2:y"
run plan lscp --demand line.csv --radius 1000 --p 2
ok "an option the model does not take is refused" eq "$rc" 2
run plan mclp --demand "" --radius 1 --p 1
ok "empty argument refused" eq "$rc" 2
run plan mclp --demand missing.csv --radius 1 --p 1
ok "missing file refused" eq "$rc:$(contains "$err" "missing.csv" && echo y)" "2:y"
run plan coverage --demand d.csv --sites s.csv --matrix m.csv --minutes 5
ok "minutes on a matrix refused" eq "$rc" 2
printf 'id\nnope\n' >badfixed.csv
run plan mclp --demand line.csv --radius 1000 --p 2 --fixed badfixed.csv
ok "unknown fixed site refused" contains "$err" "fixed: line 2, column 1: unknown site id 'nope'"
run plan hanoi-nope
ok "unknown model refused" eq "$rc" 2
run plan mclp --demand line.csv --radius 1000 --p 1 --iterations 0
ok "zero iterations refused" eq "$rc" 2
run plan mclp --demand line.csv --radius 1000 --p 1 --time-limit 0
ok "zero time limit refused" eq "$rc" 2

done_testing
