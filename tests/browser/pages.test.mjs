// Every page of the URL map (notes: helper-web.md), visited by the demo user who
// may see it: answered 200 at the address asked for (no redirect to /login, no
// "not yet" stub), in the site layout, with the security headers, under 100 KB
// of HTML, no serious or critical axe-core violation, no browser error, fitting a
// 360 px phone screen; screenshots of each (desktop and phone) under
// MOTCUA_SCREENSHOTS. Also: the dossier pages stay within each actor's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer,
	launchBrowser,
	newPage,
	loginAs,
	checkA11y,
	shot,
	problems,
	securityHeaders,
} from './lib.mjs';

const MAX_HTML = 100 * 1024;

let server;
let browser;
const pages = new Map(); // who -> a logged-in page
const ids = {}; // demo dossiers: counter (000.01, competent: the commune), sotp (000.02), online

// Demo data (motcua demo): the commune's birth registration received at CN01,
// the Justice Department's copy received at CN02, and the citizen's online
// filing waiting for acceptance. The URL map's pages by who may see them.
const PROCEDURE = '1.001193';
const ONLINE_PROCEDURE = '1.004873';
const COMMUNE = '00070';

const PAGES = [
	// public (web_public.c)
	{ name: 'home', who: 'anonymous', path: () => '/' },
	{ name: 'home-search', who: 'anonymous', path: () => '/?q=khai+sinh' },
	{ name: 'procedure', who: 'anonymous', path: () => `/procedures/${PROCEDURE}` },
	{ name: 'branches', who: 'anonymous', path: () => '/branches' },
	{ name: 'branches-distance', who: 'anonymous', path: () => `/branches?commune=${COMMUNE}` },
	{ name: 'lookup', who: 'anonymous', path: () => '/lookup' },
	{
		name: 'lookup-result',
		who: 'anonymous',
		path: () => `/lookup?code=${encodeURIComponent(ids.counterCode)}&last4=${ids.counterLast4}`,
	},
	// citizen (web_citizen.c)
	{ name: 'signup', who: 'anonymous', path: () => '/signup' },
	{ name: 'my-dossiers', who: 'citizen', path: () => '/me/dossiers' },
	{ name: 'file-online', who: 'citizen', path: () => `/file/${ONLINE_PROCEDURE}` },
	// dossier (web_dossier.c), as each role
	{ name: 'dossier-citizen', who: 'citizen', path: () => `/dossiers/${ids.online}` },
	{ name: 'dossier-officer', who: 'canbo.cn01', path: () => `/dossiers/${ids.counter}` },
	{ name: 'dossier-slip', who: 'canbo.cn01', path: () => `/dossiers/${ids.counter}/slip`, narrow: false },
	{ name: 'dossier-online-officer', who: 'canbo.cn01', path: () => `/dossiers/${ids.online}` },
	{ name: 'dossier-specialist', who: 'chuyenvien.xa', path: () => `/dossiers/${ids.counter}` },
	{ name: 'dossier-leader', who: 'leader', path: () => `/dossiers/${ids.sotp}` },
	// desk (web_desk.c)
	{ name: 'desk', who: 'canbo.cn01', path: () => '/desk' },
	{ name: 'desk-intake', who: 'canbo.cn01', path: () => '/desk/intake' },
	{ name: 'desk-online', who: 'canbo.cn01', path: () => '/desk/online' },
	{ name: 'desk-collection', who: 'canbo.cn02', path: () => '/desk/collection' },
	{ name: 'desk-search', who: 'canbo.cn01', path: () => '/desk/search' },
	// inbox (web_inbox.c)
	{ name: 'inbox', who: 'chuyenvien.xa', path: () => '/inbox' },
	{ name: 'inbox-agency', who: 'chuyenvien.xa', path: () => '/inbox?view=agency' },
	{ name: 'inbox-due-soon', who: 'chuyenvien.xa', path: () => '/inbox?due=soon' },
	{ name: 'inbox-overdue', who: 'chuyenvien.xa', path: () => '/inbox?overdue=1' },
	{ name: 'inbox-signoff', who: 'chutich.xa', path: () => '/inbox/signoff' },
	// leader (web_leader.c); the list behind the first number of the overview
	{ name: 'overview', who: 'leader', path: () => '/overview' },
	{ name: 'overview-list', who: 'leader', path: () => ids.overviewList },
	// admin (web_admin.c)
	{ name: 'admin', who: 'admin', path: () => '/admin' },
	{ name: 'admin-procedures', who: 'admin', path: () => '/admin/procedures' },
	{ name: 'admin-procedure', who: 'admin', path: () => `/admin/procedures/${PROCEDURE}` },
	{ name: 'admin-users', who: 'admin', path: () => '/admin/users' },
	{ name: 'admin-branches', who: 'admin', path: () => '/admin/branches' },
	{ name: 'admin-holidays', who: 'admin', path: () => '/admin/holidays' },
	// plan (web_plan.c)
	// not a common path (issue 5 bounds those at 100 KB): the SVG map of 126 communes
	{ name: 'plan', who: 'leader', path: () => '/plan', maxHtml: 200 * 1024 },
];

