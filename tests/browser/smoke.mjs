// Browser smoke test for Koers: walks through the main pages as a beleidsadviseur
// in headless Debian Chromium and runs axe-core (WCAG 2.1 A/AA) on every page.
//
//   KOERS_URL=http://127.0.0.1:PORT KOERS_EMAIL=... KOERS_PASSWORD=... KOERS_YEAR=2024 \
//     [KOERS_SCREENSHOTS=/tmp/shots] [KOERS_CHROMIUM=/usr/bin/chromium] \
//     node tests/browser/smoke.mjs
//
// Exits 0 when every step passes. It stops at the first failure and exits 1.
// The last line is always "N passed, M failed".
//
// The app works without JavaScript, and the server validates every form itself.
// Before an invalid submission the script sets `noValidate` on the form. The browser
// then skips its own checks (such as `required` or `min`), so the server's error
// messages are what gets tested.
//
// The walk closes KOERS_YEAR as a beleidsadviseur would: it evaluates every action, writes the
// texts, takes the evaluation through adoption and the council letter and carries the
// unfinished actions over into KOERS_YEAR + 1. It needs the demo as `serve --demo` loads it
// (KOERS_YEAR - 1 adopted, KOERS_YEAR not yet evaluated, no KOERS_YEAR + 1), so run it
// against a fresh database each time. New pages are also checked at a phone's width (390 px):
// the page must not scroll sideways.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

// ---------------------------------------------------------------- configuration

const required = ['KOERS_URL', 'KOERS_EMAIL', 'KOERS_PASSWORD', 'KOERS_YEAR'];
const missing = required.filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(`smoke.mjs: missing environment variable(s): ${missing.join(', ')}`);
  console.error('usage: KOERS_URL=http://127.0.0.1:PORT KOERS_EMAIL=… KOERS_PASSWORD=… KOERS_YEAR=2024 ' +
    '[KOERS_SCREENSHOTS=dir] node tests/browser/smoke.mjs');
  process.exit(2);
}

const BASE = process.env.KOERS_URL.replace(/\/+$/, '');
const EMAIL = process.env.KOERS_EMAIL;
const PASSWORD = process.env.KOERS_PASSWORD;
const YEAR = process.env.KOERS_YEAR;
const SCREENSHOTS = process.env.KOERS_SCREENSHOTS || '';
const CHROMIUM = process.env.KOERS_CHROMIUM || '/usr/bin/chromium';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TIMEOUT_MS = 15_000;
// The walk covers every area of Koers; on a busy 2-core machine it takes several minutes.
const WHOLE_RUN_MS = 15 * 60_000;

const NEW_TITLE = 'Testactie vanuit de browser';
const TOELICHTING = 'Browsertest: wacht op aanlevering partner.';
const TOELICHTING_INVALID = 'Browsertest: ongeldige uren, mag niet worden opgeslagen.';

// ---------------------------------------------------------------- small helpers

let passed = 0;
let shotCounter = 0;
const problems = []; // broken sub-resources and JavaScript errors, checked at the end

const url = (p) => BASE + p;
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Label matcher: starts with the text (case-insensitive), so "Datum" does not match "Startdatum". */
const labelRe = (text) => new RegExp(`^\\s*${escapeRe(text)}`, 'i');
const pathOf = (u) => new URL(u).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs one checked step; any thrown error stops the run. */
async function step(name, fn) {
  try {
    await fn();
  } catch (err) {
    const e = new Error(`${name}: ${err.message}`);
    e.cause = err;
    throw e;
  }
  passed += 1;
  console.log(`ok ${passed} - ${name}`);
}

/** Polls `fn` until it returns a truthy value (returned) or the timeout passes. */
async function waitFor(fn, message, timeout = TIMEOUT_MS) {
  const end = Date.now() + timeout;
  let lastError;
  while (Date.now() < end) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      lastError = err; // e.g. the page is navigating: try again
    }
    await sleep(150);
  }
  throw new Error(`${message} (waited ${timeout} ms${lastError ? `; last error: ${lastError.message}` : ''})`);
}

/** Visits a path, asserts a successful response and waits until the page has loaded. */
async function visit(page, p) {
  const response = await page.goto(url(p), { waitUntil: 'load' });
  assert.ok(response, `no response for ${p}`);
  assert.ok(response.status() < 400, `GET ${p} answered HTTP ${response.status()}`);
  return response;
}

/** Clicks a (submit) button or link and waits for the resulting page to load. */
async function clickAndSettle(page, locator) {
  await locator.click();
  await page.waitForLoadState('load');
}

async function h1Text(page) {
  const h1 = page.locator('h1');
  const count = await h1.count();
  assert.equal(count, 1, `expected exactly one <h1> on ${page.url()}, found ${count}`);
  return (await h1.innerText()).trim();
}

async function expectH1(page, ...parts) {
  await waitFor(async () => {
    const text = await page.locator('h1').first().innerText();
    return parts.every((p) => text.includes(p));
  }, `h1 on ${page.url()} should contain ${parts.map((p) => JSON.stringify(p)).join(' and ')}`);
  return h1Text(page);
}

