import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../scripts/build-playground';
import { launchChromium } from '../helpers/chromium';

/**
 * The docs site's playground (docs/playground/, built by scripts/build-playground.ts as `npm run docs` does) in
 * Debian's Chromium, opened from file:// as a reader opens a local site: the library's core runs in the page on a
 * virtual clock, and each click shows the presence, its source and since, the next deadline, the capacity report,
 * any refusal and the timeline. Fails (never skips) when Chromium is missing.
 */

let dir: string;
let url: string;
/** Launched by the first test that opens a page, so that each test fails by itself when Chromium is missing. */
let browser: Promise<Browser> | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agent-presence-playground-'));
  const { html } = await buildPlayground(dir);
  url = pathToFileURL(html).href;
}, 30_000);

afterAll(async () => {
  await browser?.then(
    (b) => b.close(),
    () => undefined,
  );
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh page on the playground, collecting anything that goes wrong in it. */
async function open(preset: string): Promise<{ page: Page; problems: string[] }> {
  browser ??= launchChromium();
  const page = await (await browser).newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(5_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.getByRole('radio', { name: preset }).check();
  return { page, problems };
}

/** What the presence card says: base, text, source and since. */
async function presence(page: Page) {
  const card = page.locator('#presence');
  return {
    base: await card.getAttribute('data-base'),
    text: await page.locator('#presence-text').textContent(),
    source: await page.locator('#presence-source').textContent(),
    since: await page.locator('#presence-since').textContent(),
  };
}

const click = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();
const fact = (page: Page, name: string) => page.locator(`#capacity dd[data-fact="${name}"]`).textContent();
const timeline = (page: Page) => page.locator('#timeline li').allTextContents();

describe('the playground page in Chromium', () => {
  it('signs in, fills the capacity with chats, takes a pick, shows refusals and ends a wrap-up when the clock moves', async () => {
    const { page, problems } = await open('Chat team');
    try {
      expect(await presence(page)).toMatchObject({ base: 'Offline', text: 'Offline' });
      expect(await page.locator('#presences').textContent()).toBe('Sign in to pick a presence.');

      await click(page, 'Sign in');
      expect(await presence(page)).toEqual({ base: 'Available', text: 'Available', source: 'capacity', since: '09:00:00 (0 s ago)' });
      expect(await page.locator('#sessions').textContent()).toBe('"desk" seen 09:00:00');

      // Two chats of 50 units (the preset's default) fill the capacity of 100.
      await click(page, 'Assign chat');
      expect(await presence(page)).toMatchObject({ base: 'Busy', text: 'Busy', source: 'capacity' });
      await click(page, 'Advance the clock by 10 seconds');
      expect(await page.locator('#clock').textContent()).toBe('09:00:10');
      await click(page, 'Assign chat');
      expect(await presence(page)).toEqual({ base: 'BusyDND', text: 'Do not disturb', source: 'capacity', since: '09:00:10 (0 s ago)' });
      expect(await fact(page, 'level')).toBe('full');
      expect(await fact(page, 'units')).toBe('100 used of 100, 0 free');
      expect(await fact(page, 'items')).toBe('2 held of 3');
      expect(await fact(page, 'routing')).toBe('is not offered work');
      expect(await page.locator('#capacity-bar').getAttribute('aria-valuenow')).toBe('100');
      expect(await page.locator('#capacity-bar').getAttribute('data-level')).toBe('full');

      // The picker offers what selectablePresences gives: the standard five and the preset's "In training".
      const offered = await page.locator('#presences button').evaluateAll((buttons: any[]) => buttons.map((b) => b.dataset.presenceId));
      expect(offered).toEqual(['available', 'busy', 'busy-dnd', 'away', 'offline', 'away-training']);
      await click(page, 'Away');
      expect(await presence(page)).toMatchObject({ base: 'Away', text: 'Appear away', source: 'manual' });
      expect(await page.locator('#presences button[data-presence-id="away"]').getAttribute('aria-pressed')).toBe('true');

      // Refusals show their code and message in the live region, and leave the presence as it was.
      expect(await page.locator('#rejection').getAttribute('aria-live')).toBe('assertive');
      await page.getByLabel('Chat id').fill('chat-1');
      await click(page, 'Assign chat');
      await page.waitForSelector('#rejection[data-code="DUPLICATE_WORK_ITEM"]');
      expect(await page.locator('#rejection').textContent()).toBe('Refused: DUPLICATE_WORK_ITEM — Agent "agent-7": work item "chat-1" is already held');
      expect(await presence(page)).toMatchObject({ base: 'Away', source: 'manual' });
      await page.getByLabel('Session id').fill('phone');
      await click(page, 'Heartbeat');
      expect(await page.locator('#rejection').getAttribute('data-code')).toBe('UNKNOWN_SESSION');
      expect(await page.locator('#rejection').textContent()).toContain('session "phone" is not signed in');

      // Reset: capacity decides again, and an accepted event clears the refusal.
      await click(page, 'Reset presence');
      expect(await presence(page)).toMatchObject({ base: 'BusyDND', source: 'capacity' });
      expect(await page.locator('#rejection').textContent()).toBe('');
      expect(await page.locator('#rejection').getAttribute('data-code')).toBeNull();

      // A release with 30 s of wrap-up: the preset's wrap-up presence until the clock passes its end.
      await page.getByLabel('Wrap-up on release, seconds').fill('30');
      await click(page, 'Release chat-2');
      expect(await presence(page)).toEqual({ base: 'Busy', text: 'Wrapping up', source: 'wrapUp', since: '09:00:10 (0 s ago)' });
      expect(await page.locator('#next-deadline').textContent()).toBe('09:00:40 (in 30 s)');
      expect(await page.locator('#held li[data-item="chat-2"]').textContent()).toContain('wrap-up until 09:00:40');
      expect(await fact(page, 'units')).toBe('100 used of 100, 0 free'); // a wrap-up holds its units
      await click(page, 'Advance the clock by 1 minute');
      expect(await page.locator('#clock').textContent()).toBe('09:01:10');
      expect(await presence(page)).toEqual({ base: 'Busy', text: 'Busy', source: 'capacity', since: '09:00:40 (30 s ago)' });
      expect(await fact(page, 'units')).toBe('50 used of 100, 50 free');
      expect(await page.locator('#next-deadline').textContent()).toBe('none: time alone changes nothing');

      // The timeline, newest first: every event with what it did.
      expect(await timeline(page)).toEqual([
        '09:01:10Clock +1 min: Wrapping up → Busy (capacity, at 09:00:40)',
        '09:00:10Release chat-2 (wrap-up 30 s): Do not disturb → Wrapping up (wrapUp)',
        '09:00:10Reset presence: Appear away → Do not disturb (capacity)',
        '09:00:10Heartbeat from "phone": refused: UNKNOWN_SESSION',
        '09:00:10Assign chat-1 (50 units): refused: DUPLICATE_WORK_ITEM',
        '09:00:10Pick "Away": Do not disturb → Appear away (manual)',
        '09:00:10Assign chat-2 (50 units): Busy → Do not disturb (capacity)',
        '09:00:10Clock +10 s: Busy, unchanged',
        '09:00:00Assign chat-1 (50 units): Available → Busy (capacity)',
        '09:00:00Sign in on "desk": Offline → Available (capacity)',
      ]);
      expect(await page.locator('#timeline li[data-changed="true"]').count()).toBe(7);
      expect(await page.locator('#timeline li[data-refused="true"]').count()).toBe(2);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('makes an agent idle, then signs them out when their session is not heard from, as the clock moves', async () => {
    const { page, problems } = await open('Sessions, idle and wrap-up');
    try {
      await click(page, 'Sign in');
      expect(await page.locator('#sessions').textContent()).toBe('"desk" seen 09:00:00, expires 09:01:30');
      expect(await page.locator('#next-deadline').textContent()).toBe('09:01:30 (in 1 min 30 s)');

      await click(page, 'Advance the clock by 1 minute');
      await click(page, 'Heartbeat'); // the session lives on; a heartbeat is not activity
      expect(await page.locator('#sessions').textContent()).toBe('"desk" seen 09:01:00, expires 09:02:30');
      expect(await page.locator('#next-deadline').textContent()).toBe('09:02:00 (in 1 min)');

      await click(page, 'Advance the clock by 1 minute');
      expect(await presence(page)).toEqual({ base: 'Away', text: 'Appear away', source: 'idle', since: '09:02:00 (0 s ago)' });

      await click(page, 'Advance the clock by 5 minutes');
      expect(await presence(page)).toEqual({ base: 'Offline', text: 'Offline', source: 'expired', since: '09:02:30 (4 min 30 s ago)' });
      expect(await page.locator('#sessions').textContent()).toBe('none');
      expect(await page.locator('#presences').textContent()).toBe('Sign in to pick a presence.');

      // Signed out, a reset is refused.
      await click(page, 'Reset presence');
      expect(await page.locator('#rejection').getAttribute('data-code')).toBe('NOT_SIGNED_IN');

      expect(await timeline(page)).toEqual([
        '09:07:00Reset presence: refused: NOT_SIGNED_IN',
        '09:07:00Clock +5 min: Appear away → Offline (expired, at 09:02:30)',
        '09:02:00Clock +1 min: Available → Appear away (idle)',
        '09:01:00Heartbeat from "desk": Available, unchanged',
        '09:01:00Clock +1 min: Available, unchanged',
        '09:00:00Sign in on "desk": Offline → Available (capacity)',
      ]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);
});
