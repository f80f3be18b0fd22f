// The pages of the core (web.c): login and logout, the language switch, the
// HTML 404 page, the layout every page shares, the security headers and the
// Content-Security-Policy as the browser applies it, context escaping of what
// a visitor types. axe-core and screenshots on each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer,
	launchBrowser,
	newPage,
	login,
	loginAs,
	logout,
	checkA11y,
	shot,
	problems,
	securityHeaders,
} from './lib.mjs';

let server;
let browser;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

// The layout of web_begin()/web_end(): language attribute, skip link to
// <main id="main">, one h1, the main navigation, the footer.
async function assertLayout(page, lang) {
	assert.equal(await page.locator('html').getAttribute('lang'), lang, 'html lang');
	assert.equal(await page.locator('a.skip[href="#main"]').count(), 1, 'skip link');
	assert.equal(await page.locator('main#main').count(), 1, 'one main#main');
	assert.equal(await page.locator('h1').count(), 1, 'exactly one h1');
	assert.equal(await page.locator('header nav[aria-label] a[href="/"]').count(), 1, 'main navigation');
	assert.equal(await page.locator('footer').count(), 1, 'footer');
	assert.ok((await page.title()).length > 0, 'a title');
}

function assertNoProblems(page) {
	const list = problems(page, true);
	assert.deepEqual(list, [], `problems in the browser:\n  ${list.join('\n  ')}`);
}

test('login page: security headers, layout, accessible, screenshots', async (t) => {
	const page = await newPage(browser, server);
	const res = await page.goto('/login');
	assert.equal(res.status(), 200);
	assert.deepEqual(await securityHeaders(res), []);
	await assertLayout(page, 'vi');
	assert.equal(await page.locator('h1').innerText(), 'Đăng nhập');
	// every field has a label, and the form carries the CSRF field
	for (const name of ['username', 'password']) {
		const id = await page.locator(`input[name="${name}"]`).getAttribute('id');
		assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `label of ${name}`);
	}
	assert.equal(await page.locator('form[action="/login"] input[type="hidden"][name="_csrf"]').count(), 1);
	await checkA11y(page, 'login', t);
	await shot(page, 'login');
	assertNoProblems(page);
	await page.context().close();
});

test('the Content-Security-Policy is enforced: an injected inline script does not run', async () => {
	const page = await newPage(browser, server);
	await page.goto('/login');
	const ran = await page.evaluate(async () => {
		const s = document.createElement('script');
		s.textContent = 'window.__inlineRan = true;';
		document.head.appendChild(s);
		await new Promise((r) => setTimeout(r, 50));
		return window.__inlineRan === true;
	});
	assert.equal(ran, false, 'inline script ran despite the CSP');
	const reported = problems(page, true);
	assert.ok(
		reported.some((p) => /Content Security Policy/i.test(p)),
		`the browser reported no CSP violation: ${reported.join('; ')}`,
	);
	// and nothing of the page itself violates it
	await page.reload();
	assertNoProblems(page);
	await page.context().close();
});

test('404: a readable page in the site layout, with a way home', async (t) => {
	const page = await newPage(browser, server);
	const res = await page.goto('/khong-co-trang-nay');
	assert.equal(res.status(), 404);
	assert.match(res.headers()['content-type'], /^text\/html/);
	assert.deepEqual(await securityHeaders(res), []);
	await assertLayout(page, 'vi');
	assert.equal(await page.locator('h1').innerText(), 'Không tìm thấy trang');
	assert.equal(await page.locator('main [role="alert"] a[href="/"]').count(), 1, 'a link home');
	await checkA11y(page, 'not-found', t);
	await shot(page, 'not-found');
	assertNoProblems(page);
	await page.context().close();
});

