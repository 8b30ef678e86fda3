import type { BaseStatus, PresenceSource, ResolvedPresence } from '../core/index';
import type { PresenceChange } from './ports';
import { presenceOfShape, type PresenceShape, type PresenceShapes } from './PresenceShapes';

/*
 * One agent's presence changes, oldest first, packed in bytes: about 23 bytes a change with a UUID event id,
 * against some 600 bytes as objects. Each change is one row:
 *
 *   flags                    1 byte, the FLAG_* bits below
 *   at                       a number, relative to the previous row's `at`
 *   version                  a number, relative to the previous row's `version`
 *   from                     a shape reference (below)
 *   from.since               a number relative to `at`, unless FLAG_FROM_SINCE (it is the previous row's `at`)
 *   to                       a shape reference
 *   to.since                 a number relative to `at`, unless FLAG_TO_SINCE (it is `at`)
 *   source                   a string, unless FLAG_SOURCE (it is `to.source`)
 *   eventId                  with FLAG_EVENT_ID: 16 bytes with FLAG_UUID (a lowercase UUID), else a string
 *
 * A number is a varint: an even code 2·zigzag(value − reference) when both are safe integers (the usual case:
 * a few bytes), or the code 1 followed by the 8 bytes of the float64 (anything else, -0 and NaN included), so
 * every number reads back as it was appended. A string is a varint 2·length (+1 when any code unit is above
 * 127) followed by one byte (or two, little-endian) per UTF-16 code unit, so lone surrogates survive. A shape
 * reference is a varint: the shape's number + 1, or 0 followed by the shape in full (strings) once the shape table
 * is full. Rows have no length: reading walks them, from the last of the marks kept every MARK_EVERY rows (where a
 * row starts and what it is relative to) that is at or before the window.
 */
const FLAG_EVENT_ID = 1;
const FLAG_UUID = 2;
const FLAG_FROM_SINCE = 4;
const FLAG_TO_SINCE = 8;
const FLAG_SOURCE = 16;

/** The character codes of the hex digits 0–f, and room for the 36 of a UUID being read. */
const HEX_CODE = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
const uuidCodes: number[] = new Array<number>(36).fill(0);
/** The value of each lowercase hex digit by character code; -1 for every other character below 128. */
const HEX_VALUE = Array.from({ length: 128 }, (_, code) => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1));
const SHAPE_FIELDS = ['presenceId', 'base', 'name', 'text', 'source'] as const;
const NEXT_FIELDS = ['presenceId', 'base', 'name', 'text'] as const;
const LARGEST_DELTA = 2 ** 51;
/** Every how many rows `read` has a place to start from. */
const MARK_EVERY = 64;
const CHUNK = 8_192;

/** The bytes of one float64, through the same buffer as a number. */
const float = new Float64Array(1);
const floatBytes = new Uint8Array(float.buffer);

/** A string from UTF-16 code units, in chunks (a spread of a long array would overflow the stack). */
function charsOf(units: Uint8Array | Uint16Array): string {
  if (units.length <= CHUNK) return String.fromCharCode.apply(null, units as unknown as number[]);
  let text = '';
  for (let i = 0; i < units.length; i += CHUNK) text += String.fromCharCode.apply(null, units.subarray(i, i + CHUNK) as unknown as number[]);
  return text;
}

function mustBeString(value: unknown, path: string, key?: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(
      `createMemoryHistoryStore: ${key === undefined ? path : `${path}.${key}`} must be a string (got ${value === null ? 'null' : typeof value})`,
    );
  }
}

function mustBeObject(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`createMemoryHistoryStore: ${path} must be an object (got ${value === null ? 'null' : typeof value})`);
  }
}

function mustBeNumber(value: unknown, path: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`createMemoryHistoryStore: ${path} must be a number (got ${typeof value})`);
}

/** Writes one row into a growing scratch buffer, shared by every log (rows are copied out at once). */
class RowWriter {
  bytes = new Uint8Array(256);
  length = 0;

