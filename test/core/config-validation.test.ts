import { describe, expect, it } from 'vitest';
import {
  BASE_STATUSES,
  createPresenceMachine,
  DEFAULT_CAPACITY,
  fieldRules,
  formatPath,
  PresenceConfigError,
  STANDARD_PRESENCES,
  validateConfig,
} from '../../src/index';
import type { PresenceConfig, PresenceIssue } from '../../src/index';

/** Lets a test hand over config that breaks the declared type, as config read from a database can. */
const raw = (value: unknown): PresenceConfig => value as PresenceConfig;

/** The error createPresenceMachine throws for a config it must refuse. */
function errorFor(config: unknown): PresenceConfigError {
  try {
    createPresenceMachine(raw(config));
  } catch (error) {
    if (error instanceof PresenceConfigError) return error;
    throw error;
  }
  throw new Error('createPresenceMachine accepted the config');
}

const paths = (issues: readonly PresenceIssue[]) => issues.map((issue) => issue.path);

/** The one issue of a config that must have exactly one problem. */
function onlyIssue(config: unknown): PresenceIssue {
  const issues = validateConfig(config);
  expect(issues).toHaveLength(1);
  const [issue] = issues;
  if (issue === undefined) throw new Error('no issue');
  expect(errorFor(config).issues).toEqual(issues);
  return issue;
}

const training = { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' } as const;

describe('a valid config', () => {
  const full: PresenceConfig = {
    presences: [
      training,
      { id: 'busy-backoffice', name: 'Busy – Back office', base: 'Busy', description: '', active: true },
      { id: 'chat-full', name: 'Chats full', base: 'BusyDND' },
      { id: 'ready', name: 'Ready', base: 'Available' },
      { id: 'retired', name: 'Retired', base: 'Away', active: false },
    ],
    defaultProfile: { defaultPresenceId: 'ready', presenceIds: ['away-training', 'retired'], capacity: 0, maxWorkItems: 1 },
    agents: { 'agent-7': { defaultPresenceId: 'away', presenceIds: [], capacity: 60, maxWorkItems: 3 }, 'agent-8': {} },
    capacityPresences: { none: 'ready', partial: 'busy-backoffice', full: 'chat-full' },
  };

  it('has no issues and builds a machine', () => {
    expect(validateConfig(full)).toEqual([]);
    expect(createPresenceMachine(full).presences.map((p) => p.id)).toEqual([
      ...STANDARD_PRESENCES.map((p) => p.id),
      'away-training',
      'busy-backoffice',
      'chat-full',
      'ready',
      'retired',
    ]);
  });

  it('may be empty', () => {
    expect(validateConfig({})).toEqual([]);
  });

  it('may be left out entirely, giving the standard setup', () => {
    const machine = createPresenceMachine();
    expect(machine.presences).toEqual(STANDARD_PRESENCES);
    expect(machine.profileOf('anyone').capacity).toBe(DEFAULT_CAPACITY);
    const { presence } = machine.transition(machine.initialState('anyone'), { type: 'signIn', at: 1 });
    expect(presence.presenceId).toBe('available');
  });

  it('accepts every base status for a custom presence', () => {
    const presences = BASE_STATUSES.map((base) => ({ id: `custom-${base}`, name: base, base }));
    expect(validateConfig({ presences })).toEqual([]);
  });
});

describe('PresenceConfigError', () => {
  it('is an Error named PresenceConfigError carrying the issues', () => {
    const error = errorFor({ defaultProfile: { capacity: -1 } });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(PresenceConfigError);
    expect(error.name).toBe('PresenceConfigError');
    expect(error.issues).toEqual([{ path: ['defaultProfile', 'capacity'], message: expect.stringContaining('-1') }]);
    expect(error.message).toBe(`Invalid presence config:\n- defaultProfile.capacity: ${fieldRules.capacity(-1)}`);
  });

  it('lists every problem at once, in the issues and in the message', () => {
    const config = {
      presences: [
        { id: 'lunch', name: ' ', base: 'Lunch' },
        { id: 'away', name: 'Away again', base: 'Away' },
      ],
      defaultProfile: { capacity: Number.NaN, maxWorkItems: 0, defaultPresenceId: 'nap' },
      agents: { 'agent-7': { presenceIds: ['ghost'], capacity: -5 } },
      capacityPresences: { full: 'away' },
      theme: 'dark',
    };
    const error = errorFor(config);
    expect(error.issues).toEqual(validateConfig(config));
    expect(paths(error.issues)).toEqual([
      ['theme'],
      ['presences', 0, 'name'],
      ['presences', 0, 'base'],
      ['presences', 1, 'id'],
      ['defaultProfile', 'defaultPresenceId'],
      ['defaultProfile', 'capacity'],
      ['defaultProfile', 'maxWorkItems'],
      ['agents', 'agent-7', 'presenceIds', 0],
      ['agents', 'agent-7', 'capacity'],
      ['capacityPresences', 'full'],
    ]);
    expect(error.message.split('\n')).toEqual(['Invalid presence config:', ...error.issues.map((issue) => `- ${formatPath(issue.path)}: ${issue.message}`)]);
    for (const issue of error.issues) {
      expect(error.message).toContain(`${formatPath(issue.path)}: ${issue.message}`);
    }
  });
});

describe('non-object config', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', '{}'],
    ['an array', []],
    ['a boolean', true],
    ['a Date', new Date(0)],
    ['a Map', new Map([['presences', []]])],
    ['a class instance', new (class Settings {})()],
  ])('reports %s at the root', (_, config) => {
    const issue = onlyIssue(config);
    expect(issue.path).toEqual([]);
    expect(issue.message).toMatch(/must be an object/);
  });

  it('reports fields of the wrong shape', () => {
    const issues = validateConfig({ presences: {}, defaultProfile: [], agents: 'agent-7', capacityPresences: 3 });
    expect(paths(issues)).toEqual([['presences'], ['defaultProfile'], ['agents'], ['capacityPresences']]);
    expect(paths(validateConfig({ presences: [null], agents: { a1: null }, defaultProfile: { presenceIds: 'away' } }))).toEqual([
      ['presences', 0],
      ['defaultProfile', 'presenceIds'],
      ['agents', 'a1'],
    ]);
  });
});