test('a wrong password keeps the username and shows the error at the form', async (t) => {
	const page = await newPage(browser, server);
	const officer = server.account('officer');
	const res = await login(page, officer.username, 'sai-mat-khau-123');
	assert.equal(res.status(), 401);
	assert.equal(new URL(page.url()).pathname, '/login');
	assert.equal(await page.locator('input[name="username"]').inputValue(), officer.username);
	assert.equal(await page.locator('input[name="password"]').inputValue(), '', 'the password is not sent back');
	const alert = page.locator('.form-errors[role="alert"]');
	assert.equal(await alert.count(), 1);
	assert.match(await alert.innerText(), /Tên đăng nhập hoặc mật khẩu không đúng/);
	assert.equal(await page.locator('header form[action="/logout"]').count(), 0, 'not logged in');
	await checkA11y(page, 'login-error', t);
	await shot(page, 'login-error');
	// the right password then works from the same form
	const ok = await login(page, officer.username, officer.password);
	assert.ok(ok.status() < 500);
	assert.equal(new URL(page.url()).pathname, '/desk');
	assertNoProblems(page);
	await page.context().close();
});

test('XSS attempts in the login form and in the address render as text', async () => {
	const page = await newPage(browser, server);
	const attempts = [
		'<script>alert(1)</script>"><img src=x onerror=alert(3)>',
		'" onmouseover="alert(2)" autofocus onfocus="alert(7)',
	];
	for (const evil of attempts) {
		const res = await login(page, evil, 'khong-dung-dau-1');
		assert.ok([400, 401].includes(res.status()), `status ${res.status()}`);
		const field = page.locator('input[name="username"]');
		assert.equal(await field.inputValue(), evil, 'the value comes back verbatim');
		await field.hover();
		await field.focus();
		await page.mouse.move(5, 5);
		assert.equal(await page.locator('main script, main img').count(), 0, 'no element made from the input');
		assert.equal(await field.getAttribute('onmouseover'), null, 'no attribute made from the input');
		assert.equal(await field.getAttribute('onfocus'), null, 'no attribute made from the input');
	}

	// the address: the 404 page and the links built from it (language switch, login?next=)
	const path = '/x"><img src=x onerror=alert(4)><script>alert(5)</script>';
	const r404 = await page.goto(path);
	assert.equal(r404.status(), 404);
	assert.equal(await page.locator('body img, main script').count(), 0, 'no element made from the path');
	// a "next" that is HTML goes into the hidden field as a value, nothing more
	const next = '/"><script>alert(6)</script>';
	await page.goto(`/login?next=${encodeURIComponent(next)}`);
	assert.equal(await page.locator('main script').count(), 0);
	const hidden = page.locator('input[type="hidden"][name="next"]');
	if (await hidden.count()) assert.equal(await hidden.getAttribute('value'), next);
	await page.waitForTimeout(100);
	const list = problems(page, true);
	assert.deepEqual(list.filter((p) => p.startsWith('dialog')), [], 'a dialog opened');
	assert.deepEqual(list, []);
	await page.context().close();
});

