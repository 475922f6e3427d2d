// Drives @nangohq/frontend in headless Chromium against CalendarGrains, and photographs pages.
// Input: the JSON job in the file named by JOB_FILE:
//   { "host": "http://127.0.0.1:port", "screenshots": "/dir",
//     "auth":  [{ "name", "token", "email", "decision": "allow" | "deny" }],   // nango.auth('google-calendar') in a popup
//     "connectUI": [{ "name", "token", "email", "decision", "lateToken" }],  // nango.openConnectUI({ baseURL: host + '/connect/ui' })
//     "pages": [{ "name", "url" }] }                                         // visited as a person would
// Output (stdout): { "auth": { name: { ok, value | type+message, popup: [...] } }, "connectUI": { name: { events, frame, ... } },
//                    "pages": { name: { status, title, heading, ... } } }
// Chromium: CHROMIUM (default /usr/bin/chromium), launched as the project's HELPERS say; never downloaded.
import { readFile, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const job = JSON.parse(await readFile(process.env.JOB_FILE, 'utf8'));
await mkdir(job.screenshots, { recursive: true });

// The platform's own page: it loads Nango's front-end SDK as its build would, from its own origin.
const sdk = path.join(here, 'node_modules', '@nangohq', 'frontend', 'dist');
const platformPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme (platform)</title></head>
<body><h1>Acme</h1><script type="module">
import Nango from '/dist/index.js';
window.runAuth = async (host, token) => {
  const nango = new Nango({ host, connectSessionToken: token });
  try { return { ok: true, value: await nango.auth('google-calendar') }; }
  catch (e) { return { ok: false, type: e?.type ?? null, message: String(e?.message) }; }
};
// openConnectUI as an app calls it: the token given at once, or set once the app has fetched it (lateToken).
window.runConnectUI = (host, token, lateToken) => {
  window.connectEvents = [];
  const nango = new Nango({ host });
  const ui = nango.openConnectUI({
    baseURL: host + '/connect/ui', apiURL: host, sessionToken: lateToken ? undefined : token,
    onEvent: (event) => { window.connectEvents.push(event); },
  });
  if (lateToken) setTimeout(() => ui.setSessionToken(token), 200);
};
window.sdkReady = true;
</script></body></html>`;
const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(platformPage);
        return;
    }
    const name = url.pathname.startsWith('/dist/') ? path.basename(url.pathname) : null;
    if (name && /^[a-zA-Z]+\.js$/.test(name)) {
        try {
            res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(path.join(sdk, name)));
            return;
        } catch { /* falls through to 404 */ }
    }
    res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const platformUrl = `http://127.0.0.1:${server.address().port}/`;

const profile = await mkdtemp(path.join(tmpdir(), 'cg-chromium-'));
const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

const shot = async (page, name) => {
    try {
        await page.screenshot({ path: path.join(job.screenshots, `${name}.png`), fullPage: true });
        return true;
    } catch {
        return false; // The SDK may close the popup first.
    }
};

const describe = async (page) => page.evaluate(() => ({
    title: document.title,
    lang: document.documentElement.lang,
    heading: document.querySelector('h1')?.textContent ?? null,
    message: document.querySelector('#message')?.textContent ?? null,
    back: document.querySelector('#back')?.href ?? null,
    retry: document.querySelector('#retry')?.href ?? null,
    continueTo: document.querySelector('#continue')?.href ?? null,
    text: document.body?.innerText ?? '',
}));

const describeFrame = async (frame) => frame.evaluate(() => ({
    state: document.getElementById('connect-ui')?.dataset.state ?? null,
    platform: document.getElementById('platform')?.hidden ? null : document.getElementById('platform')?.textContent ?? null,
    heading: document.querySelector('h1')?.textContent ?? null,
    message: document.querySelector('#message')?.textContent ?? null,
    detail: document.querySelector('#detail')?.hidden ? null : document.querySelector('#detail')?.textContent ?? null,
}));

const waitUntil = async (check, ms) => {
    const started = Date.now();
    while (Date.now() - started < ms) {
        if (await check()) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
};

const results = { auth: {}, connectUI: {}, pages: {} };
try {
    for (const flow of job.auth ?? []) {
        const page = await browser.newPage();
        const problems = [];
        page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
        await page.goto(platformUrl);
        await page.waitForFunction(() => window.sdkReady === true);
        const popupOpened = new Promise((resolve) => page.once('popup', resolve));
        const outcome = page.evaluate((host, token) => window.runAuth(host, token), job.host, flow.token);
        const popup = await popupOpened;
        const steps = [];
        await popup.waitForSelector('input#email', { timeout: 30000 });
        steps.push({ at: 'consent', url: popup.url(), shot: await shot(popup, `${flow.name}-1-google-consent`) });
        await popup.$eval('input#email', (input, email) => { input.value = email; }, flow.email);
        const back = popup.waitForNavigation({ timeout: 30000 }).catch(() => null);
        await popup.click(`button[value="${flow.decision}"]`);
        await back;
        let landed = null;
        try {
            landed = await describe(popup);
        } catch { /* closed already */ }
        steps.push({ at: 'callback', url: popup.isClosed() ? null : popup.url(), page: landed, shot: popup.isClosed() ? false : await shot(popup, `${flow.name}-2-result`) });
        const result = await outcome;
        // The SDK closes its popup shortly after the websocket answered.
        const closed = await new Promise((resolve) => {
            const started = Date.now();
            const poll = () => popup.isClosed() ? resolve(true) : Date.now() - started > 10000 ? resolve(false) : setTimeout(poll, 100);
            poll();
        });
        results.auth[flow.name] = { ...result, steps, popupClosed: closed, consoleErrors: problems };
        await page.close();
    }

    for (const flow of job.connectUI ?? []) {
        const page = await browser.newPage();
        await page.setViewport({ width: 1000, height: 760 });
        const problems = [];
        page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
        await page.goto(platformUrl);
        await page.waitForFunction(() => window.sdkReady === true);
        await page.evaluate((host, token, late) => window.runConnectUI(host, token, late), job.host, flow.token, Boolean(flow.lateToken));
        const frameElement = await page.waitForSelector('iframe#connect-ui');
        const frameSrc = await frameElement.evaluate((f) => f.src);
        const frame = await frameElement.contentFrame();
        await frame.waitForSelector('#connect:not([hidden])', { timeout: 30000 });
        const ready = await describeFrame(frame);
        const steps = [{ at: 'ready', frame: ready, shot: await shot(page, `${flow.name}-1-connect-ui`) }];
        const known = new Set(browser.targets());
        await frame.click('#connect');
        const popup = await (await browser.waitForTarget((t) => t.type() === 'page' && !known.has(t), { timeout: 30000 })).page();
        await popup.waitForSelector('input#email', { timeout: 30000 });
        steps.push({ at: 'consent', url: popup.url(), shot: await shot(popup, `${flow.name}-2-google-consent`) });
        await popup.$eval('input#email', (input, email) => { input.value = email; }, flow.email);
        // The Connect UI closes the popup as soon as the outcome is known, maybe before the click resolves.
        await popup.click(`button[value="${flow.decision}"]`).catch(() => null);
        await page.waitForFunction(() => window.connectEvents.some((e) => e.type === 'connect' || e.type === 'error'), { timeout: 30000 });
        await frame.waitForSelector('main[data-state="connected"], main[data-state="failed"]', { timeout: 10000 });
        steps.push({ at: 'outcome', frame: await describeFrame(frame), shot: await shot(page, `${flow.name}-3-outcome`) });
        const popupClosed = await waitUntil(async () => popup.isClosed(), 10000);
        // The person ends it: "Done" after a connection, the close button after a failure.
        await frame.click(flow.decision === 'allow' ? '#done' : '#close');
        const frameRemoved = await waitUntil(async () => page.evaluate(() => document.getElementById('connect-ui') === null), 10000);
        steps.push({ at: 'closed', shot: await shot(page, `${flow.name}-4-closed`) });
        results.connectUI[flow.name] = {
            frameSrc,
            events: await page.evaluate(() => window.connectEvents),
            steps,
            popupClosed,
            frameRemoved,
            consoleErrors: problems,
        };
        await page.close();
    }

    for (const visit of job.pages ?? []) {
        const page = await browser.newPage();
        const problems = [];
        page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
        const response = await page.goto(visit.url, { waitUntil: 'load' });
        const headers = response?.headers() ?? {};
        results.pages[visit.name] = {
            status: response?.status() ?? null,
            contentType: headers['content-type'] ?? null,
            csp: headers['content-security-policy'] ?? null,
            ...(await describe(page)),
            shot: await shot(page, visit.name),
            consoleErrors: problems,
        };
        await page.close();
    }
} finally {
    await browser.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
}

process.stdout.write(JSON.stringify(results));
