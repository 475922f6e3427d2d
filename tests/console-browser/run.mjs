// Walks the CalendarGrains console in Debian's headless Chromium, as a person would: signs in with
// a form, reads pages, clicks buttons. Reads its plan from CONSOLE_PLAN (JSON, written by
// ConsoleBrowserTests.cs), saves a screenshot per step into plan.screenshots, and prints what it
// saw as JSON on stdout. It asserts nothing itself: the C# test does, together with what the
// emulators saw (a refresh at Google, a revocation).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const plan = JSON.parse(process.env.CONSOLE_PLAN ?? '{}');
const base = plan.baseUrl.replace(/\/$/, '');
const results = { steps: {} };
mkdirSync(plan.screenshots, { recursive: true });

// Flags from HELPERS.md: no sandbox (root in CI), nothing that reaches the network on its own.
const browser = await chromium.launch({
  executablePath: plan.chromium ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// Every request the browser makes, so the test can check that no key ever went into a URL.
const urls = [];
const cspViolations = [];
let shot = 0;

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, baseURL: base });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  page.on('request', request => urls.push(request.url()));
  page.on('console', message => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      cspViolations.push(message.text());
    }
  });
  page.on('dialog', dialog => dialog.accept());
  return { context, page };
}

async function screenshot(page, name) {
  shot += 1;
  const file = join(plan.screenshots, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function step(name, page, action) {
  try {
    results.steps[name] = { ok: true, ...(await action()) };
    results.steps[name].screenshot = await screenshot(page, name);
  } catch (error) {
    results.steps[name] = { ok: false, error: String(error?.stack ?? error) };
    try { results.steps[name].screenshot = await screenshot(page, `failed-${name}`); } catch { /* page gone */ }
    throw error;
  }
}

async function signIn(page, key) {
  const response = await page.goto('/console');
  const signInUrl = page.url();
  await page.fill('#key', key);
  await Promise.all([page.waitForURL(url => !url.pathname.endsWith('/sign-in')), page.click('form button[type=submit]')]);
  return { firstStatus: response.status(), signInUrl, landedOn: page.url(), who: await page.textContent('[data-testid=signed-in-as]') };
}

async function rowText(page, table, id, attribute = 'data-connection-id') {
  const row = page.locator(`[data-testid=${table}] tr[${attribute}="${id}"]`);
  return (await row.count()) === 0 ? null : (await row.innerText()).replace(/\s+/g, ' ').trim();
}

const a = plan.tenantA;
const b = plan.tenantB;
try {
  // Tenant A.
  const { context, page } = await newPage();
  await step('sign-in-page', page, async () => {
    await page.goto('/console');
    return { url: page.url(), hasKeyField: await page.isVisible('#key') };
  });
  await step('signed-in-as-a', page, () => signIn(page, a.key));

  await step('needs-reauth-list', page, async () => {
    await page.goto(`/console/t/${a.id}/connections?status=needs_reauth`);
    return {
      count: await page.textContent('[data-testid=count-needs_reauth] .figure'),
      row: await rowText(page, 'connections', a.needsReauthId),
    };
  });

  await step('needs-reauth-connection', page, async () => {
    await page.click(`[data-testid=connections] tr[data-connection-id="${a.needsReauthId}"] a`);
    await page.waitForSelector('[data-testid=status-history]');
    return {
      status: await page.getAttribute('h1 .badge', 'data-status'),
      lastError: (await page.innerText('[data-testid=last-error]')).trim(),
      history: (await page.innerText('[data-testid=status-history]')).replace(/\s+/g, ' ').trim(),
    };
  });

  await step('force-refresh', page, async () => {
    await page.goto(`/console/t/${a.id}/connections/${a.refreshId}`);
    const before = (await page.innerText('[data-testid=last-refresh]')).trim();
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=force-refresh]')]);
    await page.waitForSelector('[data-testid=action-outcome]');
    const copied = await page.isVisible('button[data-copy=vapi-credential]')
      ? await page.click('button[data-copy=vapi-credential]').then(() => page.evaluate(() => navigator.clipboard.readText()))
      : null;
    return {
      before,
      after: (await page.innerText('[data-testid=last-refresh]')).trim(),
      outcome: (await page.innerText('[data-testid=action-outcome]')).trim(),
      status: await page.getAttribute('h1 .badge', 'data-status'),
      vapiCredential: (await page.innerText('[data-testid=vapi-credential]')).trim(),
      copied,
    };
  });

  await step('delete', page, async () => {
    await page.goto(`/console/t/${a.id}/connections/${a.deleteId}`);
    await Promise.all([page.waitForURL(url => url.search.includes('deleted=')), page.click('[data-testid=delete]')]);
    return {
      landedOn: page.url(),
      notice: (await page.innerText('[role=status]')).trim(),
      listed: await rowText(page, 'connections', a.deleteId),
      counts: (await page.innerText('[data-testid=connection-counts]')).replace(/\s+/g, ' ').trim(),
    };
  });

  await step('deleted-is-gone', page, async () => {
    const gone = await page.goto(`/console/t/${a.id}/connections/${a.deleteId}`);
    return { status: gone.status(), text: (await page.innerText('main')).trim() };
  });

  await step('live-call', page, async () => {
    await page.goto(`/console/t/${a.id}/calls`);
    return {
      live: await rowText(page, 'live-calls', a.liveCallId, 'data-call-id'),
      queue: (await page.innerText('[data-testid=queue]')).replace(/\s+/g, ' ').trim(),
    };
  });

  await step('call-history', page, async () => {
    await page.click(`[data-testid=live-calls] tr[data-call-id="${a.liveCallId}"] a`);
    await page.waitForSelector('[data-testid=status-history]');
    return { history: (await page.innerText('[data-testid=status-history]')).replace(/\s+/g, ' ').trim() };
  });

  await step('sign-out', page, async () => {
    await Promise.all([page.waitForURL(url => url.pathname.endsWith('/sign-in')), page.click('header .who button')]);
    const after = await page.goto(`/console/t/${a.id}`);
    return { url: page.url(), status: after.status() };
  });
  await context.close();

  // Tenant B, in a fresh browser context: none of A's objects exist for it.
  const other = await newPage();
  await step('signed-in-as-b', other.page, () => signIn(other.page, b.key));
  await step('b-sees-its-own', other.page, async () => {
    await other.page.goto(`/console/t/${b.id}/connections`);
    return { ownList: await other.page.innerText('[data-testid=connections]') };
  });
  await step('b-cannot-see-a', other.page, async () => {
    const connectionPage = await other.page.goto(`/console/t/${b.id}/connections/${a.needsReauthId}`);
    const callPage = await other.page.goto(`/console/t/${b.id}/calls/${a.liveCallId}`);
    const tenantPage = await other.page.goto(`/console/t/${a.id}/connections`);
    return {
      connectionStatus: connectionPage.status(),
      callStatus: callPage.status(),
      tenantStatus: tenantPage.status(),
      tenantText: await other.page.innerText('main'),
    };
  });
  await other.context.close();
} catch {
  // The failed step carries the error and a screenshot.
} finally {
  await browser.close();
}

results.urls = urls;
results.cspViolations = cspViolations;
process.stdout.write(JSON.stringify(results));
