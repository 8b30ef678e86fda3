import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/dist';

/**
 * Adding an event type to `PresenceEvent` without its handler, its fields, its reference-model rule, its generator
 * and its hostile seeds fails `tsc`: each of those tables is keyed by a mapped type over `PresenceEvent['type']`.
 * The check compiles the real sources with one more member in the union (a `nap` event with a field no event had),
 * and expects an error naming it in each table's file.
 */
describe('a new event type', () => {
  const EVENT_FILE = join(root, 'src/core/PresenceEvent.ts');
  const NAP = `
export interface NapEvent extends EventBase {
  readonly type: 'nap';
  readonly minutes: number;
}
`;

  /** The type check's messages by file (relative to the package root), with `PresenceEvent` widened by `NapEvent`. */
  function messagesWithNap(): Map<string, string[]> {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (parsed === undefined) throw new Error('tsconfig.json could not be read');
    const original = readFileSync(EVENT_FILE, 'utf8');
    const widened = original.replace('export type PresenceEvent =\n', 'export type PresenceEvent =\n  | NapEvent\n') + NAP;
    expect(widened, 'the union was found and widened').not.toBe(original + NAP);
    const host = ts.createCompilerHost(parsed.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, ...rest) =>
      fileName === EVENT_FILE ? ts.createSourceFile(fileName, widened, languageVersion) : getSourceFile(fileName, languageVersion, ...rest);
    const program = ts.createProgram([join(root, 'src/index.ts'), join(root, 'src/testing/index.ts')], parsed.options, host);
    const messages = new Map<string, string[]>();
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const file = diagnostic.file === undefined ? '(global)' : relative(root, diagnostic.file.fileName);
      messages.set(file, [...(messages.get(file) ?? []), ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')]);
    }
    return messages;
  }

  it('fails the type check in the core handler table, the event fields, the model, the generator and the hostile seeds', () => {
    const messages = messagesWithNap();
    const naming = (file: string, what: string) => (messages.get(file) ?? []).some((message) => message.includes(what));
    expect({
      handlers: naming('src/core/eventHandlers.ts', "'nap'"),
      fields: naming('src/core/EVENT_FIELDS.ts', "'nap'"),
      model: naming('src/testing/modelEventRules.ts', "'nap'"),
      generator: naming('src/testing/presenceEventArb.ts', "'nap'"),
      hostileSeeds: naming('src/testing/hostileInputArb.ts', "'nap'"),
      hostileFields: naming('src/testing/hostileInputArb.ts', "'minutes'"),
    }).toEqual({ handlers: true, fields: true, model: true, generator: true, hostileSeeds: true, hostileFields: true });
  }, 60_000);
});
