/**
 * Reading request-controlled JSON without surprises: parsing never throws, and values are read from
 * own properties only, so a key such as `constructor`, `toString` or `__proto__` in a request can
 * never reach `Object.prototype`.
 */

/** The outcome of {@link parseJson}; `ok: false` rather than an exception, so callers cannot forget to catch. */
export type ParsedJson =
    | {
          /** The text was JSON. */
          ok: true;
          /** What it held; may be `null`, a number, a string, an array or an object. */
          value: unknown;
      }
    | {
          /** The text was not JSON (or nested too deeply for the parser). */
          ok: false;
      };

/** Parses JSON; any failure, including a stack overflow on absurd nesting, is `{ ok: false }`. */
export function parseJson(text: string): ParsedJson {
    try {
        return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
        return { ok: false };
    }
}

/** A JSON object: not `null` and not an array, the only shape whose keys a handler may read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `record[key]` when the key is the record's own, `undefined` otherwise (never an inherited member). */
export function ownValue(record: object, key: string): unknown {
    return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/**
 * Sets `record[key]` as an own data property. Plain assignment of a key named `__proto__` would
 * replace the prototype instead of recording the key; request bodies can contain that key.
 */
export function defineOwn(record: object, key: string, value: unknown): void {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
