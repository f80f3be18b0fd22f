# Helpers for command-line scenario tests (POSIX sh, TAP output).
# Source it from a test:  . "$TOP/tests/cli/lib.sh"
# Provides:
#   run ARGS...            runs "$MOTCUA ARGS..." capturing $out, $err and $rc
#   ok "what" COMMAND...   one TAP case: passes when COMMAND succeeds
#   json_get 'EXPR'        evaluates a Python expression on the JSON in $out
#                          (the parsed value is `j`), printing the result
#   done_testing           prints the plan line and exits 0
: "${MOTCUA:?MOTCUA must name the motcua binary}"
: "${TOP:?TOP must name the repository root}"
_n=0
_tmp=$(mktemp -d)
trap 'rm -rf "$_tmp"' EXIT

run() {
	"$MOTCUA" "$@" >"$_tmp/out" 2>"$_tmp/err"
	rc=$?
	out=$(cat "$_tmp/out")
	err=$(cat "$_tmp/err")
}

ok() {
	_what=$1
	shift
	_n=$((_n + 1))
	if "$@"; then
		echo "ok $_n - $_what"
	else
		echo "not ok $_n - $_what"
		echo "# command: $*"
		echo "# rc=$rc"
		echo "# stdout: $out" | head -c 2000
		echo
		echo "# stderr: $err" | head -c 2000
		echo
	fi
}

json_get() {
	printf '%s' "$out" | python3 -c "import json,sys; j=json.load(sys.stdin); v=($1); print(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)" 2>/dev/null
}

# eq ACTUAL EXPECTED: string equality (for use with ok)
eq() {
	[ "$1" = "$2" ]
}

# contains TEXT PART
contains() {
	case "$1" in *"$2"*) return 0 ;; *) return 1 ;; esac
}

done_testing() {
	echo "1..$_n"
	exit 0
}
