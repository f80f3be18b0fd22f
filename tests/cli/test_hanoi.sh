# Scenario tests of `motcua plan hanoi`: the report on the bundled data
# (census total 8,053,663 of the 2019 census, GSO, as in data/districts-2019.csv;
# 30 service points and 12 branches of data/units.csv; 126 communes), the
# bound by area (30 x pi x 5^2 = 2356.19 km2) and the refusals of bad options.
. "$TOP/tests/cli/lib.sh"

run plan hanoi --data "$TOP/data" --iterations 300
ok "hanoi exits 0" eq "$rc" 0
ok "hanoi model and parameters" eq "$(json_get '[j["model"], j["radius_km"], j["minutes"], j["p"], j["iterations"]]')" '["hanoi", 5.0, 30.0, 30, 300]'
ok "census total kept exactly" eq "$(json_get 'j["demand"]["population"]')" 8053663
ok "126 communes, 30 districts, about 13,500 cells" eq "$(json_get '[j["demand"]["communes"], j["demand"]["districts"], 13000 < j["demand"]["cells"] < 14000]')" '[126, 30, true]'
ok "candidates: 30 points, 12 branches, 126 centroids, about 1,000 in all" eq "$(json_get '[j["candidates"]["service_points"], j["candidates"]["branches"], j["candidates"]["commune_centroids"], 900 < j["candidates"]["total"] < 1100, j["candidates"]["total"] == 30 + 12 + 126 + j["candidates"]["grid"]]')" '[30, 12, 126, true, true]'
ok "today: 30 points, shares in [0, 1], either >= each" eq "$(json_get '[j["today"]["n_points"], len(j["today"]["points"]), 0 < j["today"]["within_radius"]["share"] < 1, j["today"]["within_either"]["population"] >= max(j["today"]["within_radius"]["population"], j["today"]["within_minutes"]["population"])]')" '[30, 30, true, true]'
ok "today: population shares agree with the total" eq "$(json_get 'abs(j["today"]["within_radius"]["population"] / 8053663 - j["today"]["within_radius"]["share"]) < 1e-9')" true
ok "today: 10 worst communes, worst first" eq "$(json_get '[len(j["today"]["worst_communes"]), all(a["within_radius_share"] <= b["within_radius_share"] for a, b in zip(j["today"]["worst_communes"], j["today"]["worst_communes"][1:]))]')" '[10, true]'
ok "fewest by distance: a cover with no uncoverable population, above its bound" eq "$(json_get '[j["fewest_radius"]["uncoverable_population"], j["fewest_radius"]["sites"] >= j["fewest_radius"]["lower_bound"] > 30, len(j["fewest_radius"]["selected"]) == j["fewest_radius"]["sites"]]')" '[0, true, true]'
ok "best 30 by distance beats today's 30 and stays under its bound" eq "$(json_get '[len(j["best_radius"]["selected"]), j["today"]["within_radius"]["population"] <= j["best_radius"]["covered"]["population"] <= j["best_radius"]["upper_bound"] < 8053663]')" '[30, true]'
ok "30-minute variant present" eq "$(json_get '[len(j["best_minutes"]["selected"]), j["fewest_minutes"]["sites"] >= 1, j["best_minutes"]["covered"]["population"] <= 8053663]')" '[30, true, true]'
ok "bound by area: 2356 km2 of about 3,360 km2" eq "$(json_get '[round(j["limit"]["discs_area_km2"], 2), 3300 < j["limit"]["hanoi_area_km2"] < 3420, "cannot keep the 5 km promise" in j["limit"]["statement"]]')" '[2356.19, true, true]'
ok "seconds reported" eq "$(json_get 'j["seconds"] >= 0')" true

first=$out
run plan hanoi --data "$TOP/data" --iterations 300
ok "same answer on a second run (seconds aside)" eq "$(printf '%s' "$first" | python3 -c 'import json,sys; j=json.load(sys.stdin); j.pop("seconds"); print(json.dumps(j))')" "$(json_get 'dict((k, v) for k, v in j.items() if k != "seconds")' | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))')"

run plan hanoi --data "$TOP/data" --radius 0
ok "radius 0 refused (exit 2)" eq "$rc" 2
run plan hanoi --data "$TOP/data" --p 0
ok "p 0 refused (exit 2)" eq "$rc" 2
run plan hanoi --data "$TOP/data" --p 5000
ok "p larger than the candidates refused" contains "$err" "candidate sites"
run plan hanoi --data "$TOP/data" --bogus 1
ok "unknown option refused (exit 2)" eq "$rc" 2
run plan hanoi --data ""
ok "empty value refused (exit 2)" eq "$rc" 2
run plan hanoi --data "$TOP/no-such-dir"
ok "missing data directory refused" eq "$(test "$rc" -ne 0 && echo yes)" yes

done_testing