// The internal id of a dossier (by code or id), read through the API as the leader.
async function dossierId(ref) {
	const leader = server.account('leader');
	const s = await fetch(`${server.base}/api/v1/sessions`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ username: leader.username, password: leader.password }),
	});
	assert.equal(s.status, 201, 'API login of the leader');
	const { token } = await s.json();
	const r = await fetch(`${server.base}/api/v1/dossiers/${encodeURIComponent(ref)}`, {
		headers: { Authorization: `Bearer ${token}` },
	});
	assert.equal(r.status, 200, `GET /api/v1/dossiers/${ref}`);
	return (await r.json()).id;
}

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	const find = (pred, what) => {
		const d = server.dossiers.find(pred);
		assert.ok(d, `no demo dossier: ${what} (${JSON.stringify(server.dossiers)})`);
		return d;
	};
	const counter = find((d) => d.procedure === PROCEDURE, `${PROCEDURE} at the counter`);
	const online = find((d) => d.state === 'submitted', 'an online filing');
	const sotp = find((d) => d !== counter && d !== online, 'a third one');
	ids.counter = await dossierId(counter.ref);
	ids.counterCode = counter.ref;
	ids.counterLast4 = counter.last4;
	ids.online = await dossierId(online.ref);
	ids.sotp = await dossierId(sotp.ref);
	ids.sotpCode = sotp.ref;
	ids.onlineCode = online.ref;
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

async function pageFor(who) {
	if (!pages.has(who)) {
		const page = await newPage(browser, server);
		if (who !== 'anonymous') await loginAs(page, server, who);
		pages.set(who, page);
	}
	const page = pages.get(who);
	problems(page, true);
	return page;
}

async function visit(t, { name, who, path, narrow = true, maxHtml = MAX_HTML }) {
	const page = await pageFor(who);
	const want = path();
	assert.ok(want, `no address for ${name}`);
	const res = await page.goto(want);
	assert.ok(res, `no response for ${want}`);
	const here = new URL(page.url());
	assert.equal(here.pathname + here.search, want, `${want} as ${who} ended at ${page.url()}`);
	const status = res.status();
	if (status !== 200) {
		const text = (await page.locator('main').innerText().catch(() => '')).replace(/\s+/g, ' ');
		assert.fail(`${want} as ${who}: status ${status}: ${text.slice(0, 300)}`);
	}
	assert.deepEqual(await securityHeaders(res), [], 'security headers');
	const size = (await res.body()).length;
	assert.ok(size <= maxHtml, `${want}: ${size} bytes of HTML (more than ${maxHtml})`);
	assert.equal(await page.locator('h1').count(), 1, 'exactly one h1');
	assert.equal(await page.locator('main#main').count(), 1, 'main#main');
	await checkA11y(page, name, t);
	await shot(page, name, { checkPhoneWidth: narrow });
	const list = problems(page, true);
	assert.deepEqual(list, [], `problems in the browser:\n  ${list.join('\n  ')}`);
	return page;
}

for (const p of PAGES) {
	test(`${p.name} as ${p.who}`, async (t) => {
		if (p.name === 'overview-list') {
			// the list behind a number of the overview: the first such link there
			const page = await pageFor(p.who);
			await page.goto('/overview');
			const href = await page.locator('main a[href^="/overview/list"]').first().getAttribute('href', { timeout: 2000 }).catch(() => null);
			assert.ok(href, 'no link to /overview/list on /overview');
			ids.overviewList = href;
		}
		await visit(t, p);
	});
}

// What each actor may not see: the service decides; the page says "no" (403 or
// 404) without showing the dossier. Each refusal next to an allowed visit of
// the same kind, so that a page that answers nothing at all does not pass.
test("scope: a specialist cannot open another agency's dossier, a citizen another person's", async () => {
	const cases = [
		{ who: 'chuyenvien.tuphap', ok: 'sotp', no: 'counter' },
		{ who: 'chuyenvien.xa', ok: 'counter', no: 'sotp' },
		{ who: 'citizen', ok: 'online', no: 'sotp' },
	];
	for (const c of cases) {
		const page = await pageFor(c.who);
		const yes = await page.goto(`/dossiers/${ids[c.ok]}`);
		assert.equal(yes.status(), 200, `${c.who} opens the ${c.ok} dossier`);
		const res = await page.goto(`/dossiers/${ids[c.no]}`);
		assert.ok([403, 404].includes(res.status()), `${c.who} opens the ${c.no} dossier: status ${res.status()}`);
		const text = await page.locator('body').innerText();
		assert.ok(!text.includes(ids[`${c.no}Code`]), `${c.who} is shown the code of the ${c.no} dossier`);
		problems(page, true);
	}
});

// The home page's search (issue 5: <input type="search" name="q">, diacritic-insensitive):
// typed without diacritics, it finds the procedures, each linked to its page.
test('search without diacritics finds the procedures', async () => {
	const page = await pageFor('anonymous');
	const searches = [
		{ q: 'khai sinh', code: '1.001193' }, // Đăng ký khai sinh
		{ q: 'giay phep xay dung', code: '1.013225' }, // Cấp giấy phép xây dựng mới ...
	];
	for (const s of searches) {
		const res = await page.goto('/');
		assert.equal(res.status(), 200, 'the home page');
		const box = page.locator('input[type="search"][name="q"]');
		assert.equal(await box.count(), 1, 'one search box');
		await box.fill(s.q);
		await Promise.all([page.waitForNavigation(), box.press('Enter')]);
		assert.equal(new URL(page.url()).searchParams.get('q'), s.q);
		const link = page.locator(`main a[href="/procedures/${s.code}"]`);
		assert.ok((await link.count()) > 0, `"${s.q}" does not list ${s.code}`);
	}
	const list = problems(page, true);
	assert.deepEqual(list, [], `problems in the browser:\n  ${list.join('\n  ')}`);
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