describe('unknown fields', () => {
  it.each([
    ['the root', { theme: 'dark' }, ['theme']],
    ['a presence', { presences: [{ ...training, colour: 'red' }] }, ['presences', 0, 'colour']],
    ['the default profile', { defaultProfile: { capacty: 10 } }, ['defaultProfile', 'capacty']],
    ['an agent profile', { agents: { 'agent-7': { skills: [] } } }, ['agents', 'agent-7', 'skills']],
    ['the capacity presences', { capacityPresences: { busy: 'busy' } }, ['capacityPresences', 'busy']],
  ])('reports an unknown field in %s by its path', (_, config, path) => {
    const issue = onlyIssue(config);
    expect(issue.path).toEqual(path);
    expect(issue.message).toMatch(/not a known field/);
  });
});

describe('custom presences', () => {
  it.each(['Lunch', 'away', 'available', '', 'BUSY'])('reports the unknown base %j, naming it and the five bases', (base) => {
    const issue = onlyIssue({ presences: [{ id: 'p1', name: 'P1', base }] });
    expect(issue.path).toEqual(['presences', 0, 'base']);
    expect(issue.message).toContain(JSON.stringify(base));
    for (const known of BASE_STATUSES) expect(issue.message).toContain(known);
  });

  it('reports a missing base', () => {
    expect(onlyIssue({ presences: [{ id: 'p1', name: 'P1' }] }).path).toEqual(['presences', 0, 'base']);
  });

  it('reports a duplicate custom id at the later presence', () => {
    const issue = onlyIssue({ presences: [training, { ...training, name: 'Again' }] });
    expect(issue.path).toEqual(['presences', 1, 'id']);
    expect(issue.message).toBe('duplicates a presence id (got "away-training")');
  });

  it.each(STANDARD_PRESENCES.map((p) => [p.id, p.base]))('reports a custom id clashing with the standard %s', (id, base) => {
    const issue = onlyIssue({ presences: [{ id, name: 'Mine', base }] });
    expect(issue.path).toEqual(['presences', 0, 'id']);
    expect(issue.message).toBe(`duplicates a presence id (got ${JSON.stringify(id)})`);
  });

  it('reports a clashing id and a bad base of the same presence together', () => {
    const issues = validateConfig({ presences: [{ id: 'away', name: 'Away 2', base: 'Lunch' }] });
    expect(paths(issues)).toEqual([
      ['presences', 0, 'base'],
      ['presences', 0, 'id'],
    ]);
  });

  it('reports a presence with a bad base once, not again at each reference to it', () => {
    const issues = validateConfig({
      presences: [{ id: 'lunch', name: 'Lunch', base: 'Lunch' }],
      defaultProfile: { defaultPresenceId: 'lunch', presenceIds: ['lunch'] },
    });
    expect(paths(issues)).toEqual([['presences', 0, 'base']]);
  });

  it('accepts a config object made without a prototype, as some parsers make them', () => {
    const config = Object.assign(Object.create(null) as object, { defaultProfile: { capacity: 10 } });
    expect(validateConfig(config)).toEqual([]);
    expect(createPresenceMachine(config).profileOf('a1').capacity).toBe(10);
  });

  it('reports every duplicate, not just the first', () => {
    const issues = validateConfig({ presences: [training, training, { id: 'busy', name: 'B', base: 'Busy' }, training] });
    expect(paths(issues)).toEqual([
      ['presences', 1, 'id'],
      ['presences', 2, 'id'],
      ['presences', 3, 'id'],
    ]);
  });

  it.each([
    ['an empty name', { id: 'p1', name: '', base: 'Away' }, 'name'],
    ['a whitespace name', { id: 'p1', name: ' \n\t ', base: 'Away' }, 'name'],
    ['a missing name', { id: 'p1', base: 'Away' }, 'name'],
    ['an empty text', { id: 'p1', name: 'P1', text: '', base: 'Away' }, 'text'],
    ['a whitespace text', { id: 'p1', name: 'P1', text: '   ', base: 'Away' }, 'text'],
    ['a name over 1000 characters', { id: 'p1', name: 'n'.repeat(1001), base: 'Away' }, 'name'],
    ['a missing id', { name: 'P1', base: 'Away' }, 'id'],
    ['an empty id', { id: '', name: 'P1', base: 'Away' }, 'id'],
    ['a whitespace id', { id: '  ', name: 'P1', base: 'Away' }, 'id'],
    ['an id over 256 characters', { id: 'i'.repeat(257), name: 'P1', base: 'Away' }, 'id'],
    ['a non-string description', { id: 'p1', name: 'P1', base: 'Away', description: 5 }, 'description'],
    ['a non-boolean active', { id: 'p1', name: 'P1', base: 'Away', active: 'yes' }, 'active'],
  ])('reports %s', (_, presence, field) => {
    expect(onlyIssue({ presences: [presence] }).path).toEqual(['presences', 0, field]);
  });
});

