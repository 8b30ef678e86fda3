import { isPlainObject } from '../core/internal';
import { SNAPSHOT_SCHEMA_VERSION } from '../schema/snapshot';
import type { StoreGeneration } from './ports';

/**
 * An agent's stored record that this release cannot read: JSON that does not parse, a state that `restoreRecord`
 * refuses (`null` where a time belongs), a key of another type (Redis), or a record a newer release wrote
 * (`schemaVersion` above the one this release reads, during a rolling upgrade). Stores throw it from `load` and
 * hand it to `list`'s `onUnreadable`; the service passes it on from `dispatch` and `get`, reports it to `onError`
 * (kind `unreadable`) once per agent, keeps the agent out of its roster and lists it in `unreadableAgents()`,
 * until the record can be read again (`repairAgent`, or a save by a release that reads it).
 *
 * @category Errors
 * @example
 * ```ts
 * import { UnreadableRecordError } from 'agent-presence/service';
 * const corrupt = new UnreadableRecordError('agent-7', new Error('must be JSON'), { version: 12, record: '{"schemaVersion":1,"sta' });
 * console.log(corrupt.code, corrupt.agentId, corrupt.version, corrupt.newerSchema); // RECORD_UNREADABLE agent-7 12 false
 * const upgrade = new UnreadableRecordError('agent-8', new Error('schemaVersion must be 1'), { record: '{"schemaVersion":2,"state":{}}' });
 * console.log(upgrade.schemaVersion, upgrade.newerSchema); // 2 true
 * ```
 */
export class UnreadableRecordError extends Error {
  /** A stable code to test for. */
  readonly code = 'RECORD_UNREADABLE' as const;
  /** The agent whose record cannot be read. */
  readonly agentId: string;
  /** The stored version, when the store could read it. */
  readonly version: number | undefined;
  /** The store's generation the record was saved in, when the store has them and could read it (see `StoreGeneration`). */
  readonly generation: StoreGeneration | undefined;
  /** The record's `schemaVersion`, when it names one. */
  readonly schemaVersion: number | undefined;
  /**
   * True when a newer release wrote the record (`schemaVersion` above the one this release reads): the record is
   * fine for that release. Upgrade this process rather than repair the agent.
   */
  readonly newerSchema: boolean;

  /**
   * @param agentId - the agent
   * @param cause - why the record cannot be read (a `PresenceSnapshotError`, a Redis `WRONGTYPE` error…)
   * @param details - the stored version, the record as stored (JSON text or parsed) and its generation, when the store has them
   */
  constructor(
    agentId: string,
    cause: unknown,
    details: { readonly version?: number | undefined; readonly record?: unknown; readonly generation?: StoreGeneration | undefined } = {},
  ) {
    const schemaVersion = schemaVersionOf(details.record);
    const newerSchema = schemaVersion !== undefined && schemaVersion > SNAPSHOT_SCHEMA_VERSION;
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `Agent ${JSON.stringify(agentId)}: the stored record${details.version === undefined ? '' : ` (version ${details.version})`} cannot be read: ${why}\n` +
        (newerSchema
          ? `It was written by a newer release (schemaVersion ${schemaVersion}; this release reads ${SNAPSHOT_SCHEMA_VERSION}): upgrade this process.`
          : `Repair it with service.repairAgent(${JSON.stringify(agentId)}) (see "Poisoned records" in docs/scale-out.md).`),
      { cause },
    );
    this.name = 'UnreadableRecordError';
    this.agentId = agentId;
    this.version = details.version;
    this.generation = details.generation;
    this.schemaVersion = schemaVersion;
    this.newerSchema = newerSchema;
  }
}

/** JSON text this long is not parsed again only to find its `schemaVersion` (it was just parsed, or failed to be). */
const MAX_REPARSED_LENGTH = 1 << 20;

/** The `schemaVersion` a stored record names (parsed or JSON text), when it names a whole number. */
function schemaVersionOf(record: unknown): number | undefined {
  let value = record;
  if (typeof value === 'string') {
    // Where snapshotRecord writes it, first; else (a record written by hand) the whole text, when it is not huge.
    const first = /^\s*\{\s*"schemaVersion"\s*:\s*(-?\d{1,15})\s*[,}]/.exec(value.slice(0, 100));
    if (first !== null) return Number(first[1]);
    if (value.length > MAX_REPARSED_LENGTH) return undefined;
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const version = isPlainObject(value) ? value.schemaVersion : undefined;
  return Number.isInteger(version) ? (version as number) : undefined;
}

/**
 * An agent whose stored record the service could not read, as `unreadableAgents()` lists it: the error, and when
 * (service clock) the service first met it.
 *
 * @category Service
 * @example
 * ```ts
 * import type { UnreadableAgent } from 'agent-presence/service';
 * const line = (a: UnreadableAgent) => `${a.agentId} since ${new Date(a.since).toISOString()}: ${a.error.message.split('\n')[0]}`;
 * ```
 */
export interface UnreadableAgent {
  readonly agentId: string;
  readonly error: UnreadableRecordError;
  /** When the service first found the record unreadable, epoch milliseconds by its clock. */
  readonly since: number;
}