/** Runs axe-core with the WCAG 2.1 A/AA rules; throws when there are violations. */
async function checkAxe(page, name) {
  await page.waitForLoadState('load');
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  if (results.violations.length === 0) return;
  const lines = [`axe found ${results.violations.length} accessibility violation(s) on "${name}" (${page.url()}):`];
  for (const v of results.violations) {
    lines.push(`  - ${v.id} [${v.impact}]: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes) lines.push(`      at ${JSON.stringify(node.target)}`);
  }
  throw new Error(lines.join('\n'));
}

/**
 * Saves a full-page PNG as NN-name.png when KOERS_SCREENSHOTS is set. NN counts the
 * pages visited. A later state of the same page (an error shown, the phone width)
 * passes `{ samePage: true }` and keeps the number: 01-login, 01-login-fout, 02-overzicht.
 */
async function shot(page, name, { samePage = false } = {}) {
  if (!SCREENSHOTS) return;
  if (!samePage || shotCounter === 0) shotCounter += 1;
  const file = path.join(SCREENSHOTS, `${String(shotCounter).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

/** axe + screenshot: called on every page state the test visits. */
async function checkPage(page, name, options) {
  await checkAxe(page, name);
  await shot(page, name, options);
}

/** Selects the first option whose label contains `text`; returns that label. */
async function selectOptionContaining(select, text) {
  const labels = (await select.locator('option').allInnerTexts()).map((t) => t.trim());
  const label = labels.find((l) => l.includes(text));
  assert.ok(label, `no option containing "${text}" in select (options: ${labels.join(' | ')})`);
  await select.selectOption({ label });
  return label;
}

/** Makes the browser skip its own validation so the server's validation is tested. */
async function disableNativeValidation(form) {
  await form.evaluate((f) => { f.noValidate = true; });
}

/**
 * Text of the error message that belongs to a field: an element referenced by
 * aria-describedby, or an element in the field's own wrapper whose class or id
 * mentions "error"/"fout"/"invalid". Returns '' when none is found.
 */
async function fieldErrorText(field) {
  return field.evaluate((el) => {
    const looksLikeError = (n) => /error|fout|invalid/i.test(`${n.className} ${n.id}`);
    for (const id of (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)) {
      const d = document.getElementById(id);
      if (d && looksLikeError(d) && d.textContent.trim()) return d.textContent.trim();
    }
    let n = el.parentElement;
    for (let i = 0; i < 4 && n && n.tagName !== 'FORM' && n !== document.body; i += 1, n = n.parentElement) {
      if (n.querySelectorAll('input:not([type=hidden]), select, textarea').length > 1) break;
      const hit = [...n.querySelectorAll('*')].find((c) => c !== el && looksLikeError(c) && c.textContent.trim());
      if (hit) return hit.textContent.trim();
    }
    return '';
  });
}

/** Whether `text` is shown next to the field (aria-describedby or the field's own wrapper). */
async function textNearField(field, text) {
  return field.evaluate((el, t) => {
    for (const id of (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)) {
      const d = document.getElementById(id);
      if (d && d.textContent.includes(t)) return true;
    }
    let n = el.parentElement;
    for (let i = 0; i < 4 && n && n.tagName !== 'FORM' && n !== document.body; i += 1, n = n.parentElement) {
      if (n.querySelectorAll('input:not([type=hidden]), select, textarea').length > 1) break;
      if (n.textContent.includes(t)) return true;
    }
    return false;
  }, text);
}

/** Rows of the action tables: [{ code, hasActionLink }] for every visible tbody row. */
async function actionRows(page) {
  const rows = [];
  for (const row of await page.locator('table tbody tr').all()) {
    if (!(await row.isVisible())) continue;
    const code = ((await row.locator('th, td').first().textContent()) || '').trim();
    const hasActionLink = (await row.locator('a[href*="/acties/"]').count()) > 0;
    if (hasActionLink || /^[A-Z]{1,6}\d*-\d+/.test(code)) rows.push({ code, hasActionLink });
  }
  return rows;
}

/** Text of the newest (first) entry in the section under the heading "Voortgangshistorie". */
async function firstTimelineEntry(page) {
  const heading = page.getByRole('heading', { name: 'Voortgangshistorie' });
  return heading.first().evaluate((h) => {
    const entrySelector = 'li, article, tbody tr, .timeline-item, [class*="timeline__item"]';
    const section = h.closest('section, article, [role="region"]');
    if (section && section.contains(h)) {
      const entries = [...section.querySelectorAll(entrySelector)].filter(
        (e) => !e.contains(h) && (h.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING),
      );
      if (entries.length) return entries[0].textContent;
    }
    // No wrapping section: look at the siblings after the heading, up to the next heading.
    for (let n = h.nextElementSibling; n && !/^H[1-6]$/.test(n.tagName); n = n.nextElementSibling) {
      const e = n.matches(entrySelector) ? n : n.querySelector(entrySelector);
      if (e) return e.textContent;
    }
    return '';
  });
}

/** A report date Koers accepts for the programme year: today, unless today lies after the
 * window of that year (which ends on 31 December of the following year); then the year's end. */
function reportDate() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  if (d.getFullYear() > Number(YEAR) + 1) return `${YEAR}-12-31`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The form on the page that evaluates one action. */
function evaluationForm(page) {
  return page.locator('form').filter({ has: page.getByRole('button', { name: 'Evaluatie opslaan' }) });
}

/** The checked outcome radio: its value, its label text and whether it needs a reason. */
async function checkedOutcome(form) {
  const radio = form.locator('input[name="outcome"]:checked');
  assert.equal(await radio.count(), 1, 'exactly one outcome is chosen');
  const value = await radio.getAttribute('value');
  const label = await radio.evaluate((el) => (el.closest('label')?.textContent || '').replace(/\s+/g, ' ').trim());
  return { value, label, needsReason: label.includes('reden verplicht') };
}

/** Saves the evaluation form as it stands, with a reason when the chosen outcome needs one. */
async function evaluateShownAction(page) {
  const form = evaluationForm(page);
  const { needsReason } = await checkedOutcome(form);
  const reason = form.getByLabel(labelRe('Reden'));
  if (needsReason && !(await reason.inputValue()).trim()) {
    await reason.fill('Browsertest: het werk loopt door in het volgende jaar.');
  }
  await clickAndSettle(page, form.getByRole('button', { name: 'Evaluatie opslaan' }));
}

/** Rows of the table "Vastgelegde versies" on the adoption page. */
function versionRows(page) {
  return page.locator('section').filter({ has: page.getByRole('heading', { name: 'Vastgelegde versies' }) })
    .locator('table tbody tr');
}

/** The years in the lineage table "Verloop over de jaren" of an action page ([] when absent). */
async function lineageYears(page) {
  const rows = page.locator('section[aria-labelledby="verloop"] table tbody tr');
  return (await rows.locator('th').allInnerTexts()).map((t) => t.trim());
}

/** The local date `days` from today as YYYY-MM-DD (negative: in the past). */
function isoDate(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * At the width of a phone (390 px) the page must not scroll sideways: wide tables scroll in
 * their own container. Saves a screenshot of the phone view when KOERS_SCREENSHOTS is set.
 */
async function checkPhone(page, name) {
  await page.setViewportSize(PHONE);
  try {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `at ${PHONE.width} px "${name}" is ${width} px wide: the page scrolls sideways`);
    await shot(page, `${name}-telefoon`, { samePage: true });
  } finally {
    await page.setViewportSize(DESKTOP);
  }
}

/** Records broken sub-resources (CSS, JS, images, fonts) and JavaScript errors. */
function watchProblems(page, label) {
  page.on('pageerror', (err) => problems.push(`${label}: JavaScript error: ${err.message}`));
  // A Content-Security-Policy violation shows up only as a console error, e.g. when a
  // script inserts an inline style that the CSP blocks.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      problems.push(`${label}: CSP violation: ${msg.text()}`);
    }
  });
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (res.status() >= 400 && ['stylesheet', 'script', 'image', 'font'].includes(type)) {
      problems.push(`${label}: ${type} ${res.url()} answered HTTP ${res.status()}`);
    }
  });
  page.on('requestfailed', (req) => {
    if (req.url().startsWith(BASE)) {
      const reason = req.failure()?.errorText || 'failed';
      if (reason !== 'net::ERR_ABORTED') problems.push(`${label}: request ${req.url()} ${reason}`);
    }
  });
}

async function logIn(page) {
  await page.getByLabel(labelRe('E-mailadres')).fill(EMAIL);
  await page.getByLabel(labelRe('Wachtwoord')).fill(PASSWORD);
  await clickAndSettle(page, page.getByRole('button', { name: 'Inloggen' }));
  await waitFor(() => pathOf(page.url()).startsWith('/overzicht'),
    `after logging in as ${EMAIL} the browser should be on /overzicht, but is on ${page.url()}`);
}

// ---------------------------------------------------------------- the walk-through

