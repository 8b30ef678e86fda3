/**
 * Vitest's global setup (vitest.config.ts): writes examples/api from the TSDoc before any test runs. The copies are
 * generated, not committed; test/examples/api-examples-match-the-tsdoc.test.ts checks what this wrote.
 */
import { writeApiExamples } from '../../scripts/tsdocExamples';
import { root } from './dist';

export default function setup(): void {
  writeApiExamples(root);
}