describe('references to presences', () => {
  it.each([
    ['the default profile default', { defaultProfile: { defaultPresenceId: 'nap' } }, ['defaultProfile', 'defaultPresenceId']],
    ['an agent default', { agents: { a1: { defaultPresenceId: 'nap' } } }, ['agents', 'a1', 'defaultPresenceId']],
    ['a default profile presenceIds entry', { defaultProfile: { presenceIds: ['away', 'nap'] } }, ['defaultProfile', 'presenceIds', 1]],
    ['an agent presenceIds entry', { agents: { a1: { presenceIds: ['nap'] } } }, ['agents', 'a1', 'presenceIds', 0]],
    ['the none slot', { capacityPresences: { none: 'nap' } }, ['capacityPresences', 'none']],
    ['the partial slot', { capacityPresences: { partial: 'nap' } }, ['capacityPresences', 'partial']],
    ['the full slot', { capacityPresences: { full: 'nap' } }, ['capacityPresences', 'full']],
  ])('reports an unknown presence named by %s', (_, config, path) => {
    const issue = onlyIssue(config);
    expect(issue.path).toEqual(path);
    expect(issue.message).toContain('"nap"');
    expect(issue.message).toMatch(/no known presence/);
  });

  it('accepts references to custom presences defined in the same config, wherever they are listed', () => {
    const config = {
      defaultProfile: { defaultPresenceId: 'away-training', presenceIds: ['away-training'] },
      presences: [training],
    };
    expect(validateConfig(config)).toEqual([]);
  });

  it('reports a malformed reference as a bad id', () => {
    expect(onlyIssue({ agents: { a1: { defaultPresenceId: '' } } }).message).toMatch(/non-empty string/);
    expect(onlyIssue({ capacityPresences: { none: 7 } }).path).toEqual(['capacityPresences', 'none']);
  });
});

describe('capacity presences', () => {
  it.each([
    ['none', 'busy', 'Available'],
    ['none', 'away', 'Available'],
    ['partial', 'available', 'Busy'],
    ['partial', 'busy-dnd', 'Busy'],
    ['full', 'busy', 'BusyDND'],
    ['full', 'offline', 'BusyDND'],
  ])('reports the %s slot naming %s, whose base does not fit (needs %s)', (slot, presenceId, needed) => {
    const issue = onlyIssue({ capacityPresences: { [slot]: presenceId } });
    expect(issue.path).toEqual(['capacityPresences', slot]);
    const base = STANDARD_PRESENCES.find((p) => p.id === presenceId)?.base;
    expect(issue.message).toBe(`must name a presence of base ${needed} (got ${JSON.stringify(presenceId)} of base ${base})`);
  });

  it('does not report a slot naming a custom presence whose base was already reported', () => {
    const issues = validateConfig({
      presences: [{ id: 'lunch', name: 'Lunch', base: 'Lunch' }],
      capacityPresences: { none: 'lunch', partial: 'lunch', full: 'lunch' },
    });
    expect(paths(issues)).toEqual([['presences', 0, 'base']]);
  });

  it('reports a custom presence of the wrong base in a slot', () => {
    const issue = onlyIssue({ presences: [training], capacityPresences: { full: 'away-training' } });
    expect(issue.message).toBe('must name a presence of base BusyDND (got "away-training" of base Away)');
  });

  it('accepts custom presences whose bases fit their slots', () => {
    const config = {
      presences: [
        { id: 'ready', name: 'Ready', base: 'Available' },
        { id: 'working', name: 'Working', base: 'Busy' },
        { id: 'full', name: 'Full', base: 'BusyDND' },
      ],
      capacityPresences: { none: 'ready', partial: 'working', full: 'full' },
    };
    expect(validateConfig(config)).toEqual([]);
  });
});