test('login and logout: the landing page by role, the session cookie, back to the public site', async () => {
	const page = await newPage(browser, server);
	const officer = server.account('officer');
	await loginAs(page, server, 'officer');
	assert.equal(new URL(page.url()).pathname, '/desk', 'an officer lands on the counter desk');
	const cookies = await page.context().cookies();
	const session = cookies.find((c) => c.name === 'motcua_session');
	assert.ok(session, `a session cookie: ${cookies.map((c) => c.name).join(', ')}`);
	assert.equal(session.httpOnly, true, 'session cookie is HttpOnly');
	assert.notEqual(session.sameSite, 'None', 'session cookie has SameSite');
	const who = page.locator('header .who');
	assert.ok((await who.innerText()).length > 0, 'the header names the user');
	assert.equal(await page.locator('header nav a[href="/desk"]').count(), 1, 'desk in the navigation');
	assert.equal(await page.locator('header form[action="/logout"] input[name="_csrf"]').count(), 1);
	const whoAmI = () =>
		fetch(`${server.base}/api/v1/sessions/current`, {
			headers: { Cookie: `motcua_session=${session.value}` },
		}).then((r) => r.status);
	assert.equal(await whoAmI(), 200, 'the session works for the API too');

	const res = await logout(page);
	assert.equal(new URL(page.url()).pathname, '/');
	assert.ok(res.status() < 500);
	assert.equal(await page.locator('header form[action="/logout"]').count(), 0, 'logged out');
	assert.equal(await page.locator('header a[href^="/login"]').count(), 1, 'a login link');
	assert.equal(await page.locator('header nav a[href="/desk"]').count(), 0, 'no desk any more');
	const after = (await page.context().cookies()).find((c) => c.name === 'motcua_session');
	assert.ok(!after || after.value === '', 'the session cookie is cleared');
	assert.equal(await whoAmI(), 401, 'the old session is ended on the server');

	// a login with ?next= comes back to the page asked for; a citizen lands on "my dossiers"
	await page.goto('/login?next=%2Flookup');
	const citizen = server.account('citizen');
	await page.locator('input[name="username"]').fill(citizen.username);
	await page.locator('input[name="password"]').fill(citizen.password);
	await Promise.all([page.waitForNavigation(), page.locator('main button[type="submit"]').click()]);
	assert.equal(new URL(page.url()).pathname, '/lookup');
	await logout(page);
	await loginAs(page, server, 'citizen');
	assert.equal(new URL(page.url()).pathname, '/me/dossiers');
	assert.equal(officer.role, 'officer');
	assertNoProblems(page);
	await page.context().close();
});

test('the language switch is remembered across pages and logins (cookie)', async (t) => {
	const page = await newPage(browser, server);
	await page.goto('/login');
	assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
	await Promise.all([page.waitForNavigation(), page.locator('header a.lang').click()]);
	assert.equal(new URL(page.url()).pathname, '/login', 'back on the same page');
	await assertLayout(page, 'en');
	assert.equal(await page.locator('h1').innerText(), 'Log in');
	const lang = (await page.context().cookies()).find((c) => c.name === 'lang');
	assert.equal(lang?.value, 'en');
	assert.ok(lang.expires > Date.now() / 1000 + 300 * 24 * 3600, 'remembered for a long time');
	await checkA11y(page, 'login-en', t);
	await shot(page, 'login-en');

	// another page, then a login, keep English
	await page.goto('/no-such-page');
	assert.equal(await page.locator('h1').innerText(), 'Page not found');
	await shot(page, 'not-found-en');
	await loginAs(page, server, 'officer');
	assert.equal(await page.locator('html').getAttribute('lang'), 'en');
	assert.equal(await page.locator('header nav a[href="/desk"]').innerText(), 'Counter desk');
	assert.match(await page.locator('header form[action="/logout"] button').innerText(), /Log out/);

	// and back to Vietnamese
	await Promise.all([page.waitForNavigation(), page.locator('header a.lang').click()]);
	assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
	assert.match(await page.locator('header form[action="/logout"] button').innerText(), /Đăng xuất/);
	await logout(page);
	assert.equal(await page.locator('html').getAttribute('lang'), 'vi');

	// a bad value is refused, and an outside "back" does not leave the site
	const bad = await page.goto('/lang?to=fr&back=%2F');
	assert.equal(bad.status(), 400);
	await page.goto('/lang?to=en&back=https%3A%2F%2Fexample.org%2F');
	assert.equal(new URL(page.url()).origin, server.base);
	assertNoProblems(page);
	await page.context().close();
});

test('the server stops cleanly (exit status 0, no sanitizer report)', async () => {
	await browser.close();
	browser = null;
	const r = await server.stop();
	server = null;
	assert.equal(r.signal, null, `killed by ${r.signal}`);
	assert.equal(r.code, 0, `exit status ${r.code}:\n${r.stderr.slice(-2000)}`);
	assert.doesNotMatch(r.stderr, /runtime error|Sanitizer|level=error/, r.stderr.slice(-2000));
});
