# Scenario tests of `motcua import [--data DIR]` and `motcua import population
# FILE` on temporary SQLite databases. Expected counts are those of the
# bundled data/ (126 communes and wards, 62 rows of units.csv + 2 units per
# commune, 77 procedures, 303 components, 222 steps; holidays counted from
# data/holidays.csv). The databases are inspected with Python's sqlite3.
. "$TOP/tests/cli/lib.sh"
cd "$_tmp" || exit 1

sql() { # sql FILE STATEMENT: prints the first column of the first row
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchone(); c.commit(); print(r[0] if r else '')" "$1" "$2"
}
counts() { # the per-table counts of the last answer as "T:ins/upd/unch/deact/del ..."
	json_get '" ".join("%s:%d/%d/%d/%d/%d" % (k, v["inserted"], v["updated"], v["unchanged"], v["deactivated"], v["deleted"]) for k, v in j["tables"].items())'
}

db="$_tmp/x.db"
export MOTCUA_DATABASE="sqlite:$db"
holidays=$(python3 -c "import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'))))" "$TOP/data/holidays.csv")

run import --data "$TOP/data"
ok "import on an unmigrated database fails (exit 1)" eq "$rc" 1
ok "and says to run db migrate" contains "$err" "motcua db migrate"
ok "with the code schema_behind" contains "$err" "(schema_behind)"

run db migrate
run import --data "$TOP/data"
ok "first import exits 0" eq "$rc" 0
ok "first import inserts every row" eq "$(counts)" "communes:126/0/0/0/0 units:314/0/0/0/0 procedures:77/0/0/0/0 components:303/0/0/0/0 steps:222/0/0/0/0 holidays:$holidays/0/0/0/0"
ok "changes add up" eq "$(json_get 'j["changes"]')" "$((126 + 314 + 77 + 303 + 222 + holidays))"
ok "the answer names the data directory" eq "$(json_get 'j["data"]')" "$TOP/data"
ok "keys in order" eq "$(json_get '",".join(j)')" "database,data,tables,changes,warnings,warnings_total"
ok "the database has the 126 communes" eq "$(sql "$db" 'SELECT count(*) FROM commune')" 126
ok "and a receiving People's Committee per commune" eq "$(sql "$db" "SELECT count(*) FROM unit WHERE kind = 'commune_committee' AND receives = 1 AND identifier IS NOT NULL")" 126

run import --data "$TOP/data"
ok "second import exits 0 with 0 changes" eq "$rc:$(json_get 'j["changes"]')" "0:0"
ok "second import leaves every row unchanged" eq "$(counts)" "communes:0/0/126/0/0 units:0/0/314/0/0 procedures:0/0/77/0/0 components:0/0/303/0/0 steps:0/0/222/0/0 holidays:0/0/$holidays/0/0"

cd "$TOP" || exit 1
run import
cd "$_tmp" || exit 1
ok "without --data the import reads ./data" eq "$rc:$(json_get 'j["data"]'):$(json_get 'j["changes"]')" "0:data:0"
run import --data="$TOP/data"
ok "--data=DIR works too" eq "$rc:$(json_get 'j["changes"]')" "0:0"