  private room(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + more));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }

  byte(value: number): void {
    this.room(1);
    this.bytes[this.length++] = value;
  }

  varint(value: number): void {
    this.room(8);
    let rest = value;
    while (rest >= 128) {
      this.bytes[this.length++] = (rest % 128) + 128;
      rest = Math.floor(rest / 128);
    }
    this.bytes[this.length++] = rest;
  }

  number(value: number, reference: number, path: string): void {
    mustBeNumber(value, path);
    const delta = value - reference;
    if (Number.isSafeInteger(value) && Number.isSafeInteger(reference) && !Object.is(value, -0) && Math.abs(delta) < LARGEST_DELTA) {
      this.varint((delta >= 0 ? delta * 2 : -delta * 2 - 1) * 2);
      return;
    }
    this.varint(1);
    this.room(8);
    float[0] = value;
    this.bytes.set(floatBytes, this.length);
    this.length += 8;
  }

  string(value: unknown, path: string): void {
    mustBeString(value, path);
    let wide = false;
    for (let i = 0; i < value.length && !wide; i++) wide = value.charCodeAt(i) > 127;
    this.varint(value.length * 2 + (wide ? 1 : 0));
    this.room(value.length * (wide ? 2 : 1));
    for (let i = 0; i < value.length; i++) {
      const unit = value.charCodeAt(i);
      if (wide) {
        this.bytes[this.length++] = unit & 255;
        this.bytes[this.length++] = unit >> 8;
      } else {
        this.bytes[this.length++] = unit;
      }
    }
  }

  /** Writes a lowercase UUID as its 16 bytes; false (nothing written) when `value` is not one. */
  uuid(value: unknown): boolean {
    if (typeof value !== 'string' || value.length !== 36) return false;
    this.room(16);
    const start = this.length;
    for (let i = 0; i < 36; i += 2) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (value.charCodeAt(i) !== 45) break; // '-'
        i--;
        continue;
      }
      const high = HEX_VALUE[value.charCodeAt(i)] ?? -1;
      const low = HEX_VALUE[value.charCodeAt(i + 1)] ?? -1;
      if (high < 0 || low < 0) break;
      this.bytes[this.length++] = high * 16 + low;
    }
    if (this.length - start === 16) return true;
    this.length = start;
    return false;
  }

  shape(presence: ResolvedPresence, shapes: PresenceShapes, path: string): void {
    const found = shapes.find(presence);
    if (found >= 0) {
      this.varint(found + 1); // its fields equal those of a shape checked when it was kept
      return;
    }
    for (const key of SHAPE_FIELDS) mustBeString(presence[key], path, key);
    const next = presence.next;
    if (next !== undefined) for (const key of NEXT_FIELDS) mustBeString(next?.[key], path, `next.${key}`);
    const index = shapes.add(presence);
    if (index >= 0) {
      this.varint(index + 1);
      return;
    }
    this.varint(0);
    this.string(presence.presenceId, `${path}.presenceId`);
    this.string(presence.base, `${path}.base`);
    this.string(presence.name, `${path}.name`);
    this.string(presence.text, `${path}.text`);
    this.string(presence.source, `${path}.source`);
    this.byte(next === undefined ? 0 : 1);
    if (next !== undefined) {
      this.string(next.presenceId, `${path}.next.presenceId`);
      this.string(next.base, `${path}.next.base`);
      this.string(next.name, `${path}.next.name`);
      this.string(next.text, `${path}.next.text`);
    }
  }
}

/** Reads rows back; `pos` is where the next field starts. */
class RowReader {
  pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    return this.bytes[this.pos++] as number;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.bytes[this.pos++] as number;
      value += (byte & 127) * scale;
      if (byte < 128) return value;
      scale *= 128;
    }
  }

  number(reference: number): number {
    const code = this.varint();
    if (code === 1) {
      floatBytes.set(this.bytes.subarray(this.pos, this.pos + 8));
      this.pos += 8;
      return float[0] as number;
    }
    const zigzag = code / 2;
    return reference + (zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2);
  }

  string(): string {
    const code = this.varint();
    const length = Math.floor(code / 2);
    if (code % 2 === 0) {
      const text = charsOf(this.bytes.subarray(this.pos, this.pos + length));
      this.pos += length;
      return text;
    }
    const units = new Uint16Array(length);
    for (let i = 0; i < length; i++) units[i] = (this.bytes[this.pos + 2 * i] as number) | ((this.bytes[this.pos + 2 * i + 1] as number) << 8);
    this.pos += 2 * length;
    return charsOf(units);
  }

  skipString(): void {
    const code = this.varint();
    this.pos += code % 2 === 0 ? code / 2 : code - 1;
  }

  uuid(): string {
    let at = 0;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) uuidCodes[at++] = 45; // '-'
      const byte = this.bytes[this.pos++] as number;
      uuidCodes[at++] = HEX_CODE[byte >> 4] as number;
      uuidCodes[at++] = HEX_CODE[byte & 15] as number;
    }
    return String.fromCharCode.apply(null, uuidCodes);
  }

  /** A shape reference: the shape, or undefined when only skipping. */
  shape(shapes: PresenceShapes, keep: boolean): PresenceShape | undefined {
    const code = this.varint();
    if (code > 0) return keep ? shapes.at(code - 1) : undefined;
    if (!keep) {
      for (let i = 0; i < 5; i++) this.skipString();
      if (this.byte() === 1) for (let i = 0; i < 4; i++) this.skipString();
      return undefined;
    }
    const presenceId = this.string();
    const base = this.string() as BaseStatus;
    const name = this.string();
    const text = this.string();
    const source = this.string() as PresenceSource;
    if (this.byte() === 0) return { presenceId, base, name, text, source };
    const next = { presenceId: this.string(), base: this.string() as BaseStatus, name: this.string(), text: this.string() };
    return { presenceId, base, name, text, source, next };
  }
}

