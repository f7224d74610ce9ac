/**
 * What the emulator's log may keep of a request: credentials removed wherever they appear (in any
 * encoding, under any path or field name), whatever a client sent. Pure.
 */
import type * as http from "http";
import { defineOwn, parseJson } from "./json";

/** Stands in for a credential in the log. */
export const REDACTED = "[REDACTED]";

/** Field and header names that carry credentials (OAuth, Box's JWT, common API-key spellings). */
const CREDENTIAL_NAME =
    /secret|assertion|passw|passphrase|token|private.?key|credential|authori[sz]ation|api.?key|cookie|^code$|^session$/i;

/** Text that is or embeds a credential: a JWT, a scheme and value, or `name=value` / `"name": value` of a credential field. */
const CREDENTIAL_TEXT = [
    // Each pattern runs in time linear in the text (a request body can be a megabyte): a JWT is matched
    // only where a run of its characters starts, and no repetition follows another unbounded one.
    /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}\./,
    // Unanchored: Node joins repeated headers with ", ", so a credential need not come first.
    /\b(bearer|basic|digest|negotiate)\s+\S/i,
    /^\s*token\s+\S/i,
    /(secret|assertion|passw\w{0,32}|token|api.?key)["']?\s{0,16}[=:]/i,
];

/** Runs of percent-escapes decoded as UTF-8 bytes (never throws, unlike `decodeURIComponent`). */
function percentDecoded(text: string): string {
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) =>
        Buffer.from(run.replace(/%/g, ""), "hex").toString("utf8"),
    );
}

/** `text` with every known secret replaced. */
function replaceKnown(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const secret of secrets) if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
}

/**
 * Replaces every occurrence of a secret the emulator knows, anywhere in a recorded value, also where
 * it arrived percent-encoded (a token in a path, encoded once or twice): such a string is kept
 * decoded, with the secret replaced.
 */
export function withoutKnown(value: unknown, secrets: readonly string[], depth = 0): unknown {
    if (typeof value === "string") {
        let decoded = value;
        for (let round = 0; round < 3 && decoded.includes("%"); round++) {
            const next = percentDecoded(decoded);
            if (next === decoded) break;
            decoded = next;
            if (secrets.some((secret) => secret && decoded.includes(secret)))
                return replaceKnown(decoded, secrets);
        }
        return replaceKnown(value, secrets);
    }
    if (typeof value !== "object" || value === null || depth >= MAX_DEPTH) return value;
    if (Array.isArray(value)) return value.map((item) => withoutKnown(item, secrets, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        defineOwn(
            copy,
            String(withoutKnown(key, secrets)),
            withoutKnown((value as Record<string, unknown>)[key], secrets, depth + 1),
        );
    }
    return copy;
}

/** How deep the log copies a JSON body; deeper parts are not copied, so printing the log cannot overflow the stack. */
const MAX_DEPTH = 16;

function looksLikeCredential(text: string): boolean {
    return CREDENTIAL_TEXT.some((pattern) => pattern.test(text));
}

/** Thrown inside {@link scrubJson} when a key itself looks like a credential: the whole body is then withheld. */
class Unloggable extends Error {}

/** A copy of a JSON value with credential fields and credential-like strings redacted. */
function scrubJson(value: unknown, depth: number): unknown {
    if (typeof value === "string") return looksLikeCredential(value) ? REDACTED : value;
    if (typeof value !== "object" || value === null) return value;
    if (depth >= MAX_DEPTH) return "[TRUNCATED]";
    if (Array.isArray(value)) return value.map((item) => scrubJson(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        if (looksLikeCredential(key)) throw new Unloggable();
        const item = (value as Record<string, unknown>)[key];
        defineOwn(copy, key, CREDENTIAL_NAME.test(key) ? REDACTED : scrubJson(item, depth + 1));
    }
    return copy;
}

/**
 * A value a handler parsed, as the log keeps it: scrubbed like a JSON body. `undefined` when a key
 * itself looks like a credential, so nothing of it can be kept.
 */
export function recordedValue(value: unknown): unknown {
    try {
        return scrubJson(value, 0);
    } catch (err) {
        if (err instanceof Unloggable) return undefined;
        throw err;
    }
}

function withheld(raw: string): string {
    return `[REDACTED: ${Buffer.byteLength(raw)} bytes not recorded]`;
}

/**
 * What the log keeps of a body, whatever its path and content type:
 * - JSON: a copy with credential fields and credential-like strings redacted.
 * - form-encoded text with a credential field: the fields, with those redacted.
 * - other text: as sent, unless anything in it looks like a credential; then a placeholder.
 */
export function recordedBody(raw: string): unknown {
    const json = parseJson(raw);
    if (json.ok) return recordedValue(json.value) ?? withheld(raw);
    const form = [...new URLSearchParams(raw)];
    if (form.some(([name]) => CREDENTIAL_NAME.test(name))) {
        const fields: Record<string, string> = {};
        for (const [name, value] of form) {
            if (looksLikeCredential(name)) return withheld(raw);
            if (CREDENTIAL_NAME.test(name)) defineOwn(fields, name, REDACTED);
            else if (looksLikeCredential(value)) defineOwn(fields, name, REDACTED);
            else defineOwn(fields, name, value);
        }
        return fields;
    }
    return CREDENTIAL_NAME.test(raw) || looksLikeCredential(raw) ? withheld(raw) : raw;
}

/** What an `Authorization`-style value is logged as: its scheme when it is a known one, never the credential. */
function redactedCredential(value: string): string {
    const scheme = /^\s*(bearer|basic|digest|token|negotiate)(\s|$)/i.exec(value)?.[1];
    if (!scheme) return REDACTED;
    return `${scheme[0].toUpperCase()}${scheme.slice(1).toLowerCase()} ${REDACTED}`;
}

/** The headers as the log keeps them (see {@link RecordedRequest.headers}). */
export function recordedHeaders(headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
    const copy: Record<string, string | string[] | undefined> = {};
    for (const name of Object.keys(headers)) {
        const value = headers[name];
        const values = Array.isArray(value) ? value : [value ?? ""];
        const sensitive = CREDENTIAL_NAME.test(name) || values.some((v) => looksLikeCredential(v));
        defineOwn(
            copy,
            name,
            sensitive ? (Array.isArray(value) ? [REDACTED] : redactedCredential(values[0])) : value,
        );
    }
    return copy;
}
