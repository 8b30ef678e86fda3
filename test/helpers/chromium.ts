import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, the browser the browser tests drive through playwright-core (which never downloads one here).
 */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (containers), nothing that reaches the network on its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches {@link CHROMIUM}, failing with what to do when it is not installed: a browser test that cannot run fails
 * rather than skips.
 *
 * @returns the browser; close it when done
 * @throws Error naming the missing file and the command that installs it
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} does not exist: install Debian's Chromium with \`apt-get install -y chromium\` (.ci/run does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS], timeout: 20_000 });
}
