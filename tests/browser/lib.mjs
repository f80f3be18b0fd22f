// Helpers of the browser tests (tests/browser/*.test.mjs): a real `motcua serve`
// on 127.0.0.1 with a fresh SQLite database filled by `motcua demo`, Debian's
// Chromium driven by playwright-core, axe-core checks and screenshots.
//
// Environment (scripts/run-tests sets the first three):
//   MOTCUA              the motcua binary (default <repo>/build/motcua)
//   TOP                 the repository root (default: two levels above this file)
//   MOTCUA_SCREENSHOTS  where shot() writes PNG files (default <repo>/build/screenshots)
//   MOTCUA_CHROMIUM     the browser (default /usr/bin/chromium, Debian's package)
//   MOTCUA_BROWSER_KEEP=1  keep the server's temporary directory (database, logs)
//
// Provides:
//   startServer({now})        migrate, import data/, demo, serve on a free port; resolves
//                             to a server: .base, .dir, .accounts, .dossiers, .account(role|name),
//                             .stop() -> {code, signal, stderr}
//   launchBrowser()           Chromium, headless, no network of its own
//   newPage(browser, server, {width, height, locale})
//                             a page in a fresh context (cookies of its own); problems(page)
//                             lists what went wrong in it (console errors, CSP reports,
//                             script errors, failed sub-resources, dialogs)
//   login(page, user, password), logout(page)
//   checkA11y(page, name, t)  axe-core: throws on serious/critical violations
//   shot(page, name)          NAME-desktop.png (1280 px) and NAME-phone.png (360 px); throws
//                             when the page is wider than the phone screen
//   securityHeaders(response) the missing or weak security headers of a page, as strings
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const TOP = process.env.TOP || path.resolve(here, '..', '..');
export const MOTCUA = process.env.MOTCUA || path.join(TOP, 'build', 'motcua');
export const SCREENSHOTS = process.env.MOTCUA_SCREENSHOTS || path.join(TOP, 'build', 'screenshots');
export const CHROMIUM = process.env.MOTCUA_CHROMIUM || '/usr/bin/chromium';

// The server's clock is fixed (allow_clock_override + MOTCUA_NOW) so that the
// demo's dossiers, due dates and screenshots do not depend on the day the tests
// run: a Wednesday morning inside office hours.
export const FIXED_NOW = '2026-11-25T09:30';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

// ---- the server ----

