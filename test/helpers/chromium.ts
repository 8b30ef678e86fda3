import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from '../../scripts/testPrograms';

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
 * Launches Debian's Chromium (`chromium` on the PATH, or the one CHROMIUM names: scripts/testPrograms.ts) through
 * playwright-core, which never downloads a browser here. A browser test that cannot run fails, saying what to do,
 * rather than skips: `npm test` installs Chromium first where it can (scripts/test-prerequisites.ts).
 *
 * @returns the browser; close it when done
 * @throws Error saying how to install Chromium, when there is none
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) {
    throw new Error(
      'The browser tests need Chromium: no `chromium` on the PATH, and CHROMIUM (if set) names no executable. `npm test` installs it ' +
        'where it can (Debian/Ubuntu: sudo apt-get install -y chromium; macOS: brew install --cask chromium and set CHROMIUM); ' +
        '`npm run test:offline` runs the suites that need neither Chromium nor redis-server.',
    );
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 20_000 });
}