# A modified copy of the data: one commune renamed, one service point removed.
mkdir data
cp "$TOP"/data/*.csv data/
python3 - <<'EOF'
import io
p = 'data/communes.csv'; s = open(p, encoding='utf-8').read()
open(p, 'w', encoding='utf-8').write(s.replace('00070,Hoàn Kiếm,', '00070,Hoàn Kiếm Mới,', 1))
p = 'data/units.csv'; s = open(p, encoding='utf-8').read()
open(p, 'w', encoding='utf-8').write(''.join(l for l in io.StringIO(s) if not l.startswith('DTN-MY-DUC,')))
EOF
run import --data data
ok "a modified copy imports (exit 0)" eq "$rc" 0
ok "the renamed commune is updated" eq "$(json_get 'j["tables"]["communes"]["updated"]')" 1
ok "its two units are renamed, the removed point deactivated" eq "$(json_get '"%(updated)d/%(deactivated)d" % j["tables"]["units"]')" "2/1"
ok "the point stays, inactive" eq "$(sql "$db" "SELECT active FROM unit WHERE code = 'DTN-MY-DUC'")" 0
run import --data "$TOP/data"
ok "the bundled data puts both back" eq "$(json_get 'j["changes"]')" 4

# A malformed file aborts everything.
before=$(sql "$db" "SELECT count(*) || '/' || sum(active) FROM unit")
sed -i 's/^CN01,branch,/CN01,bra"nch,/' data/units.csv
sed -i 's/00070,Hoàn Kiếm Mới,/00070,Hoàn Kiếm Khác,/' data/communes.csv
run import --data data
ok "a malformed file exits 2" eq "$rc" 2
ok "naming the file, the line and the column" contains "$err" "units.csv line 22, column 2: quote inside an unquoted field"
ok "with the code invalid_data_file" contains "$err" "(invalid_data_file)"
ok "and nothing changed" eq "$(sql "$db" "SELECT count(*) || '/' || sum(active) FROM unit"):$(sql "$db" "SELECT name_vi FROM commune WHERE code = '00070'")" "$before:Hoàn Kiếm"
run import --data "$_tmp/no-such-dir"
ok "a missing data directory fails (exit 1)" eq "$rc" 1
ok "naming the file" contains "$err" "no-such-dir/communes.csv"

# Population registry.
cat >people.csv <<'EOF'
id_number,full_name,birth_date,sex,residence_commune,residence_address
001085012345,Nguyễn Văn An,1985-03-12,male,00070,"Số 1, Hàng Bạc"
001190000001,Trần Thị Bình,1990-12-31,nữ,00004,
001203000777,Lê Minh Châu,2003-07-01,male,,
EOF
run import population people.csv
ok "a population file imports (exit 0)" eq "$rc" 0
ok "three rows inserted in one batch" eq "$(json_get '"%(rows)d/%(inserted)d/%(updated)d/%(unchanged)d/%(batches)d" % j')" "3/3/0/0/1"
ok "population keys in order" eq "$(json_get '",".join(j)')" "database,file,rows,inserted,updated,unchanged,batches"
ok "the registry holds them" eq "$(sql "$db" "SELECT full_name || '/' || sex FROM population WHERE id_number = '001190000001'")" "Trần Thị Bình/female"
run import population people.csv
ok "again: unchanged" eq "$rc:$(json_get '"%(inserted)d/%(unchanged)d" % j')" "0:0/3"

cat >bad.csv <<'EOF'
id_number,full_name,birth_date,sex,residence_commune
001085012399,Phạm Văn Dũng,1985-01-01,male,00070
001085012346,Nguyễn Văn Bảo,1986-03-12,male,00070
001085012347,Hà Văn Em,1985-03-12,male,99999
EOF
run import population bad.csv
ok "a file with bad rows exits 2" eq "$rc" 2
ok "the first bad row is listed with its line" contains "$err" "bad.csv line 3, column 1 (id_number)"
ok "so is the second" contains "$err" "line 4, column 5 (residence_commune): no commune '99999'"
ok "the summary says nothing was loaded" contains "$err" "2 bad rows, nothing loaded"
ok "the good row of the file was not written" eq "$(sql "$db" "SELECT count(*) FROM population")" 3
run import population missing.csv
ok "a missing population file fails (exit 1)" eq "$rc" 1

# Bad usage: exit 2.
run import population
ok "population without FILE exits 2" eq "$rc" 2
run import population a.csv b.csv
ok "population with two files exits 2" eq "$rc" 2
run import frobnicate
ok "an unknown subcommand exits 2" eq "$rc:$(contains "$err" "'frobnicate'" && echo named)" "2:named"
run import --force
ok "an unknown option exits 2" eq "$rc" 2
run import ""
ok "an empty argument exits 2" eq "$rc" 2
run import --data
ok "--data without a value exits 2" eq "$rc" 2
run import --data ""
ok "an empty --data exits 2" eq "$rc" 2
run import --data data population people.csv
ok "--data with population exits 2" eq "$rc" 2

done_testing