function runCommand(args, opts) {
	return new Promise((resolve, reject) => {
		const p = spawn(MOTCUA, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		p.stdout.on('data', (d) => (out += d));
		p.stderr.on('data', (d) => (err += d));
		p.on('error', reject);
		p.on('close', (code) => {
			if (code === 0) resolve(out);
			else reject(new Error(`motcua ${args.join(' ')} exited with ${code}:\n${err}${out}`));
		});
	});
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Lines of `motcua demo --accounts-file F`:
//   demo account: ROLE USERNAME PASSWORD
//   demo dossier: CODE_OR_ID PROCEDURE STATE (lookup: code + last 4 digits NNNN)
export function parseAccounts(text) {
	const accounts = [];
	const dossiers = [];
	for (const line of text.split('\n')) {
		let m = /^demo account: (\S+) (\S+) (\S+)$/.exec(line);
		if (m) {
			accounts.push({ role: m[1], username: m[2], password: m[3] });
			continue;
		}
		m = /^demo dossier: (\S+) (\S+) (\S+)(?: \(lookup: .* (\d{4})\))?/.exec(line);
		if (m) dossiers.push({ ref: m[1], procedure: m[2], state: m[3], last4: m[4] || null });
	}
	return { accounts, dossiers };
}

const running = new Set();
process.on('exit', () => {
	for (const p of running) p.kill('SIGKILL');
});

export async function startServer({ now = FIXED_NOW } = {}) {
	assert.ok(fs.existsSync(MOTCUA), `no motcua binary at ${MOTCUA} (set MOTCUA)`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-browser-'));
	const env = {
		...process.env,
		MOTCUA_DATABASE: `sqlite:${path.join(dir, 'motcua.db')}`,
		MOTCUA_FILES_DIR: path.join(dir, 'files'),
		MOTCUA_PASSWORD_OPSLIMIT: '1',
		MOTCUA_PASSWORD_MEMLIMIT_KIB: '8',
		MOTCUA_THREADS: '4',
	};
	delete env.MOTCUA_NOW;
	if (now) {
		env.MOTCUA_ALLOW_CLOCK_OVERRIDE = 'true';
		env.MOTCUA_NOW = now;
	}
	const opts = { cwd: dir, env };
	await runCommand(['db', 'migrate'], opts);
	await runCommand(['import', '--data', path.join(TOP, 'data')], opts);
	const accFile = path.join(dir, 'demo-accounts.txt');
	// The file gets the accounts; standard output has the dossiers as well.
	const demoOut = await runCommand(['demo', '--accounts-file', accFile], opts);
	const { accounts } = parseAccounts(fs.readFileSync(accFile, 'utf8'));
	const { dossiers } = parseAccounts(demoOut);
	assert.ok(accounts.length > 0, `no demo accounts in ${accFile}`);

	const port = await freePort();
	env.MOTCUA_LISTEN = `127.0.0.1:${port}`;
	const base = `http://127.0.0.1:${port}`;
	const outFd = fs.openSync(path.join(dir, 'serve.out'), 'w');
	const errFd = fs.openSync(path.join(dir, 'serve.err'), 'w');
	const proc = spawn(MOTCUA, ['serve'], { cwd: dir, env, stdio: ['ignore', outFd, errFd] });
	fs.closeSync(outFd);
	fs.closeSync(errFd);
	running.add(proc);
	let exited = null;
	const exit = new Promise((resolve) => {
		proc.on('exit', (code, signal) => {
			running.delete(proc);
			exited = { code, signal };
			resolve(exited);
		});
	});
	const stderr = () => {
		try {
			return fs.readFileSync(path.join(dir, 'serve.err'), 'utf8');
		} catch {
			return '';
		}
	};
	let up = false;
	for (let i = 0; i < 200 && !exited; i++) {
		try {
			const r = await fetch(`${base}/healthz`);
			if (r.status === 200) {
				up = true;
				break;
			}
		} catch {
			/* not listening yet */
		}
		await sleep(100);
	}
	if (!up) {
		proc.kill('SIGKILL');
		throw new Error(`the server did not start:\n${stderr()}`);
	}

	return {
		base,
		dir,
		accounts,
		dossiers,
		// The first demo account with this role, or the one with this username.
		account(roleOrName) {
			const a =
				accounts.find((x) => x.username === roleOrName) ||
				accounts.find((x) => x.role === roleOrName);
			assert.ok(a, `no demo account '${roleOrName}'`);
			return a;
		},
		stderr,
		// SIGTERM, then the exit status and what the server wrote on stderr.
		async stop() {
			if (!exited) {
				proc.kill('SIGTERM');
				const t = setTimeout(() => proc.kill('SIGKILL'), 15000);
				await exit;
				clearTimeout(t);
			}
			const result = { ...exited, stderr: stderr() };
			if (process.env.MOTCUA_BROWSER_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
			return result;
		},
	};
}

// ---- the browser ----

export async function launchBrowser() {
	assert.ok(fs.existsSync(CHROMIUM), `no browser at ${CHROMIUM}: run scripts/install-deps test`);
	// Playwright passes a new empty --user-data-dir; the flags keep Chromium off
	// the network (this machine has none but loopback).
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		timeout: 60000,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
}

const pageProblems = new WeakMap();

// A page in a context of its own (its own cookies), Vietnamese by default.
export async function newPage(browser, server, { width, height, locale = 'vi-VN' } = {}) {
	const context = await browser.newContext({
		baseURL: server.base,
		viewport: { width: width || DESKTOP.width, height: height || DESKTOP.height },
		locale,
		timezoneId: 'Asia/Ho_Chi_Minh',
	});
	context.setDefaultTimeout(15000);
	const page = await context.newPage();
	const problems = [];
	pageProblems.set(page, problems);
	page.on('console', (msg) => {
		// A page answered 4xx is logged as "Failed to load resource"; pages
		// with such a status are expected (404, 401), and sub-resources are
		// checked by their responses below.
		if (/^Failed to load resource: the server responded with a status of/.test(msg.text())) return;
		if (msg.type() === 'error' || msg.type() === 'warning')
			problems.push(`console ${msg.type()} on ${page.url()}: ${msg.text()}`);
	});
	page.on('pageerror', (err) => problems.push(`script error on ${page.url()}: ${err.message}`));
	page.on('dialog', async (d) => {
		problems.push(`dialog (${d.type()}) on ${page.url()}: ${d.message()}`);
		await d.dismiss().catch(() => {});
	});
	page.on('requestfailed', (req) => {
		// a request cut short by the next navigation is no fault of the page
		if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
		problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`);
	});
	page.on('response', (res) => {
		const req = res.request();
		if (req.resourceType() !== 'document' && res.status() >= 400)
			problems.push(`sub-resource ${req.url()} answered ${res.status()}`);
	});
	return page;
}

// What went wrong in the page so far (empties the list when clear is true).
export function problems(page, clear = false) {
	const list = pageProblems.get(page) || [];
	const copy = [...list];
	if (clear) list.length = 0;
	return copy;
}

// Logs in through the /login form; resolves to the response of the page it lands on.
export async function login(page, username, password) {
	await page.goto('/login');
	const form = page.locator('form[action="/login"]');
	await form.locator('input[name="username"]').fill(username);
	await form.locator('input[name="password"]').fill(password);
	const [res] = await Promise.all([
		page.waitForNavigation(),
		form.locator('button[type="submit"]').click(),
	]);
	return res;
}

// Logs in as a demo account (by role or username) of server.
export async function loginAs(page, server, roleOrName) {
	const a = server.account(roleOrName);
	const res = await login(page, a.username, a.password);
	assert.ok(!new URL(page.url()).pathname.startsWith('/login'), `login of ${a.username} failed: still on ${page.url()}`);
	return res;
}

// Logs out with the button of the page header.
export async function logout(page) {
	const [res] = await Promise.all([
		page.waitForNavigation(),
		page.locator('header form[action="/logout"] button[type="submit"]').click(),
	]);
	return res;
}

// ---- accessibility ----

let axeSource = null;

function describeViolation(v) {
	const nodes = v.nodes
		.slice(0, 5)
		.map((n) => `      at ${n.target.join(' ')}: ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`)
		.join('\n');
	const more = v.nodes.length > 5 ? `\n      ... and ${v.nodes.length - 5} more` : '';
	return `  ${v.id} (${v.impact}): ${v.help} [${v.nodes.length}]\n${nodes}${more}\n      ${v.helpUrl}`;
}

// Runs axe-core on the page as it is. Serious and critical violations throw an
// error listing them; the others are written as TAP diagnostics through t
// (a node:test context) when given. Resolves to all violations.
export async function checkA11y(page, name, t) {
	if (!axeSource) axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	// page.evaluate is not subject to the page's Content-Security-Policy (an
	// added <script> with content would be: the pages forbid inline script).
	const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
	if (!hasAxe) await page.evaluate(axeSource);
	const violations = await page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			helpUrl: v.helpUrl,
			nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html })),
		}));
	});
	const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	const other = violations.filter((v) => !bad.includes(v));
	if (t && other.length)
		for (const v of other) t.diagnostic(`axe ${name}: ${describeViolation(v).trim().split('\n')[0]}`);
	if (bad.length)
		throw new assert.AssertionError({
			message: `axe-core: ${bad.length} serious or critical violation(s) on ${name} (${page.url()}):\n${bad.map(describeViolation).join('\n')}`,
		});
	return violations;
}

// ---- screenshots ----

function safeName(name) {
	return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'page';
}

// Elements sticking out to the right of a phone screen (at most 5, described).
async function overflowing(page) {
	return page.evaluate((limit) => {
		const out = [];
		const root = document.documentElement;
		if (root.scrollWidth <= limit + 1) return out;
		for (const el of document.body.querySelectorAll('*')) {
			const r = el.getBoundingClientRect();
			if (r.right > limit + 1 && r.width > 0) {
				// report the outermost culprit only
				const p = el.parentElement;
				if (p && p !== document.body && p.getBoundingClientRect().right > limit + 1) continue;
				const id = el.id ? `#${el.id}` : '';
				const cls = el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
				out.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(r.right)} px)`);
				if (out.length >= 5) break;
			}
		}
		if (!out.length) out.push(`the document is ${root.scrollWidth} px wide`);
		return out;
	}, PHONE.width);
}

// Saves NAME-desktop.png (1280 px wide) and NAME-phone.png (360 px wide), whole
// pages, under SCREENSHOTS; puts the viewport back. Throws when the page does
// not fit the phone's width (it would scroll sideways). Resolves to the paths.
export async function shot(page, name, { checkPhoneWidth = true } = {}) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	const before = page.viewportSize();
	const base = path.join(SCREENSHOTS, safeName(name));
	const files = [`${base}-desktop.png`, `${base}-phone.png`];
	let wide = [];
	try {
		await page.setViewportSize(DESKTOP);
		await page.screenshot({ path: files[0], fullPage: true });
		await page.setViewportSize(PHONE);
		await page.screenshot({ path: files[1], fullPage: true });
		if (checkPhoneWidth) wide = await overflowing(page);
	} finally {
		if (before) await page.setViewportSize(before);
	}
	if (wide.length)
		throw new assert.AssertionError({
			message: `${name} (${page.url()}) is wider than a ${PHONE.width} px phone screen:\n  ${wide.join('\n  ')}`,
		});
	return files;
}

// ---- headers ----

// Problems with the security headers of a page's response ([] when all good).
export async function securityHeaders(response) {
	const h = await response.allHeaders();
	const bad = [];
	const csp = h['content-security-policy'] || '';
	if (!csp) bad.push('no Content-Security-Policy');
	if (/unsafe-inline|unsafe-eval/.test(csp)) bad.push(`CSP allows unsafe script or style: ${csp}`);
	if (!/script-src 'self'/.test(csp) && !/default-src 'none'/.test(csp)) bad.push(`CSP without a script-src 'self': ${csp}`);
	if (!/frame-ancestors 'none'/.test(csp)) bad.push(`CSP without frame-ancestors 'none': ${csp}`);
	if ((h['x-content-type-options'] || '').toLowerCase() !== 'nosniff') bad.push('no X-Content-Type-Options: nosniff');
	return bad;
}
