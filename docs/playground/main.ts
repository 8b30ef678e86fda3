/**
 * The playground page: wires playground.html's controls to a {@link Playground} session and draws its state after
 * every event. Plain DOM, no framework; bundled by scripts/build-playground.ts as an IIFE (it runs from file://).
 */
import type { BaseStatus, PresenceState } from 'agent-presence';
import { AGENT_ID, createPlayground, type Playground, type TimelineEntry, type UntimedEvent } from './createPlayground';
import { PRESETS, type Preset } from './presets';

const BASE_NAMES: Readonly<Record<BaseStatus, string>> = {
  Available: 'Available',
  Busy: 'Busy',
  BusyDND: 'Do not disturb',
  Away: 'Away',
  Offline: 'Offline',
};

/** The element of an id the page is known to have. */
function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`playground.html has no #${id}`);
  return element as T;
}

/** An element with text and attributes. */
function el(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

const dot = (base: BaseStatus) => el('span', { class: 'dot', 'data-base': base, 'aria-hidden': 'true' });

const pad = (n: number) => String(n).padStart(2, '0');

/** A virtual time as `HH:MM:SS` (UTC: the virtual clock is the same wherever the page runs). */
function clockText(at: number): string {
  const d = new Date(at);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A duration as `45 s`, `2 min`, `1 min 30 s`, `1 h 5 min`. */
function durationText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes / 60} h`;
}

/** A number input's value: `undefined` when empty, otherwise the number (NaN included, for the core to refuse). */
function numberOf(input: HTMLInputElement): number | undefined {
  return input.value.trim() === '' ? undefined : Number(input.value);
}

function start(): void {
  let session: Playground = createPlayground(PRESETS[0] as Preset);
  let chatCount = 1;

  const sessionInput = byId<HTMLInputElement>('session-id');
  const chatInput = byId<HTMLInputElement>('chat-id');
  const unitsInput = byId<HTMLInputElement>('units');
  const wrapUpInput = byId<HTMLInputElement>('wrap-up');
  const afterWork = byId<HTMLInputElement>('after-work');

  /** The next chat id no item holds. */
  const nextChatId = (state: PresenceState) => {
    while (state.work.some((item) => item.workItemId === `chat-${chatCount}`)) chatCount += 1;
    return `chat-${chatCount}`;
  };

  const choose = (preset: Preset) => {
    session = createPlayground(preset);
    chatCount = 1;
    chatInput.value = 'chat-1';
    unitsInput.value = String(preset.units);
    wrapUpInput.value = '';
    const profile = session.machine.profileOf(AGENT_ID);
    wrapUpInput.placeholder = `profile: ${profile.wrapUpMs / 1000}`;
    byId('preset-description').textContent = preset.description;
    render();
  };

  const send = (event: UntimedEvent, label: string) => {
    session.send(event, label);
    render();
  };

  // Presets: radio buttons.
  const presets = byId('presets');
  for (const preset of PRESETS) {
    const radio = el('input', { type: 'radio', name: 'preset', value: preset.id, id: `preset-${preset.id}` }) as HTMLInputElement;
    radio.checked = preset === PRESETS[0];
    radio.addEventListener('change', () => radio.checked && choose(preset));
    presets.append(el('label', {}, radio, preset.title));
  }

  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-advance]')) {
    const ms = Number(button.dataset.advance);
    button.addEventListener('click', () => {
      session.advance(ms, `Clock +${durationText(ms)}`);
      render();
    });
  }

  const sessionId = () => sessionInput.value;
  byId('sign-in').addEventListener('click', () => send({ type: 'signIn', sessionId: sessionId() }, `Sign in on "${sessionId()}"`));
  byId('sign-out').addEventListener('click', () => send({ type: 'signOut', sessionId: sessionId() }, `Sign out of "${sessionId()}"`));
  byId('heartbeat').addEventListener('click', () => send({ type: 'heartbeat', sessionId: sessionId() }, `Heartbeat from "${sessionId()}"`));

  byId('assign').addEventListener('click', () => {
    const workItemId = chatInput.value;
    const units = numberOf(unitsInput) ?? 0;
    send({ type: 'workAssigned', workItemId, units }, `Assign ${workItemId} (${units} units)`);
    if (!session.rejection) chatInput.value = nextChatId(session.state);
  });

  byId('held').addEventListener('click', (click) => {
    const button = (click.target as HTMLElement).closest<HTMLButtonElement>('button[data-item]');
    if (!button) return;
    const workItemId = button.dataset.item as string;
    if (button.dataset.action === 'end-wrap-up') {
      send({ type: 'wrapUpEnded', workItemId }, `End wrap-up of ${workItemId}`);
      return;
    }
    const wrapUpS = numberOf(wrapUpInput);
    if (wrapUpS === undefined) {
      const profileMs = session.machine.profileOf(AGENT_ID).wrapUpMs;
      send({ type: 'workReleased', workItemId }, `Release ${workItemId} (profile's wrap-up, ${durationText(profileMs)})`);
    } else {
      send({ type: 'workReleased', workItemId, wrapUpMs: wrapUpS * 1000 }, `Release ${workItemId} (wrap-up ${durationText(wrapUpS * 1000)})`);
    }
  });

  byId('presences').addEventListener('click', (click) => {
    const button = (click.target as HTMLElement).closest<HTMLButtonElement>('button[data-presence-id]');
    if (!button) return;
    const presenceId = button.dataset.presenceId as string;
    const name = session.machine.presences.find((p) => p.id === presenceId)?.name ?? presenceId;
    if (afterWork.checked) send({ type: 'setPresence', presenceId, when: 'afterWork' }, `Pick "${name}" after work`);
    else send({ type: 'setPresence', presenceId }, `Pick "${name}"`);
  });
  unitsInput.addEventListener('input', () => render());
  byId('reset-presence').addEventListener('click', () => send({ type: 'resetPresence' }, 'Reset presence'));

  byId('agent-id').textContent = AGENT_ID;
  choose(PRESETS[0] as Preset);
  document.body.dataset.ready = 'true';

  function render(): void {
    // Buttons drawn anew keep the keyboard focus: the new button of the same key takes it back.
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
    const { machine, state, now } = session;
    const presence = machine.presenceOf(state);
    document.body.dataset.preset = session.preset.id;
    byId('clock').textContent = clockText(now);

    const card = byId('presence');
    card.dataset.base = presence.base;
    card.dataset.presenceId = presence.presenceId;
    card.dataset.source = presence.source;
    byId('presence-text').replaceChildren(dot(presence.base), presence.text);
    byId('presence-name').textContent = `${presence.name} · base ${BASE_NAMES[presence.base]} (${presence.base})`;
    byId('presence-source').textContent = presence.source;
    byId('presence-since').textContent = `${clockText(presence.since)} (${durationText(now - presence.since)} ago)`;
    byId('presence-next').textContent = presence.next ? presence.next.name : '—';
    const deadline = machine.nextDeadline(state);
    byId('next-deadline').textContent =
      deadline === undefined ? 'none: time alone changes nothing' : `${clockText(deadline)} (in ${durationText(deadline - now)})`;
    const ttl = machine.profileOf(AGENT_ID).sessionTtlMs;
    byId('sessions').textContent =
      state.sessions.length === 0
        ? 'none'
        : state.sessions
            .map((s) => `"${s.sessionId}" seen ${clockText(s.lastSeen)}${ttl === undefined ? '' : `, expires ${clockText(s.lastSeen + ttl)}`}`)
            .join('; ');

    // Capacity.
    const capacity = machine.capacityOf(state);
    const bar = byId('capacity-bar');
    bar.dataset.level = capacity.level;
    bar.setAttribute('aria-valuemax', String(capacity.units.capacity));
    bar.setAttribute('aria-valuenow', String(Math.min(capacity.units.used, capacity.units.capacity)));
    bar.setAttribute('aria-valuetext', `${capacity.units.used} of ${capacity.units.capacity} units, ${capacity.level}`);
    const share = capacity.units.capacity > 0 ? capacity.units.used / capacity.units.capacity : capacity.level === 'none' ? 0 : 1;
    (bar.firstElementChild as HTMLElement).style.width = `${Math.min(100, share * 100)}%`;
    const facts: [string, string][] = [
      ['Level', capacity.level],
      ['Units', `${capacity.units.used} used of ${capacity.units.capacity}, ${capacity.units.free} free`],
      ['Items', `${capacity.items.held} held${capacity.items.max === null ? ', no limit' : ` of ${capacity.items.max}`}`],
      ['Routing', presence.base === 'Available' || presence.base === 'Busy' ? 'may be offered work' : 'is not offered work'],
    ];
    const units = numberOf(unitsInput) ?? 0;
    if (state.signedIn) facts.push(['Next chat', `${units} units ${machine.canTake(state, { units }) ? 'fit' : 'do not fit'} (machine.canTake)`]);
    for (const [name, use] of Object.entries(capacity.profiles)) facts.push([`Profile ${name}`, `${use.held} of ${use.max}`]);
    byId('capacity').replaceChildren(...facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', { 'data-fact': term.toLowerCase() }, value)]));

    // Held chats, each with its release (or end of wrap-up) button.
    const held = byId('held');
    if (state.work.length === 0) held.replaceChildren(el('li', { class: 'empty' }, 'No chats held.'));
    else {
      held.replaceChildren(
        ...state.work.map((item) => {
          const wrapping = item.wrapUpUntil !== undefined;
          const what = `${item.workItemId} · ${item.units} units · ${wrapping ? `wrap-up until ${clockText(item.wrapUpUntil)}` : `since ${clockText(item.since)}`}`;
          const action = wrapping ? 'end-wrap-up' : 'release';
          const label = wrapping ? `End wrap-up of ${item.workItemId}` : `Release ${item.workItemId}`;
          const button = el(
            'button',
            { type: 'button', 'data-item': item.workItemId, 'data-action': action, 'data-focus-key': `${action}:${item.workItemId}`, 'aria-label': label },
            wrapping ? 'End wrap-up' : 'Release',
          );
          return el('li', { 'data-item': item.workItemId }, el('span', {}, what), button);
        }),
      );
    }

    // Presence picker: what the agent may pick now.
    const selectable = machine.selectablePresences(state);
    const picker = byId('presences');
    if (selectable.length === 0) picker.replaceChildren(el('span', { class: 'empty' }, 'Sign in to pick a presence.'));
    else {
      picker.replaceChildren(
        ...selectable.map((p) =>
          el(
            'button',
            { type: 'button', 'data-presence-id': p.id, 'data-focus-key': `pick:${p.id}`, 'aria-pressed': String(state.choice?.presenceId === p.id) },
            dot(p.base),
            p.name,
          ),
        ),
      );
    }

    // The last event's refusal, announced (aria-live), or nothing.
    const refusal = byId('rejection');
    const { rejection } = session;
    if (rejection) {
      refusal.dataset.code = rejection.code;
      refusal.replaceChildren('Refused: ', el('code', {}, rejection.code), ` — ${rejection.message}`);
    } else {
      delete refusal.dataset.code;
      refusal.replaceChildren();
    }

    byId('timeline').replaceChildren(
      ...(session.timeline.length === 0 ? [el('li', { class: 'empty' }, 'Nothing yet: sign in.')] : [...session.timeline].reverse().map(timelineItem)),
    );
    byId('state-json').textContent = JSON.stringify(state, null, 2);

    if (focusKey) document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  }
}

/** A timeline line: the time, what was done, and what it did to the presence. */
function timelineItem(entry: TimelineEntry): HTMLElement {
  const { before, after } = entry;
  const outcome = entry.rejection
    ? `refused: ${entry.rejection.code}`
    : entry.changed
      ? `${before.text} → ${after.text} (${after.source}${after.since === entry.at ? '' : `, at ${clockText(after.since)}`})`
      : `${after.text}, unchanged`;
  return el(
    'li',
    { 'data-changed': String(entry.changed), 'data-refused': String(entry.rejection !== undefined) },
    el('time', {}, clockText(entry.at)),
    el('span', {}, `${entry.label}: `, el('span', { class: 'outcome' }, outcome)),
  );
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