const writer = new RowWriter();

/**
 * One agent's changes in a byte buffer (see the layout above): `append` adds a row at the end, `dropOldest`
 * removes the first, `read` rebuilds full `PresenceChange` objects for a window. The live rows sit between
 * `start` and `end`; when the end is reached, the rows move to the front if an eighth of the buffer or more lies
 * before `start` (dropped rows) and they fit, else the buffer grows to a quarter more than they need.
 *
 * @internal
 */
export class CompactChangeLog {
  private bytes = new Uint8Array(64);
  private start = 0;
  private end = 0;
  /** Changes kept. */
  count = 0;
  /** `at` and `version` of the row before the first kept one (0 at first): what the first row is relative to. */
  private baseAt = 0;
  private baseVersion = 0;
  /** `at` and `version` of the last row: what the next row is relative to. */
  private lastAt = 0;
  private lastVersion = 0;
  /** `at` and `version` of the row `row` read last. */
  private rowAt = 0;
  private rowVersion = 0;
  /**
   * Every MARK_EVERY-th row appended, four numbers: where it starts, the `at` and `version` it is relative to, and
   * its own `at`; so that `read` starts near the window instead of at the oldest row.
   */
  private marks: number[] = [];
  private appended = 0;

  constructor(private readonly shapes: PresenceShapes) {}

  /** Bytes the buffer holds (kept rows and room to grow). */
  get byteLength(): number {
    return this.bytes.length;
  }

  append(change: PresenceChange): void {
    mustBeObject(change, 'change');
    mustBeObject(change.from, 'change.from');
    mustBeObject(change.to, 'change.to');
    const { at, version, from, to, source, eventId } = change;
    let flags = 0;
    if (Object.is(from.since, this.lastAt)) flags |= FLAG_FROM_SINCE;
    if (Object.is(to.since, at)) flags |= FLAG_TO_SINCE;
    if (source === to.source && typeof source === 'string') flags |= FLAG_SOURCE;
    writer.length = 0;
    writer.byte(flags);
    writer.number(at, this.lastAt, 'change.at');
    writer.number(version, this.lastVersion, 'change.version');
    writer.shape(from, this.shapes, 'change.from');
    if ((flags & FLAG_FROM_SINCE) === 0) writer.number(from.since, at, 'change.from.since');
    writer.shape(to, this.shapes, 'change.to');
    if ((flags & FLAG_TO_SINCE) === 0) writer.number(to.since, at, 'change.to.since');
    if ((flags & FLAG_SOURCE) === 0) writer.string(source, 'change.source');
    if (eventId !== undefined) {
      const packed = writer.uuid(eventId);
      if (!packed) writer.string(eventId, 'change.eventId');
      writer.bytes[0] = flags | FLAG_EVENT_ID | (packed ? FLAG_UUID : 0);
    }
    this.room(writer.length);
    if (this.appended++ % MARK_EVERY === 0) this.marks.push(this.end, this.lastAt, this.lastVersion, at);
    this.bytes.set(writer.bytes.subarray(0, writer.length), this.end);
    this.end += writer.length;
    if (writer.bytes.length > 65_536) writer.bytes = new Uint8Array(256); // a huge row once does not keep its room
    this.count++;
    this.lastAt = at;
    this.lastVersion = version;
  }

