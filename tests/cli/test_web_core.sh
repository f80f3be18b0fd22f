# Scenario tests of the web layer's core (src/web/web.c) against a real
# server: the login and logout pages, the CSRF field of forms (session token,
# or the double-submit cookie for visitors), the language switch remembered
# in a cookie, the HTML 404 page, the security headers every page carries
# (issue 5, Qualities: CSP without inline script, nosniff, frame-ancestors
# 'none'), redirects that never leave the site, and escaping of what a
# visitor typed.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/api_lib.sh"

api_init
user_add off.a officer CN01
user_add lead.a leader ""
api_start

hdr() {
	printf '%s\n' "$hdrs" | sed -n "s/^$1: //Ip" | head -1
}

# ---- login page and security headers ----
web_get anon /login
ok "GET /login: 200 HTML" eq "$status $(hdr Content-Type)" "200 text/html; charset=utf-8"
csp=$(hdr Content-Security-Policy)
ok "CSP: no inline script, no framing, forms to this site only" sh -c 'for d in "default-src '"'none'"'" "script-src '"'self'"';" "form-action '"'self'"'" "frame-ancestors '"'none'"'"; do case "$1" in *"$d"*) ;; *) exit 1 ;; esac; done; case "$1" in *unsafe-inline*) exit 1 ;; esac' _ "$csp"
ok "nosniff, no caching of pages" eq "$(hdr X-Content-Type-Options) $(hdr Cache-Control)" "nosniff no-store"
ok "a visitor gets the double-submit cookie (HttpOnly, SameSite=Strict)" contains "$(hdr Set-Cookie)" "HttpOnly; SameSite=Strict"
ok "the form carries the same token" contains "$(hdr Set-Cookie)" "motcua_csrf=$csrf;"
ok "Vietnamese by default, labelled fields" sh -c 'printf "%s" "$1" | grep -q "<html lang=\"vi\">" && printf "%s" "$1" | grep -q "<label for=\"f-username\">Tên đăng nhập"' _ "$out"
ok "no inline script or style in the page" sh -c '! printf "%s" "$1" | grep -q -e "<script>" -e "<style" -e " style=" -e " on[a-z]*="' _ "$out"

# ---- CSRF ----
web_post anon /login "_csrf=0123456789abcdef0123456789abcdef&username=off.a&password=$PW"
ok "login with a token that is not the cookie's: 403" eq "$status" 403
ok "the refusal is a readable page" sh -c 'printf "%s" "$1" | grep -q "mã chống giả mạo" && printf "%s" "$1" | grep -q "forbidden"' _ "$out"
call POST /login -H 'Content-Type: application/x-www-form-urlencoded' --data "username=off.a&password=$PW"
ok "login without token or cookie: 403" eq "$status" 403
web_get anon /login
call POST /login '{"username":"off.a"}' -b "$_tmp/jar.anon"
ok "a form body that is not urlencoded: 415" eq "$status" 415
web_get anon /login
web_post anon /login "username=off.a&password=%ZZ"
ok "bad percent-encoding: 400" eq "$status" 400

# ---- failed login keeps the username, shows the error; typed markup stays text ----
web_get anon /login
web_post anon /login "username=$(enc '<script>alert(1)</script>')&password=wrong-password"
ok "wrong password: 401 with the message at the top" sh -c '[ "$1" = 401 ] && printf "%s" "$2" | grep -q "role=\"alert\">Tên đăng nhập hoặc mật khẩu không đúng."' _ "$status" "$out"
ok "the username typed comes back escaped" has 'value="&lt;script&gt;alert(1)&lt;/script&gt;"'
ok "never as markup" sh -c '! printf "%s" "$1" | grep -q "<script>alert"' _ "$out"
web_post anon /login "username=off.a&password="
ok "an empty password: 400, username kept" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | grep -q "value=\"off.a\""' _ "$status" "$out"

# ---- successful login: session cookie, role's home, navigation by role ----
visitor_token=$csrf
web_post anon /login "username=off.a&password=$PW"
ok "login: 303 to the officer's desk" eq "$status $(hdr Location)" "303 /desk"
ok "the session cookie is HttpOnly, SameSite=Lax" contains "$(hdr Set-Cookie)" "HttpOnly; SameSite=Lax"
web_get anon /branches
ok "the officer's navigation has the desk, not the inbox or administration" sh -c 'printf "%s" "$1" | grep -q "href=\"/desk\"" && ! printf "%s" "$1" | grep -q -e "href=\"/inbox\"" -e "href=\"/admin\""' _ "$out"
ok "the page names who is logged in" has "Cán bộ off.a"
ok "forms of a logged-in page carry the session's token, not the visitor's" sh -c '[ -n "$1" ] && [ "$1" != "$2" ]' _ "$csrf" "$visitor_token"

# The session's token and the visitor's cookie are different things.
web_get lead /login
web_post lead /login "username=lead.a&password=$PW&next=/overview"
ok "login with next=/overview: 303 there" eq "$status $(hdr Location)" "303 /overview"
web_get lead /login
web_post lead /login "username=lead.a&password=$PW&next=//evil.example/x"
ok "next=//evil.example is not followed" eq "$(hdr Location)" "/overview"

# ---- logout ----
web_get anon /branches
web_post anon /logout ""
ok "logout: 303 to the home page, cookie deleted" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -qi "set-cookie: motcua_session=;.*Max-Age=0"' _ "$status" "$hdrs"
web_get anon /branches
ok "after logout the navigation offers the login again" sh -c 'printf "%s" "$1" | grep -q "href=\"/login?next=" && ! printf "%s" "$1" | grep -q "href=\"/desk\""' _ "$out"

# ---- language switch ----
web_get lang "/lang?to=en&back=/login"
ok "switch to English: 303 back, lang cookie for a year" sh -c '[ "$1" = 303 ] && printf "%s" "$2" | grep -qi "set-cookie: lang=en; Path=/; Max-Age=31536000"' _ "$status" "$hdrs"
web_get lang /login
ok "the next page is in English" sh -c 'printf "%s" "$1" | grep -q "<html lang=\"en\">" && printf "%s" "$1" | grep -q ">Username<"' _ "$out"
web_get lang "/lang?to=en&back=//evil.example/"
ok "back=//evil.example goes home instead" eq "$(hdr Location)" "/"
web_get lang "/lang?to=fr"
ok "an unknown language: 400 page" eq "$status" 400
call GET /login -H 'Accept-Language: en-GB,en;q=0.9'
ok "Accept-Language en without a cookie: English" has ">Username<"

# ---- 404 and static files ----
call GET "/no/such/page?x=<b>"
ok "an unknown page: 404 HTML with a readable message" sh -c '[ "$1" = 404 ] && printf "%s" "$2" | grep -q "Không tìm thấy trang"' _ "$status" "$out"
call GET /api/v1/no-such-thing
ok "an unknown API path stays JSON" eq "$status $(jget 'j["code"]')" "404 not_found"
call GET /static/motcua.css
ok "the stylesheet: text/css, cacheable" eq "$status $(hdr Content-Type) $(hdr Cache-Control)" "200 text/css; charset=utf-8 public, max-age=3600"
call GET /static/../etc/passwd
ok "no path tricks under /static" sh -c '[ "$1" = 400 ] || [ "$1" = 404 ]' _ "$status"

done_testing
