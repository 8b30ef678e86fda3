/**
 * Custom presences and profiles: texts of your own over the five base statuses, what each agent may pick, the
 * refusals for the rest, and a config error that lists every problem at once.
 *
 *   npx tsx examples/custom-presences.ts
 */
import { createPresenceMachine, PresenceConfigError, type PresenceConfig } from 'agent-presence';

const config: PresenceConfig = {
  presences: [
    { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' },
    { id: 'away-lunch', name: 'Away – Lunch', text: 'At lunch', base: 'Away' },
    { id: 'busy-escalation', name: 'Do not disturb – Escalation', text: 'On an escalation', base: 'BusyDND' },
    { id: 'away-coaching', name: 'Away – Coaching', base: 'Away', active: false }, // kept, but nobody may pick it
  ],
  defaultProfile: { presenceIds: ['away-lunch'] },
  agents: {
    // A trainee signs in straight into training and may also pick lunch.
    trainee: { defaultPresenceId: 'away-training', presenceIds: ['away-training', 'away-lunch'] },
    // A team lead may pick every active custom presence (no list).
    lead: { presenceIds: ['away-training', 'away-lunch', 'busy-escalation'] },
  },
};

const machine = createPresenceMachine(config);
let t = 0;
const signedIn = (agentId: string) => machine.transition(machine.initialState(agentId), { type: 'signIn', at: ++t }).state;

for (const agentId of ['trainee', 'lead', 'someone-else']) {
  const state = signedIn(agentId);
  const presence = machine.presenceOf(state);
  const picker = machine.selectablePresences(state).map((p) => p.text);
  console.log(`${agentId.padEnd(12)} signs in to "${presence.text}" (${presence.source}); may pick: ${picker.join(', ')}`);
}

// Picking: the profile decides what is allowed; a custom Away presence is sticky like the standard one.
let lead = signedIn('lead');
lead = machine.transition(lead, { type: 'setPresence', presenceId: 'busy-escalation', at: ++t }).state;
lead = machine.transition(lead, { type: 'workAssigned', workItemId: 'case-1', units: 50, at: ++t }).state;
console.log(`lead picks the escalation, gets a case: still "${machine.presenceOf(lead).text}" (${lead.base})`);

const other = signedIn('someone-else');
for (const presenceId of ['busy-escalation', 'away-coaching', 'gone-fishing']) {
  const { rejection } = machine.transition(other, { type: 'setPresence', presenceId, at: ++t });
  console.log(`someone-else picks ${presenceId}: ${rejection?.code}`);
}

// A bad config is refused whole, with every problem and its path.
try {
  createPresenceMachine({
    presences: [{ id: 'away', name: 'Away again', base: 'Away' }],
    agents: { ana: { defaultPresenceId: 'nowhere', capacity: -5 } },
  });
} catch (error) {
  if (!(error instanceof PresenceConfigError)) throw error;
  console.log(`config refused, ${error.issues.length} problems:`);
  for (const issue of error.issues) console.log(`  ${issue.path.join('.')}: ${issue.message}`);
}