  dropOldest(): void {
    if (this.count === 0) return;
    const reader = new RowReader(this.bytes);
    reader.pos = this.start;
    this.row(reader, this.baseAt, this.baseVersion, undefined);
    this.baseAt = this.rowAt;
    this.baseVersion = this.rowVersion;
    this.start = reader.pos;
    this.count--;
    let stale = 0;
    while (stale < this.marks.length && (this.marks[stale] as number) < this.start) stale += 4;
    if (stale > 0) this.marks.splice(0, stale);
    if (this.count === 0) this.start = this.end = 0;
  }

  /** The change `window.from` falls in and every change after it before `window.to`, oldest first. */
  read(agentId: string, from: number, to: number): PresenceChange[] {
    const reader = new RowReader(this.bytes);
    reader.pos = this.start;
    let at = this.baseAt;
    let version = this.baseVersion;
    // Start at the last mark at or before `from`, when there is one: every row before it is before `from` too.
    let lo = 0;
    let hi = this.marks.length / 4;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.marks[mid * 4 + 3] as number) <= from) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) {
      reader.pos = this.marks[(lo - 1) * 4] as number;
      at = this.marks[(lo - 1) * 4 + 1] as number;
      version = this.marks[(lo - 1) * 4 + 2] as number;
    }
    // The last row at or before `from`: where it starts (-1: none), and the row before it, which it is relative to.
    let before = -1;
    let beforeAt = 0;
    let beforeVersion = 0;
    while (reader.pos < this.end) {
      const pos = reader.pos;
      this.row(reader, at, version, undefined);
      if (this.rowAt > from) {
        reader.pos = pos;
        break;
      }
      before = pos;
      beforeAt = at;
      beforeVersion = version;
      at = this.rowAt;
      version = this.rowVersion;
    }
    const changes: PresenceChange[] = [];
    if (before >= 0) {
      const resume = reader.pos;
      reader.pos = before;
      changes.push(this.row(reader, beforeAt, beforeVersion, agentId) as PresenceChange);
      reader.pos = resume;
    }
    while (reader.pos < this.end) {
      const change = this.row(reader, at, version, agentId) as PresenceChange;
      if (!(this.rowAt < to)) break;
      changes.push(change);
      at = this.rowAt;
      version = this.rowVersion;
    }
    return changes;
  }

  /**
   * Reads the row at `reader.pos` into `rowAt` and `rowVersion`, and returns the whole change when `agentId` is
   * given (only skipping it otherwise).
   */
  private row(reader: RowReader, previousAt: number, previousVersion: number, agentId: string | undefined): PresenceChange | undefined {
    const keep = agentId !== undefined;
    const flags = reader.byte();
    const at = (this.rowAt = reader.number(previousAt));
    const version = (this.rowVersion = reader.number(previousVersion));
    const fromShape = reader.shape(this.shapes, keep);
    const fromSince = (flags & FLAG_FROM_SINCE) !== 0 ? previousAt : reader.number(at);
    const toShape = reader.shape(this.shapes, keep);
    const toSince = (flags & FLAG_TO_SINCE) !== 0 ? at : reader.number(at);
    if (!keep) {
      if ((flags & FLAG_SOURCE) === 0) reader.skipString();
      if ((flags & FLAG_UUID) !== 0) reader.pos += 16;
      else if ((flags & FLAG_EVENT_ID) !== 0) reader.skipString();
      return undefined;
    }
    const to = presenceOfShape(toShape as PresenceShape, toSince);
    const source = (flags & FLAG_SOURCE) !== 0 ? to.source : (reader.string() as PresenceSource);
    const eventId = (flags & FLAG_UUID) !== 0 ? reader.uuid() : (flags & FLAG_EVENT_ID) !== 0 ? reader.string() : undefined;
    const from = presenceOfShape(fromShape as PresenceShape, fromSince);
    return eventId === undefined ? { agentId, from, to, at, source, version } : { agentId, from, to, at, source, eventId, version };
  }

  /** Makes room for `more` bytes at the end. */
  private room(more: number): void {
    if (this.end + more <= this.bytes.length) return;
    const live = this.end - this.start;
    if (live + more <= this.bytes.length && this.start >= this.bytes.length / 8) {
      this.bytes.copyWithin(0, this.start, this.end);
    } else {
      const bigger = new Uint8Array(Math.ceil((live + more) * 1.25));
      bigger.set(this.bytes.subarray(this.start, this.end));
      this.bytes = bigger;
    }
    for (let i = 0; i < this.marks.length; i += 4) this.marks[i] = (this.marks[i] as number) - this.start;
    this.start = 0;
    this.end = live;
  }
}