async function run(browser) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'nl-NL' });
  context.setDefaultTimeout(TIMEOUT_MS);
  context.setDefaultNavigationTimeout(2 * TIMEOUT_MS);
  const page = await context.newPage();
  watchProblems(page, 'main');

  // a. Log in: first a wrong password, then the right one.
  await step('login page has e-mail, password and "Inloggen" button', async () => {
    await visit(page, '/inloggen');
    await page.getByLabel(labelRe('E-mailadres')).waitFor();
    await page.getByLabel(labelRe('Wachtwoord')).waitFor();
    await page.getByRole('button', { name: 'Inloggen' }).waitFor();
    await checkPage(page, 'login');
  });

  await step('wrong password shows "onjuist" and keeps the e-mail address', async () => {
    await page.getByLabel(labelRe('E-mailadres')).fill(EMAIL);
    await page.getByLabel(labelRe('Wachtwoord')).fill(`${PASSWORD}-fout`);
    await clickAndSettle(page, page.getByRole('button', { name: 'Inloggen' }));
    await waitFor(() => page.getByText(/onjuist/i).first().isVisible(),
      'a visible message containing "onjuist" after a wrong password');
    assert.equal(await page.getByLabel(labelRe('E-mailadres')).inputValue(), EMAIL,
      'the e-mail field should still hold the address after a failed login');
    assert.ok(!pathOf(page.url()).startsWith('/overzicht'), 'a wrong password must not log in');
    await checkPage(page, 'login-fout', { samePage: true });
  });

  await step('correct password leads to /overzicht', async () => {
    await logIn(page);
    await expectH1(page, 'Overzicht');
    await checkPage(page, 'overzicht');
  });

  // ==== Progress rounds and "Mijn acties" (part C) ====
  // The adviser opens the rounds of the year and the open round; a teamlid (when given) reports
  // from "Mijn acties" and the round counts the report. Both pages at 390 px too.
  let roundPath = '';
  await step('progress rounds: the list and the open round pass axe, also at 390 px', async () => {
    await visit(page, `/programma/${YEAR}/rondes`);
    await expectH1(page, 'Voortgangsrondes', YEAR);
    await checkPage(page, 'rondes');
    await checkPhone(page, 'rondes');
    await clickAndSettle(page, page.getByRole('link', { name: /kwartaal/i }).first());
    roundPath = pathOf(page.url());
    await page.getByText(/acties hebben in deze ronde voortgang gemeld/).first().waitFor();
    assert.ok(await page.locator('svg[role="img"] title').count() > 0, 'the round shows its chart');
    await checkPage(page, 'ronde');
    await checkPhone(page, 'ronde');
  });
  if (process.env.KOERS_TEAMLID_EMAIL) {
    await step('a teamlid reports from "Mijn acties" and the round counts it', async () => {
      const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'nl-NL' });
      ctx.setDefaultTimeout(TIMEOUT_MS);
      try {
        const p = await ctx.newPage();
        watchProblems(p, 'teamlid');
        await visit(p, roundPath);
        await p.getByLabel(labelRe('E-mailadres')).fill(process.env.KOERS_TEAMLID_EMAIL);
        await p.getByLabel(labelRe('Wachtwoord')).fill(process.env.KOERS_TEAMLID_PASSWORD || '');
        await clickAndSettle(p, p.getByRole('button', { name: 'Inloggen' }));
        const count = async () => Number((await p.locator('.koers-lead strong').first().innerText()).split(' ')[0]);
        const before = await count();
        await clickAndSettle(p, p.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Mijn acties' }));
        await expectH1(p, 'Mijn acties', YEAR);
        await checkPage(p, 'mijn-acties');
        await checkPhone(p, 'mijn-acties');
        await clickAndSettle(p, p.getByRole('link', { name: /^Voortgang melden/ }).first());
        await p.getByLabel(labelRe('Toelichting')).fill('Browsertest: gemeld vanuit Mijn acties.');
        await p.getByLabel(labelRe('Bestede uren')).fill('2');
        await clickAndSettle(p, p.getByRole('button', { name: 'Voortgang opslaan' }));
        await p.getByText('De voortgang is opgeslagen.').first().waitFor();
        await visit(p, roundPath);
        assert.equal(await count(), before + 1, 'the report counts in the open round');
      } finally {
        await ctx.close();
      }
    });
  }
  // ==== end of part C ====

  // b. Policy plan.
  await step('beleidsplan shows its themes', async () => {
    await visit(page, '/beleidsplan');
    assert.match(await h1Text(page), /Beleidsplan/);
    for (const text of ['Ondermijning', 'Leesbaar voor iedereen']) {
      assert.ok(await page.getByText(text).first().isVisible(), `"${text}" should be visible on /beleidsplan`);
    }
    await checkPage(page, 'beleidsplan');
  });

  // c. Programme page and its filter.
  const programme = `/programma/${YEAR}`;
  await step(`programme ${YEAR} lists actions with links to /acties/`, async () => {
    await visit(page, programme);
    await expectH1(page, 'Uitvoeringsprogramma', YEAR);
    assert.ok((await page.locator('table').count()) > 0, 'the programme page should contain a table');
    const rows = await actionRows(page);
    assert.ok(rows.length > 0, 'the programme tables should contain action rows');
    const withoutLink = rows.filter((r) => !r.hasActionLink).map((r) => r.code);
    assert.deepEqual(withoutLink, [], 'every action row should have a title link to /acties/…');
    assert.ok(rows.some((r) => !r.code.startsWith('IV2-')),
      `the unfiltered programme should also hold non-IV2 actions (codes: ${rows.map((r) => r.code).join(', ')})`);
    await checkPage(page, 'programma');
    if (SCREENSHOTS) {
      await page.setViewportSize(PHONE);
      await shot(page, 'programma-telefoon', { samePage: true });
      await page.setViewportSize(DESKTOP);
    }
  });

  await step('filter on thema Ondermijning shows only IV2 actions', async () => {
    const form = page.getByRole('search')
      .or(page.locator('form').filter({ has: page.getByRole('button', { name: 'Filteren' }) }))
      .first();
    const select = form.getByLabel(labelRe('Thema'));
    await selectOptionContaining(select, 'Ondermijning');
    const button = form.getByRole('button', { name: 'Filteren' })
      .or(form.locator('button[type="submit"], input[type="submit"]'))
      .first();
    await clickAndSettle(page, button);
    await waitFor(() => page.url().includes('thema='), `the URL should contain "thema=" after filtering, is ${page.url()}`);
    const rows = await waitFor(async () => {
      const r = await actionRows(page);
      return r.length > 0 && r.every((x) => x.code.startsWith('IV2-')) ? r : null;
    }, 'after filtering on Ondermijning every visible action code should start with "IV2-"')
      .catch(async (err) => {
        const codes = (await actionRows(page)).map((r) => r.code);
        throw new Error(`${err.message}; codes shown: ${codes.join(', ') || '(none)'}`);
      });
    console.log(`     filtered codes: ${rows.map((r) => r.code).join(', ')}`);
    await checkPage(page, 'programma-ondermijning');
  });

  // d. First action.
  let actionCode = '';
  let actionPath = '';
  await step('first action page shows its code and "Actie bewerken"', async () => {
    await visit(page, programme);
    const row = page.locator('table tbody tr').filter({ has: page.locator('a[href*="/acties/"]') }).first();
    actionCode = ((await row.locator('th, td').first().textContent()) || '').trim();
    assert.ok(actionCode, 'the first action row should start with an action code');
    await clickAndSettle(page, row.locator('a[href*="/acties/"]').first());
    await waitFor(() => page.url().includes('/acties/'), `should be on an /acties/ page, is on ${page.url()}`);
    actionPath = pathOf(page.url());
    await expectH1(page, actionCode);
    await page.getByRole('link', { name: 'Actie bewerken' }).waitFor();
    await checkPage(page, 'actie');
  });

  // e. Edit the action: first without a title, then properly.
  await step('saving without a title shows an error summary and keeps input', async () => {
    await clickAndSettle(page, page.getByRole('link', { name: 'Actie bewerken' }));
    const titel = page.getByLabel(labelRe('Titel'));
    const beschrijving = page.getByLabel(labelRe('Beschrijving'));
    await titel.waitFor();
    await page.getByRole('button', { name: 'Actie opslaan' }).waitFor();
    await checkPage(page, 'actie-bewerken');

    await titel.fill('');
    const typed = `${await beschrijving.inputValue()} (test)`;
    await beschrijving.fill(typed);
    await disableNativeValidation(page.locator('form').filter({ has: page.getByRole('button', { name: 'Actie opslaan' }) }));
    await clickAndSettle(page, page.getByRole('button', { name: 'Actie opslaan' }));

    const summary = page.locator('[role="alert"], [class*="error-summary"]').first();
    await waitFor(() => summary.isVisible(), 'an error summary (role="alert" or class *error-summary*) should appear');
    const titleId = await page.getByLabel(labelRe('Titel')).getAttribute('id');
    assert.ok(titleId, 'the Titel field needs an id so the error summary can link to it');
    assert.ok((await summary.locator(`a[href="#${titleId}"]`).count()) > 0,
      `the error summary should contain a link to #${titleId}; it holds: ${(await summary.innerText()).trim()}`);
    assert.ok(await textNearField(page.getByLabel(labelRe('Titel')), 'Vul een titel in.'),
      '"Vul een titel in." should be shown at the Titel field (in its wrapper or via aria-describedby)');
    const kept = await page.getByLabel(labelRe('Beschrijving')).inputValue();
    assert.ok(kept.includes(' (test)'), `Beschrijving should keep the typed text, holds: ${JSON.stringify(kept)}`);
    await checkPage(page, 'actie-bewerken-fout', { samePage: true });
  });

  await step('saving with a new title returns to the action page', async () => {
    await page.getByLabel(labelRe('Titel')).fill(NEW_TITLE);
    await clickAndSettle(page, page.getByRole('button', { name: 'Actie opslaan' }));
    await expectH1(page, NEW_TITLE);
    assert.equal(pathOf(page.url()), actionPath, 'after saving the browser should be back on the action page');
    await checkPage(page, 'actie-opgeslagen');
  });

  // f. Report progress: first invalid hours, then valid values.
  const progressForm = () => page.locator('form').filter({ has: page.getByRole('button', { name: 'Voortgang opslaan' }) });
  await step('progress with negative hours shows an error and keeps the explanation', async () => {
    await page.getByRole('heading', { name: 'Voortgang melden' }).waitFor();
    const form = progressForm();
    const statusLabels = await form.getByLabel(labelRe('Status')).locator('option').allInnerTexts();
    assert.ok(statusLabels.some((l) => l.includes('Op schema')),
      `Status should offer "Op schema" (options: ${statusLabels.join(' | ')})`);
    await selectOptionContaining(form.getByLabel(labelRe('Status')), 'Vertraagd');
    await form.getByLabel(labelRe('Toelichting')).fill(TOELICHTING_INVALID);
    await form.getByLabel(labelRe('Bestede uren')).fill('-5');
    await form.getByLabel(labelRe('Datum')).fill(reportDate());
    await disableNativeValidation(form);
    await clickAndSettle(page, form.getByRole('button', { name: 'Voortgang opslaan' }));

    const message = await waitFor(() => fieldErrorText(progressForm().getByLabel(labelRe('Bestede uren'))),
      'an error message should be shown at "Bestede uren" (aria-describedby or an element with class *error* in its wrapper)');
    console.log(`     error at "Bestede uren": ${message}`);
    assert.equal(await progressForm().getByLabel(labelRe('Toelichting')).inputValue(), TOELICHTING_INVALID,
      'Toelichting should keep the typed text after a validation error');
    await checkPage(page, 'voortgang-fout', { samePage: true });
  });

  await step('valid progress appears first in "Voortgangshistorie"', async () => {
    const form = progressForm();
    await selectOptionContaining(form.getByLabel(labelRe('Status')), 'Vertraagd');
    await form.getByLabel(labelRe('Toelichting')).fill(TOELICHTING);
    await form.getByLabel(labelRe('Bestede uren')).fill('3');
    await form.getByLabel(labelRe('Datum')).fill(reportDate());
    await clickAndSettle(page, form.getByRole('button', { name: 'Voortgang opslaan' }));
    const first = await waitFor(async () => {
      const text = await firstTimelineEntry(page);
      return text.includes(TOELICHTING) ? text : null;
    }, `the first entry under "Voortgangshistorie" should contain "${TOELICHTING}"`)
      .catch(async (err) => {
        throw new Error(`${err.message}; first entry is: ${JSON.stringify((await firstTimelineEntry(page).catch(() => '')).trim().slice(0, 200))}`);
      });
    assert.ok(!first.includes(TOELICHTING_INVALID), 'the rejected submission must not be in the history');
    assert.ok(!(await page.getByText(TOELICHTING_INVALID).count()), 'the rejected submission must not be saved');
    await checkPage(page, 'voortgang-opgeslagen', { samePage: true });
  });

  // ------------------------------------------------ VTH task fields and capacity (part A)
  // The demo's Toezicht & Handhaving is close to its capacity in KOERS_YEAR: planning 200 more
  // complaints (300 hours) turns its balance into a warning on the programme page.
  await step(`task fields, their figures and the capacity of ${YEAR} pass axe, also at 390 px`, async () => {
    await visit(page, '/taakvelden');
    await expectH1(page, 'Taakvelden');
    await checkPage(page, 'taakvelden');
    await checkPhone(page, 'taakvelden');
    await visit(page, `/programma/${YEAR}/capaciteit`);
    await expectH1(page, 'Capaciteit');
    await page.getByText('Krap', { exact: true }).first().waitFor();
    await checkPage(page, 'capaciteit');
    await checkPhone(page, 'capaciteit');
    await visit(page, `/programma/${YEAR}/taakvelden`);
    await checkPage(page, 'taakvelden-jaar');
    await checkPhone(page, 'taakvelden-jaar');
    await clickAndSettle(page, page.getByRole('link', { name: 'Klachten en meldingen' }));
    await expectH1(page, 'Klachten en meldingen');
    const planned = page.getByLabel('Gepland aantal', { exact: true });
    const before = Number(await planned.inputValue());
    await planned.fill('veel');
    await disableNativeValidation(page.locator('form.koers-form'));
    await clickAndSettle(page, page.getByRole('button', { name: 'Cijfers opslaan' }));
    await page.locator('#planned_volume-error').waitFor();
    await checkPage(page, 'taakveld-cijfers-fout', { samePage: true });
    await checkPhone(page, 'taakveld-cijfers');
    await page.getByLabel('Gepland aantal', { exact: true }).fill(String(before + 200));
    await clickAndSettle(page, page.getByRole('button', { name: 'Cijfers opslaan' }));
    await waitFor(() => pathOf(page.url()) === `/programma/${YEAR}/taakvelden`,
      `after saving the figures the browser should be on /programma/${YEAR}/taakvelden, is on ${page.url()}`);
    await visit(page, `/programma/${YEAR}`);
    await page.getByRole('heading', { name: 'Te weinig capaciteit' }).waitFor();
    await checkPage(page, 'programma-capaciteit-tekort');
  });
  // ------------------------------------------------ end of part A

  // The evaluation of 2023 is adopted: it is read-only, and still passes axe.
  await step('the adopted evaluation of 2023 is read-only and passes axe', async () => {
    await visit(page, '/programma/2023/evaluatie');
    await expectH1(page, 'Evaluatie 2023');
    assert.equal(await page.getByRole('link', { name: 'Volgende actie evalueren' }).count(), 0,
      'an adopted evaluation offers no "Volgende actie evalueren"');
    assert.equal(await page.getByRole('button', { name: 'Aandachtspunt toevoegen' }).count(), 0,
      'an adopted evaluation offers no form for attention points');
    await checkPage(page, 'evaluatie-2023-vastgesteld');
    await clickAndSettle(page, page.locator('.koers-evaluation-list a[href*="/evaluatie/acties/"]').first());
    await expectH1(page, 'Evaluatie van');
    assert.equal(await evaluationForm(page).count(), 0, 'an adopted evaluation has no form per action');
    await checkPage(page, 'evaluatie-2023-actie');
  });

  // The evaluation of this year: figures, one action evaluated with a refused and an accepted
  // save, a filter behind a figure, and the texts form.
  const evaluation = `/programma/${YEAR}/evaluatie`;
  await step(`the evaluation of ${YEAR} can be filled in and passes axe`, async () => {
    await visit(page, evaluation);
    await expectH1(page, `Evaluatie ${YEAR}`);
    await checkPage(page, 'evaluatie');
    await clickAndSettle(page, page.getByRole('link', { name: 'Volgende actie evalueren' }));
    await expectH1(page, 'Evaluatie van');
    await checkPage(page, 'evaluatie-actie');
    await checkPhone(page, 'evaluatie-actie');
    const form = evaluationForm(page);
    const suggested = await checkedOutcome(form);
    assert.ok(suggested.label.includes('voorstel'), `the prefilled outcome is the suggestion, is "${suggested.label}"`);
    await form.getByRole('radio', { name: /^Niet gerealiseerd/ }).check();
    await form.getByLabel(labelRe('Reden')).fill('');
    await clickAndSettle(page, form.getByRole('button', { name: 'Evaluatie opslaan' }));
    const reason = evaluationForm(page).getByLabel(labelRe('Reden'));
    assert.ok((await fieldErrorText(reason)).includes('Geef een reden'), 'the missing reason is shown next to the field');
    await checkPage(page, 'evaluatie-actie-fout', { samePage: true });
    // Back to the suggestion, as a user who reads the error would.
    await evaluationForm(page).locator(`input[name="outcome"][value="${suggested.value}"]`).check();
    await evaluateShownAction(page);
    await page.getByText('is opgeslagen').first().waitFor();
    await visit(page, evaluation);
    // The figure of the outcome just saved links to at least that action.
    await clickAndSettle(page, page.locator(`tfoot a[href*="uitkomst=${suggested.value}"]`).first());
    assert.ok((await actionRows(page)).length >= 1, 'the figure links to the actions behind it');
    await checkPage(page, 'evaluatie-gefilterd');
  });

  await step(`every remaining action of ${YEAR} is evaluated with the suggested outcome`, async () => {
    await visit(page, evaluation);
    await clickAndSettle(page, page.getByRole('link', { name: 'Volgende actie evalueren' }));
    let count = 0;
    let forgotOnce = false;
    while (pathOf(page.url()).includes('/evaluatie/acties/')) {
      assert.ok(count < 100, 'more than 100 actions to evaluate: the walk does not end');
      const form = evaluationForm(page);
      const outcome = await checkedOutcome(form);
      const code = pathOf(page.url()).split('/').pop();
      if (outcome.needsReason && !forgotOnce) {
        // Forget the reason once: the page says so next to the field and keeps the outcome.
        forgotOnce = true;
        await form.getByLabel(labelRe('Reden')).fill('');
        await clickAndSettle(page, form.getByRole('button', { name: 'Evaluatie opslaan' }));
        assert.ok(pathOf(page.url()).endsWith(`/${code}`), 'a refused save stays on the action');
        const message = await fieldErrorText(evaluationForm(page).getByLabel(labelRe('Reden')));
        assert.ok(message.includes('Geef een reden'), `the missing reason is shown next to the field, got "${message}"`);
        assert.equal((await checkedOutcome(evaluationForm(page))).value, outcome.value, 'the chosen outcome is kept');
      }
      await evaluateShownAction(page);
      count += 1;
      await waitFor(() => page.getByText(`De evaluatie van ${decodeURIComponent(code)} is opgeslagen`).first().isVisible(),
        `a message that ${code} is saved`);
    }
    console.log(`     evaluated ${count} more action(s)${forgotOnce ? ', one after a missing reason' : ''}`);
    assert.equal(pathOf(page.url()), evaluation, 'after the last action the browser is back on the evaluation');
    await page.getByText(`Alle acties van ${YEAR} zijn nu geëvalueerd`).first().waitFor();
    await page.getByText('Alle acties zijn geëvalueerd.').first().waitFor();
    await checkPage(page, 'evaluatie-compleet');
    await checkPhone(page, 'evaluatie-compleet');
  });

  const CONCLUSION = 'Browsertest: het programma liep grotendeels volgens plan.';
  const POINT = 'Browsertest: de planning van de subteams eerder afstemmen.';
  const FOLLOW_UP = 'Browsertest: beter gegaan, de subteams plannen nu per kwartaal.';
  await step(`conclusions, an attention point and last year's points of ${YEAR} are written`, async () => {
    await visit(page, `${evaluation}/teksten`);
    await expectH1(page, 'Conclusies en trends');
    await checkPage(page, 'evaluatie-teksten');
    await page.getByLabel(labelRe('Conclusies')).fill(CONCLUSION);
    await clickAndSettle(page, page.getByRole('button', { name: 'Teksten opslaan' }));
    await waitFor(() => pathOf(page.url()) === evaluation, `after saving the texts the browser is on ${evaluation}, is on ${page.url()}`);
    await page.getByText(CONCLUSION).first().waitFor();

    const points = page.locator('form').filter({ has: page.getByRole('button', { name: 'Aandachtspunt toevoegen' }) });
    await points.getByLabel(labelRe('Nieuw aandachtspunt')).fill(POINT);
    await clickAndSettle(page, points.getByRole('button', { name: 'Aandachtspunt toevoegen' }));
    await page.locator('#aandachtspunten-lijst li').filter({ hasText: POINT }).first().waitFor();

    const previous = page.locator('section').filter({
      has: page.getByRole('heading', { name: `Aandachtspunten uit de evaluatie van ${Number(YEAR) - 1}` }),
    });
    const followUp = previous.locator('form').first();
    await followUp.getByLabel(labelRe('Hoe is het gegaan?')).fill(FOLLOW_UP);
    await clickAndSettle(page, followUp.getByRole('button', { name: /^Opslaan/ }));
    await waitFor(async () => (await page.locator('section').filter({
      has: page.getByRole('heading', { name: `Aandachtspunten uit de evaluatie van ${Number(YEAR) - 1}` }),
    }).locator('textarea').first().inputValue()) === FOLLOW_UP, 'the answer to "Hoe is het gegaan?" is kept');
    await checkPage(page, 'evaluatie-ingevuld');
  });

  // Adoption of the evaluation: offered, a refused decision date, the college's decision, the
  // council letter; then the frozen version and its download.
  const adoption = `/programma/${YEAR}/vaststelling`;
  const evaluationHeading = `Evaluatie van het programma ${YEAR}`;
  const adoptionSection = () => page.locator('section').filter({
    has: page.getByRole('heading', { name: evaluationHeading, level: 2 }),
  });
  const DECISION = `B&W ${YEAR}/browsertest`;
  await step(`the evaluation of ${YEAR} is offered, and a decision date in the future is refused`, async () => {
    await visit(page, adoption);
    await expectH1(page, `Vaststelling ${YEAR}`);
    await clickAndSettle(page, adoptionSection().getByRole('button', { name: 'Aanbieden ter vaststelling' }));
    await waitFor(async () => (await adoptionSection().locator('h2 .koers-tag').innerText()).includes('Ter vaststelling'),
      'the evaluation is "Ter vaststelling" after offering it');
    await checkPage(page, 'vaststelling-aangeboden');

    const form = adoptionSection().locator('form').filter({
      has: page.getByRole('button', { name: 'Vaststelling door het college vastleggen' }),
    });
    await form.getByLabel(labelRe('Datum van het besluit')).fill(isoDate(3));
    await form.getByLabel(labelRe('Kenmerk van het besluit')).fill(DECISION);
    await disableNativeValidation(form);
    await clickAndSettle(page, form.getByRole('button', { name: 'Vaststelling door het college vastleggen' }));
    const date = adoptionSection().getByLabel(labelRe('Datum van het besluit'));
    const message = await waitFor(() => fieldErrorText(date), 'an error next to "Datum van het besluit"');
    console.log(`     error at "Datum van het besluit": ${message}`);
    assert.match(message, /toekomst/, 'the message says the date lies in the future');
    assert.equal(await adoptionSection().getByLabel(labelRe('Kenmerk van het besluit')).inputValue(), DECISION,
      'the reference is kept after the refusal');
    assert.ok((await adoptionSection().locator('h2 .koers-tag').innerText()).includes('Ter vaststelling'),
      'a refused decision leaves the evaluation "Ter vaststelling"');
    assert.equal(await versionRows(page).filter({ hasText: DECISION }).count(), 0, 'a refused decision freezes nothing');
    await checkPage(page, 'vaststelling-fout', { samePage: true });
  });

  await step(`the college adopts the evaluation of ${YEAR}: stepper, frozen version, JSON download`, async () => {
    const form = adoptionSection().locator('form').filter({
      has: page.getByRole('button', { name: 'Vaststelling door het college vastleggen' }),
    });
    await form.getByLabel(labelRe('Datum van het besluit')).fill(isoDate(-1));
    await form.getByLabel(labelRe('Kenmerk van het besluit')).fill(DECISION);
    await clickAndSettle(page, form.getByRole('button', { name: 'Vaststelling door het college vastleggen' }));
    await waitFor(async () => (await adoptionSection().locator('h2 .koers-tag').innerText()).includes('Vastgesteld door het college'),
      'the evaluation is "Vastgesteld door het college" after the decision');
    const current = adoptionSection().locator('.koers-stepper [aria-current="step"]');
    assert.match(await current.innerText(), /Vastgesteld door het college/, 'the stepper marks the decision as the current step');
    assert.ok((await adoptionSection().locator('.koers-stepper__step--done').count()) >= 2,
      'the stepper shows concept and ter vaststelling as done');

    const row = versionRows(page).filter({ hasText: DECISION });
    assert.equal(await row.count(), 1, `one frozen version with reference ${DECISION}`);
    const hash = (await row.locator('.koers-hash').innerText()).trim();
    assert.match(hash, /^[0-9a-f]{64}$/, `the version shows a SHA-256, shows "${hash}"`);
    const href = await row.getByRole('link', { name: /^Download versie/ }).getAttribute('href');
    const response = await page.request.get(url(href));
    assert.equal(response.status(), 200, `GET ${href} answered HTTP ${response.status()}`);
    assert.match(response.headers()['content-type'] || '', /json/, 'the download is JSON');
    JSON.parse(await response.text());
    await checkPage(page, 'vaststelling-vastgesteld');
  });

  await step(`the council letter on the evaluation of ${YEAR} is recorded`, async () => {
    const form = adoptionSection().locator('form').filter({
      has: page.getByRole('button', { name: 'Verzending aan de raad vastleggen' }),
    });
    await form.getByLabel(labelRe('Nummer van de brief')).fill(`${Number(YEAR) + 1}-000321`);
    await form.getByLabel(labelRe('Datum van de brief')).fill(isoDate(-1));
    await clickAndSettle(page, form.getByRole('button', { name: 'Verzending aan de raad vastleggen' }));
    await waitFor(async () => (await adoptionSection().locator('h2 .koers-tag').innerText()).includes('Ter kennisname aan de raad'),
      'the evaluation is "Ter kennisname aan de raad" after the letter');
    assert.match(await adoptionSection().locator('.koers-stepper [aria-current="step"]').innerText(), /Ter kennisname/);
    assert.equal(await adoptionSection().getByRole('button', { name: /^(Vaststelling door|Verzending aan)/ }).count(), 0,
      'the decision and the letter are not offered again');
    await checkPage(page, 'vaststelling-raad');
    await checkPhone(page, 'vaststelling-raad');
  });

  // The council package of the year: reached from the programme, built from the adopted
  // programme, a readability report per document, a download per format.
  await step(`the council package of ${YEAR}: contents, readability and downloads`, async () => {
    await visit(page, programme);
    await clickAndSettle(page, page.getByRole('link', { name: 'Raadspakket', exact: true }));
    await waitFor(() => pathOf(page.url()) === `/programma/${YEAR}/raadspakket`,
      `"Raadspakket" leads to /programma/${YEAR}/raadspakket, is on ${page.url()}`);
    await expectH1(page, 'Raadspakket', YEAR);
    assert.match(await page.locator('main').innerText(), /vastgesteld op/, 'built from the adopted programme');
    assert.equal(await page.locator('.koers-readability__summary').count(), 3,
      'a readability report for the letter and both annexes');
    const downloads = page.locator('.koers-downloads a');
    assert.equal(await downloads.count(), 4, 'one download per format');
    const href = await page.getByRole('link', { name: /^HTML/ }).getAttribute('href');
    const response = await page.request.get(url(href));
    assert.equal(response.status(), 200, `GET ${href} answered HTTP ${response.status()}`);
    assert.match(response.headers()['content-disposition'] || '', new RegExp(`raadspakket-[A-Z0-9]+-${YEAR}\\.html`),
      'the file is named after the organisation code and the year');
    await visit(page, `/programma/${YEAR}/raadspakket`);
    assert.ok(await page.locator('section[aria-labelledby="vastgelegd-titel"] table .koers-hash').count() >= 1,
      'the downloaded package is listed as kept');
    await checkPage(page, 'raadspakket');
    await checkPhone(page, 'raadspakket');
  });

  // Next year: "Programma N+1 voorbereiden" with one code changed, and the lineage.
  const nextYear = String(Number(YEAR) + 1);
  let renamed = '';
  await step(`the actions that carry over are taken into programme ${nextYear}`, async () => {
    await visit(page, `/programma/${YEAR}/doorschuiven`);
    await expectH1(page, nextYear);
    assert.equal(await page.getByRole('heading', { name: /^Nog niet geëvalueerd/ }).count(), 0,
      'every action is evaluated, so none is waiting');
    await checkPage(page, 'doorschuiven-voorstel');
    await checkPhone(page, 'doorschuiven-voorstel');
    const boxes = page.locator('table.koers-carry input[type="checkbox"][name="actie"]');
    const n = await boxes.count();
    assert.ok(n >= 1, 'the evaluation carries at least one action over');
    for (let i = 0; i < n; i += 1) assert.ok(await boxes.nth(i).isChecked(), 'every proposed action is ticked');
    const codes = page.locator('table.koers-carry input[name^="code_"]');
    const taken = new Set(await codes.evaluateAll((els) => els.map((e) => e.value)));
    const first = await codes.first().inputValue();
    const prefix = first.replace(/\d+$/, '');
    for (let k = 90; k < 1000 && !renamed; k += 1) if (!taken.has(`${prefix}${k}`)) renamed = `${prefix}${k}`;
    await codes.first().fill(renamed);
    console.log(`     ${n} action(s) proposed; ${first} becomes ${renamed}`);
    await clickAndSettle(page, page.getByRole('button', { name: `Programma ${nextYear} aanmaken en overnemen` }));
    await waitFor(() => pathOf(page.url()) === `/programma/${nextYear}`, `lands on /programma/${nextYear}, is on ${page.url()}`);
    const flash = await page.getByRole('status').first().innerText();
    assert.match(flash, new RegExp(`overgenomen in programma ${nextYear}`), `a flash message, got "${flash}"`);
    await expectH1(page, 'Uitvoeringsprogramma', nextYear);
    const rows = await actionRows(page);
    assert.equal(rows.length, n, `programme ${nextYear} holds the ${n} carried action(s)`);
    assert.ok(rows.some((r) => r.code === renamed), `the renamed action ${renamed} is in ${nextYear}`);
    await checkPage(page, `programma-${nextYear}`);
    await checkPhone(page, `programma-${nextYear}`);
  });

  await step(`an action of ${nextYear} shows its lineage over ${Number(YEAR) - 1}, ${YEAR} and ${nextYear}`, async () => {
    const hrefs = await page.locator('table tbody tr a[href*="/acties/"]').evaluateAll(
      (links) => [...new Set(links.map((a) => a.getAttribute('href')))]);
    const want = [String(Number(YEAR) - 1), YEAR, nextYear];
    let found = '';
    for (const href of hrefs) {
      await visit(page, href);
      const years = await lineageYears(page);
      if (want.every((y) => years.includes(y))) { found = href; break; }
    }
    assert.ok(found, `one of the ${hrefs.length} actions of ${nextYear} has a lineage over ${want.join(', ')}`);
    console.log(`     three-year lineage on ${found}`);
    const years = await lineageYears(page);
    assert.deepEqual(years, [...years].sort(), 'the lineage lists the oldest first');
    assert.match(await page.locator('section[aria-labelledby="verloop"] table tr[aria-current="page"] th').innerText(), new RegExp(nextYear),
      'the row of this action is marked as the current one');
    await checkPage(page, 'verloop-drie-jaar');
    await checkPhone(page, 'verloop-drie-jaar');
    // The oldest link leads to the same lineage from the other end.
    await clickAndSettle(page, page.locator('section[aria-labelledby="verloop"] table tbody tr').first().getByRole('link'));
    assert.deepEqual(await lineageYears(page), years, 'the action of the first year shows the same lineage');
    await checkPage(page, 'verloop-eerste-jaar');
  });

  // The remaining pages of a beleidsadviseur: each must load and pass axe.
  await step('every other page of a beleidsadviseur passes axe', async () => {
    const pages = [
      ['/overzicht?jaar=2023', 'overzicht-2023'],
      ['/beleidsplan/bewerken', 'beleidsplan-bewerken'],
      [`/programma/${YEAR}/acties/nieuw`, 'actie-nieuw'],
      [`/programma/${YEAR}/vaststelling`, 'vaststelling'],
      ['/programma/2099', 'programma-leeg'],
      ['/beheer', 'beheer'],
      ['/onderdelen/partner/nieuw', 'partner-nieuw'],
      ['/account/api-sleutels', 'api-sleutels'],
      ['/programma/2023/doorschuiven', 'doorschuiven'],
      ['/beheer/briefsjabloon', 'briefsjabloon'],
    ];
    for (const [p, name] of pages) {
      await visit(page, p);
      await checkPage(page, name);
    }
    // The letter template's preview shows the letter without saving it.
    await visit(page, '/beheer/briefsjabloon');
    await expectH1(page, 'Briefsjabloon');
    await clickAndSettle(page, page.getByRole('button', { name: 'Voorbeeld bekijken' }));
    await page.getByRole('heading', { name: 'Voorbeeld (niet opgeslagen)' }).waitFor();
    await checkPage(page, 'briefsjabloon-voorbeeld');
    await visit(page, '/beheer');
    await clickAndSettle(page, page.getByRole('link', { name: /^Verwijderen/ }).first());
    await expectH1(page, 'verwijderen');
    await checkPage(page, 'verwijderen-vragen');
    await visit(page, '/beleidsplan');
    await clickAndSettle(page, page.getByRole('link', { name: /^Ambitie toevoegen aan/ }).first());
    await expectH1(page, 'Nieuwe ambitie');
    await checkPage(page, 'ambitie-nieuw');
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Opslaan' }) });
    await disableNativeValidation(form);
    await clickAndSettle(page, form.getByRole('button', { name: 'Opslaan' }));
    await page.getByText('Vul de ambitie in.').first().waitFor();
    await checkPage(page, 'ambitie-nieuw-fout', { samePage: true });
    const missing = await page.goto(url('/bestaat-niet'), { waitUntil: 'load' });
    assert.equal(missing.status(), 404, '/bestaat-niet should answer 404');
    await checkPage(page, 'niet-gevonden');
    await visit(page, '/overzicht');
  });

  // The administrator's pages, when an administrator account is given.
  if (process.env.KOERS_ADMIN_EMAIL) {
    await step('the administrator pages pass axe', async () => {
      const admin = await browser.newContext({ viewport: DESKTOP, locale: 'nl-NL' });
      admin.setDefaultTimeout(TIMEOUT_MS);
      try {
        const p = await admin.newPage();
        watchProblems(p, 'admin');
        await visit(p, '/inloggen');
        await p.getByLabel(labelRe('E-mailadres')).fill(process.env.KOERS_ADMIN_EMAIL);
        await p.getByLabel(labelRe('Wachtwoord')).fill(process.env.KOERS_ADMIN_PASSWORD || '');
        await clickAndSettle(p, p.getByRole('button', { name: 'Inloggen' }));
        await visit(p, '/beheer/gebruikers');
        await expectH1(p, 'Gebruikers');
        await checkPage(p, 'gebruikers');
        const form = p.locator('form').filter({ has: p.getByRole('button', { name: 'Account aanmaken' }) });
        await form.getByLabel(labelRe('E-mailadres')).fill('geen-adres');
        await disableNativeValidation(form);
        await clickAndSettle(p, form.getByRole('button', { name: 'Account aanmaken' }));
        await p.getByText('Vul een geldig e-mailadres in').first().waitFor();
        await checkPage(p, 'gebruikers-fout', { samePage: true });
        await visit(p, '/beheer/organisatie');
        await expectH1(p, 'Organisatie');
        await checkPage(p, 'organisatie');
        await visit(p, '/beheer/huisstijl');
        await expectH1(p, 'Huisstijl');
        await checkPage(p, 'huisstijl');
        // A colour too light for headings is refused next to the field, the input kept.
        const style = p.locator('form').filter({ has: p.getByRole('button', { name: 'Huisstijl opslaan' }) });
        await style.getByLabel(labelRe('Huisstijlkleur')).fill('#ffcc00');
        await clickAndSettle(p, style.getByRole('button', { name: 'Huisstijl opslaan' }));
        await p.getByText('heeft op wit een contrast van').first().waitFor();
        await checkPage(p, 'huisstijl-fout', { samePage: true });
        await visit(p, '/beheer/audit');
        await expectH1(p, 'Auditlog');
        await checkPage(p, 'auditlog');
        // The administrator's own changes, made before the walk (crates/koers/tests/it/browser.rs):
        // a URL in a title, a 120-character word and a long e-mail address wrap or stack at 390 px.
        if (process.env.KOERS_AUDIT_LONG) {
          await selectOptionContaining(p.getByLabel(labelRe('Gebruiker')), process.env.KOERS_ADMIN_NAME);
          await clickAndSettle(p, p.getByRole('button', { name: 'Filteren' }));
          await p.getByText(process.env.KOERS_AUDIT_LONG).first().waitFor();
          await p.setViewportSize(PHONE);
          try {
            await checkAxe(p, 'auditlog-lange-waarden-telefoon');
          } finally {
            await p.setViewportSize(DESKTOP);
          }
          await checkPage(p, 'auditlog-lange-waarden', { samePage: true });
          await checkPhone(p, 'auditlog-lange-waarden');
        }
      } finally {
        await admin.close();
      }
    });
  }

  // ---------------------------------------------------------------- part D (issue 10)
  // Search across the years, a programme sorted by a column, and its export as XLSX and CSV.
  await step('search "brandveilig" finds actions of several years with year and status', async () => {
    await visit(page, '/overzicht');
    await clickAndSettle(page, page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Zoeken' }));
    await expectH1(page, 'Zoeken in alle jaren');
    await page.getByLabel(labelRe('Zoekwoorden')).fill('brandveilig');
    await clickAndSettle(page, page.getByRole('button', { name: 'Zoeken', exact: true }));
    await page.getByRole('heading', { name: /acties? gevonden/ }).waitFor();
    const rows = page.locator('table.koers-search-results tbody tr');
    const years = await rows.locator('td:first-child').allTextContents();
    assert.ok(new Set(years).size >= 2, `search should find several years, found ${years.join(', ')}`);
    assert.ok(await rows.first().locator('.koers-status').count() === 1, 'each result shows its status');
    await checkPage(page, 'zoeken');
    await checkPhone(page, 'zoeken');
  });

  await step(`programme ${YEAR} sorts by hours and downloads as XLSX and CSV`, async () => {
    await visit(page, `/programma/${YEAR}`);
    await clickAndSettle(page, page.locator('table.koers-actions').first().getByRole('link', { name: /^Uren/ }));
    await waitFor(() => page.url().includes('sorteer=uren'), `sorting should put sorteer=uren in the URL: ${page.url()}`);
    const table = page.locator('table.koers-actions').first();
    assert.equal(await table.locator('th[aria-sort]').getAttribute('aria-sort'), 'ascending');
    const hours = (await table.locator('tbody td.koers-num').allTextContents()).map((t) => Number(t.replace(/\./g, '')));
    assert.deepEqual(hours, [...hours].sort((a, b) => a - b), `hours should ascend: ${hours}`);
    for (const [name, ext] of [['Excel (.xlsx)', '.xlsx'], ['CSV', '.csv']]) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name, exact: true }).click(),
      ]);
      assert.ok(download.suggestedFilename().endsWith(ext), `download ${download.suggestedFilename()}`);
    }
    await checkPage(page, 'programma-gesorteerd');
    await checkPhone(page, 'programma-gesorteerd');
  });

  // g. Without JavaScript.
  await step('without JavaScript: log in and open the programme', async () => {
    const noJs = await browser.newContext({ viewport: DESKTOP, locale: 'nl-NL', javaScriptEnabled: false });
    noJs.setDefaultTimeout(TIMEOUT_MS);
    noJs.setDefaultNavigationTimeout(2 * TIMEOUT_MS);
    try {
      const p = await noJs.newPage();
      watchProblems(p, 'no-js');
      await visit(p, '/inloggen');
      await logIn(p);
      await visit(p, programme);
      await expectH1(p, 'Uitvoeringsprogramma', YEAR);
      assert.ok((await actionRows(p)).length > 0, 'the programme should list actions without JavaScript');
      // axe itself needs JavaScript; the same pages were already checked above.
      await shot(p, 'programma-zonder-javascript');
    } finally {
      await noJs.close();
    }
  });

  // ------------------------------------------------ charts, trends and indicators (part E)
  await step('charts: status per theme on the overview, hours per subteam, trends across years', async () => {
    for (const [p, name, charts] of [
      [`/overzicht?jaar=${YEAR}`, 'overzicht-grafiek', 1],
      [`/programma/${YEAR}/uren`, 'uren-per-subteam', 1],
      ['/trends', 'trends', 4],
    ]) {
      await visit(page, p);
      const svgs = page.locator('figure.koers-chart svg[role="img"]');
      assert.equal(await svgs.count(), charts, `${p} should show ${charts} chart(s)`);
      assert.ok((await page.locator('figure.koers-chart svg title').first().textContent()).length > 0, `${p}: chart without a title`);
      assert.ok(await page.locator('table caption').count() >= 1, `${p}: the numbers should be in a table`);
      await checkPage(page, name);
      await checkPhone(page, name);
    }
  });

  await step('indicators: a new indicator, refused input, a measurement that changes the chart', async () => {
    await visit(page, '/indicatoren');
    await checkPage(page, 'indicatoren');
    await checkPhone(page, 'indicatoren');
    await clickAndSettle(page, page.getByRole('link', { name: 'Nieuwe indicator' }));
    await expectH1(page, 'Nieuwe indicator');
    const form = page.locator('form.koers-form');
    await disableNativeValidation(form);
    await page.locator('#unit').fill('%');
    await page.locator('#target_year_0').fill('2024');
    await page.locator('#target_value_0').fill('tien');
    await clickAndSettle(page, form.getByRole('button', { name: 'Opslaan' }).last());
    assert.match(await fieldErrorText(page.locator('#name')), /naam/i);
    assert.match(await fieldErrorText(page.locator('#target_value_0')), /getal/i);
    await checkPage(page, 'indicator-fout', { samePage: true });
    await checkPhone(page, 'indicator-fout');
    await page.locator('#name').fill('Browsertest: tevredenheid over handhaving');
    await page.locator('#target_value_0').fill('70');
    await clickAndSettle(page, page.locator('form.koers-form').getByRole('button', { name: 'Opslaan' }).last());
    await expectH1(page, 'Browsertest: tevredenheid over handhaving');
    const before = await page.locator('figure.koers-chart svg').innerHTML();
    await page.getByLabel(labelRe('Datum van de meting')).fill(`${YEAR}-03-31`);
    await page.getByLabel(labelRe('Waarde')).fill('72,5');
    await page.getByLabel(labelRe('Bron')).fill('Browsertest');
    await clickAndSettle(page, page.getByRole('button', { name: 'Meting toevoegen' }));
    const after = await page.locator('figure.koers-chart svg').innerHTML();
    assert.notEqual(after, before, 'the chart should change after a measurement');
    assert.ok(after.includes('>72,5<'), 'the chart should show the measured value');
    assert.ok((await page.locator('table').first().innerText()).includes('Op koers'), 'the year should be judged on track');
    await checkPage(page, 'indicator');
    await checkPhone(page, 'indicator');
  });
  // ------------------------------------------------ end of part E

  // h. Log out.
  // ---------------------------------------------------------------- part B: risk analysis, LHS matrix, plan as a document
  await step('the plan reads as a document, links to the risk analysis and fits a phone', async () => {
    await visit(page, '/beleidsplan');
    assert.equal(await page.getByRole('button', { name: /^Omhoog/ }).count(), 0,
      'the plan page shows no maintenance buttons; they are on each item\'s edit page');
    assert.ok(await page.getByRole('link', { name: 'Risicoanalyse' }).isVisible());
    await checkPhone(page, 'beleidsplan');
  });

  await step('risicoanalyse shows the task fields in the kans × effect matrix', async () => {
    await visit(page, '/risicoanalyse');
    await expectH1(page, 'Risicoanalyse');
    assert.ok(await page.locator('caption', { hasText: 'Taakvelden naar kans' }).isVisible());
    await checkPage(page, 'risicoanalyse');
    await checkPhone(page, 'risicoanalyse');
  });

  await step('a beleidsadviseur fills in a risk analysis: an error first, then the matrix', async () => {
    await clickAndSettle(page, page.getByRole('link', { name: /Bekijken of wijzigen\s+Klachten en meldingen/ }));
    await expectH1(page, 'Risicoanalyse', 'Klachten en meldingen');
    await checkPage(page, 'risicoanalyse-taakveld');
    await checkPhone(page, 'risicoanalyse-taakveld');
    const form = page.locator('form.koers-form');
    const kans = form.getByLabel(labelRe('Kans'));
    await kans.selectOption('');
    await disableNativeValidation(form);
    await clickAndSettle(page, form.getByRole('button', { name: 'Analyse opslaan' }));
    assert.match(await fieldErrorText(page.locator('form.koers-form').getByLabel(labelRe('Kans'))), /score van 1 tot en met 5/);
    await checkPage(page, 'risicoanalyse-fout', { samePage: true });
    await page.locator('form.koers-form').getByLabel(labelRe('Kans')).selectOption('2');
    await clickAndSettle(page, page.getByRole('button', { name: 'Analyse opslaan' }));
    await waitFor(() => pathOf(page.url()) === '/risicoanalyse', `after saving the browser should be on /risicoanalyse, is on ${page.url()}`);
    const row = page.locator('tr', { has: page.locator('th', { hasText: 'Klachten en meldingen' }) });
    assert.match(await row.innerText(), /\b2\b[\s\S]*\b3\b[\s\S]*\b6\b[\s\S]*Midden/);
    await checkPage(page, 'risicoanalyse-opgeslagen', { samePage: true });
  });

  await step('the risk model shows its criteria and classes', async () => {
    await visit(page, '/risicoanalyse/model');
    await expectH1(page, 'Risicomodel');
    await checkPage(page, 'risicomodel');
    await checkPhone(page, 'risicomodel');
  });

  await step('the LHS matrix shows the organisation\'s cells and saves a new version', async () => {
    await visit(page, '/beleidsplan/lhs');
    await expectH1(page, 'Interventiematrix');
    assert.ok(await page.getByText('Nog in te vullen door de organisatie').first().isVisible());
    await checkPage(page, 'lhs');
    await checkPhone(page, 'lhs');
    await clickAndSettle(page, page.getByRole('link', { name: 'Matrix bewerken' }));
    await page.getByLabel(/^B3/).fill('Waarschuwen en een last onder dwangsom aankondigen.');
    await checkPage(page, 'lhs-bewerken');
    await checkPhone(page, 'lhs-bewerken');
    await clickAndSettle(page, page.getByRole('button', { name: 'Nieuwe versie opslaan' }).last());
    await waitFor(() => pathOf(page.url()) === '/beleidsplan/lhs', `after saving the browser should be on /beleidsplan/lhs, is on ${page.url()}`);
    assert.ok(await page.getByText(/Versie 2 van/).first().isVisible());
  });
  // ---------------------------------------------------------------- end of part B

  await step('"Uitloggen" ends the session', async () => {
    await clickAndSettle(page, page.getByRole('button', { name: 'Uitloggen' }).first());
    await waitFor(() => pathOf(page.url()).startsWith('/inloggen'), `after logging out the browser should be on /inloggen, is on ${page.url()}`);
    await checkPage(page, 'uitgelogd');
    await page.goto(url('/overzicht'), { waitUntil: 'load' });
    assert.ok(pathOf(page.url()).startsWith('/inloggen'),
      `after logging out /overzicht should send the browser to /inloggen, is on ${page.url()}`);
  });

  await step('no broken stylesheets, scripts or images and no JavaScript errors', async () => {
    assert.deepEqual(problems, [], `problems seen while browsing:\n  ${problems.join('\n  ')}`);
  });

  await context.close();
}

// ---------------------------------------------------------------- main

async function main() {
  if (SCREENSHOTS) fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const watchdog = setTimeout(() => {
    console.error(`smoke.mjs: the whole run took longer than ${WHOLE_RUN_MS / 1000} s`);
    console.log(`${passed} passed, 1 failed`);
    process.exit(1);
  }, WHOLE_RUN_MS);
  watchdog.unref();

  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (err) {
    console.error(`smoke.mjs: could not start Chromium at ${CHROMIUM} (apt-get install chromium): ${err.message}`);
    console.log(`${passed} passed, 1 failed`);
    process.exit(1);
  }

  let failed = 0;
  try {
    await run(browser);
  } catch (err) {
    failed = 1;
    console.error(`not ok ${passed + 1} - ${err.message}`);
    if (err.cause?.stack && process.env.KOERS_SMOKE_DEBUG) console.error(err.cause.stack);
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

await main();
