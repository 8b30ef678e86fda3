/**
 * The board page (board.html, one self-contained file: inline CSS and JS, nothing fetched from elsewhere) and the
 * Content-Security-Policy it is served with: only its own inline script (by hash) runs, and it may connect only
 * back to this server — so a stray CDN link or a script injected into the page would be blocked.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The page and the headers it is served with. */
export interface BoardPage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

/**
 * @returns board.html and its Content-Security-Policy
 * @throws Error when the page does not hold exactly one inline script
 */
export function loadBoardPage(): BoardPage {
  const html = readFileSync(new URL('./board.html', import.meta.url), 'utf8');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
  if (scripts.length !== 1 || /<script\s[^>]*src=/i.test(html)) throw new Error('board.html must hold exactly one inline <script> and no external one');
  const hash = createHash('sha256')
    .update(scripts[0]?.[1] ?? '')
    .digest('base64');
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
