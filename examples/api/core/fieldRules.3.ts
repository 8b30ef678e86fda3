// Example 3 of the TSDoc in src/core/fieldRules.ts, copied by `npm run examples:extract`: edit it there, not here.
import { MAX_TEXT_LENGTH } from 'agent-presence';
const label = (text: string) => text.slice(0, MAX_TEXT_LENGTH);
export {};