describe('capacity profiles', () => {
  it.each([
    ['the default profile', { defaultProfile: { capacityProfiles: { '': { maxItems: 1 } } } }, ['defaultProfile', 'capacityProfiles', '']],
    ['an agent profile', { agents: { a1: { capacityProfiles: { '': { maxItems: 1 } } } } }, ['agents', 'a1', 'capacityProfiles', '']],
  ])('reports an empty capacity profile name in %s at its path, as an id must be', (_, config, path) => {
    const issue = onlyIssue(config);
    expect(issue.path).toEqual(path);
    expect(issue.message).toBe(fieldRules.id(''));
  });

  it('reports a capacity profile without maxItems at its maxItems', () => {
    expect(onlyIssue({ defaultProfile: { capacityProfiles: { chat: {} } } }).path).toEqual(['defaultProfile', 'capacityProfiles', 'chat', 'maxItems']);
    expect(onlyIssue({ agents: { a1: { capacityProfiles: { chat: { blocking: true } } } } }).path).toEqual([
      'agents',
      'a1',
      'capacityProfiles',
      'chat',
      'maxItems',
    ]);
  });
});

describe('inactive presences', () => {
  const retired = { id: 'retired-dnd', name: 'Retired', base: 'BusyDND', active: false } as const;

  it('reports an inactive default presence in the default profile and in an agent profile', () => {
    const issues = validateConfig({
      presences: [retired],
      defaultProfile: { defaultPresenceId: 'retired-dnd' },
      agents: { a1: { defaultPresenceId: 'retired-dnd' } },
    });
    expect(paths(issues)).toEqual([
      ['defaultProfile', 'defaultPresenceId'],
      ['agents', 'a1', 'defaultPresenceId'],
    ]);
    for (const issue of issues) expect(issue.message).toBe('names an inactive presence (got "retired-dnd")');
  });

  it('reports an inactive capacity presence', () => {
    const issue = onlyIssue({ presences: [retired], capacityPresences: { full: 'retired-dnd' } });
    expect(issue.path).toEqual(['capacityPresences', 'full']);
    expect(issue.message).toBe('names an inactive presence (got "retired-dnd")');
  });
});

describe('profile numbers', () => {
  it.each([
    ['negative', -1],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['minus infinite', Number.NEGATIVE_INFINITY],
    ['a string', '100'],
    ['null', null],
  ])('reports a capacity that is %s, naming the value', (_, capacity) => {
    for (const config of [{ defaultProfile: { capacity } }, { agents: { a1: { capacity } } }]) {
      const issue = onlyIssue(config);
      expect(issue.path[issue.path.length - 1]).toBe('capacity');
      expect(issue.message).toContain(typeof capacity === 'string' ? JSON.stringify(capacity) : String(capacity));
    }
  });

  it('accepts a capacity of 0 and fractional capacities', () => {
    expect(validateConfig({ defaultProfile: { capacity: 0 }, agents: { a1: { capacity: 12.5 } } })).toEqual([]);
  });

  it.each([
    ['zero', 0],
    ['negative', -2],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['a string', '3'],
  ])('reports a maxWorkItems that is %s', (_, maxWorkItems) => {
    for (const config of [{ defaultProfile: { maxWorkItems } }, { agents: { a1: { maxWorkItems } } }]) {
      const issue = onlyIssue(config);
      expect(issue.path[issue.path.length - 1]).toBe('maxWorkItems');
      expect(issue.message).toMatch(/whole number ≥ 1/);
    }
  });

  it('accepts a maxWorkItems of 1', () => {
    expect(validateConfig({ agents: { a1: { maxWorkItems: 1 } } })).toEqual([]);
  });
});

describe('agent ids', () => {
  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['over 256 characters', 'a'.repeat(257)],
  ])('reports an agent id that is %s', (_, agentId) => {
    const issue = onlyIssue({ agents: { [agentId]: {} } });
    expect(issue.path).toEqual(['agents', agentId]);
    expect(issue.message).toBe(fieldRules.id(agentId));
  });
});
