/**
 * The built documentation site (`npm run docs`, into docs/site; `npm test` builds it before the tests) as a reader
 * meets it: the guides first, titled and in reading order, then the six modules named as they are imported, every
 * subpath of the package among them. Also: every guide under docs/ is in the site.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/dist';

const GUIDES = ['Getting started', 'Concepts', 'Routing', 'Service and adapters', 'Scale-out', 'Testing', 'Performance'];
const MODULES = ['agent-presence', 'agent-presence/schema', 'agent-presence/service', 'agent-presence/admin', 'agent-presence/redis', 'agent-presence/testing'];

const site = join(root, 'docs', 'site');

function siteFile(relative: string): string {
  const file = join(site, relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run docs\` first (\`npm test\` does)`);
  return readFileSync(file, 'utf8');
}

interface NavigationNode {
  readonly text: string;
  readonly path?: string;
  readonly children?: readonly NavigationNode[];
}

/** The sidebar: TypeDoc writes it as deflated, base64-encoded JSON into assets/navigation.js. */
function navigation(): NavigationNode[] {
  const script = siteFile(join('assets', 'navigation.js'));
  const data = /navigationData\s*=\s*"([A-Za-z0-9+/=]+)"/.exec(script)?.[1];
  if (data === undefined) throw new Error('assets/navigation.js no longer holds navigationData as TypeDoc 0.28 writes it');
  return JSON.parse(inflateSync(Buffer.from(data, 'base64')).toString('utf8')) as NavigationNode[];
}

const title = (html: string): string => /<title>([^<|]*?)\s*\|/.exec(html)?.[1] ?? '';

describe('the documentation site', () => {
  it('lists the guides first, by title, in reading order, then the six modules by import name', () => {
    expect(navigation().map((node) => node.text)).toEqual([...GUIDES, ...MODULES]);
  });

  it('has a page for each guide and each module, titled as the sidebar names it', () => {
    for (const node of navigation()) {
      expect(node.path, node.text).toBeDefined();
      expect(title(siteFile(node.path as string)), node.path).toBe(node.text);
    }
  });

  it('documents every subpath the package exports', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
    const imported = Object.keys(pkg.exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
    expect([...MODULES].sort()).toEqual(imported.sort());
    const modulesPage = siteFile('modules.html');
    for (const name of MODULES) expect(modulesPage, name).toContain(`>${name}<`);
  });

  it('takes in every guide under docs/, each with a title', () => {
    const typedoc = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { projectDocuments: string[] };
    const guides = readdirSync(join(root, 'docs'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`);
    expect([...typedoc.projectDocuments].sort()).toEqual(guides.sort());
    const titles = typedoc.projectDocuments.map((file) => /^---\ntitle: (.+)\n/.exec(readFileSync(join(root, file), 'utf8'))?.[1]);
    expect(titles).toEqual(GUIDES);
  });
});
