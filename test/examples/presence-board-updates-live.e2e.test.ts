import { describe, expect, it } from 'vitest';
import { createBoardServer } from '../../examples/presence-board/createBoardServer';
import { createDemoBoard } from '../../examples/presence-board/createDemoBoard';
import { launchChromium } from '../helpers/chromium';

/**
 * The presence board in a real browser: Debian's Chromium, headless, driven through playwright-core. A presence
 * picked in the page and work assigned through the server's HTTP API both show on the board without a reload,
 * through the server-sent events stream.
 */

// Page functions take `any`: the test is compiled without the DOM library.
/** `--busydnd` in board.html. */
const DND_RED = 'rgb(209, 52, 56)';

describe('presence board in Chromium', () => {
  it('shows a picked presence and work assigned through the API live, without a reload', async () => {
    const demo = await createDemoBoard();
    const server = createBoardServer(demo);
    const { url } = await server.listen(0, '127.0.0.1');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(5_000);
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
      const commands: string[] = [];
      page.on('request', (req) => {
        if (req.method() === 'POST') commands.push(req.postData() ?? '');
      });
      const assign = async (agentId: string, workItemId: string, units: number) => {
        const response = await fetch(`${url}agents/${agentId}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'workAssigned', workItemId, units }), // the server stamps `at`
        });
        expect(response.status).toBe(200);
      };

      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForSelector('#connection[data-state="live"]');
      await page.evaluate('window.__loadedOnce = "yes"'); // gone if the page reloads
      const ana = page.locator('tr[data-agent="ana"]');
      const ben = page.locator('tr[data-agent="ben"]');
      expect(await ana.getAttribute('data-base')).toBe('Available');
      expect(await ben.locator('.bar').getAttribute('aria-valuenow')).toBe('40');

      // The picker: choose ana, see what she may pick, click "Do not disturb".
      await page.selectOption('#picker-agent', 'ana');
      const offered = await page.locator('#picker-presences button').evaluateAll((buttons: any[]) => buttons.map((b) => b.dataset.presenceId));
      expect(offered).toEqual(['available', 'busy', 'busy-dnd', 'away', 'offline', 'away-training', 'busy-wrap-up']);
      await page.getByRole('button', { name: 'Do not disturb' }).click();
      await page.waitForSelector('tr[data-agent="ana"][data-base="BusyDND"]');
      expect(await ana.locator('.presence-text').textContent()).toBe('Do not disturb');
      expect(await ana.locator('.base').textContent()).toBe('BusyDND');
      expect(await ana.locator('.dot').evaluate((dot: any) => (globalThis as any).getComputedStyle(dot).backgroundColor)).toBe(DND_RED);
      expect(await page.locator('#picker-presences button[data-presence-id="busy-dnd"]').getAttribute('aria-pressed')).toBe('true');

      // Work through the server's API: ben (40 of 100 used) takes 60 more and is full.
      await assign('ben', 'chat-2', 60);
      await page.waitForSelector('tr[data-agent="ben"] .bar[aria-valuenow="100"][data-level="full"]');
      expect(await ben.getAttribute('data-base')).toBe('BusyDND');
      expect(await ben.locator('.presence-text').textContent()).toBe('Do not disturb');
      expect(await ben.locator('.bar-label').textContent()).toBe('100/100 units · 2/4 items');
      expect(await ben.locator('.bar .fill').evaluate((fill: any) => fill.style.width)).toBe('100%');
      await page.getByText('ben: Busy → Do not disturb (capacity)').waitFor();

      // ana's pick holds while she takes work: only her capacity bar moves.
      await assign('ana', 'chat-3', 30);
      await page.waitForSelector('tr[data-agent="ana"] .bar[aria-valuenow="30"][data-level="partial"]');
      expect(await ana.getAttribute('data-base')).toBe('BusyDND');
      expect(await ana.locator('.presence-text').textContent()).toBe('Do not disturb');

      expect(await page.evaluate('window.__loadedOnce')).toBe('yes');
      // The page sends no time of its own: the server stamps each command with its clock.
      expect(commands.map((body) => JSON.parse(body))).toEqual([{ type: 'setPresence', presenceId: 'busy-dnd' }]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
      await demo.service.close();
    }
  }, 30_000);
});
