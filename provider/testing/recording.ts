/**
 * The emulator's log of requests, which tests print, diff and snapshot: so it must never hold a
 * credential in any form that gets printed, whatever path or content type a client used. What is
 * kept is decided by content, not by path: a secret posted to `/oauth2/token/` or `/box/oauth2/token`
 * is scrubbed just as one posted to `/oauth2/token` is.
 */
import type * as http from "http";
import { defineOwn, parseJson } from "./json";
import { bodyWeight, jsonValues, MAX_BODY_VALUES } from "./log-bounds";

/** One request the emulator received. */
export interface RecordedRequest {
    /** HTTP method. */
    method: string;
    /** Path as sent, without query or fragment (see `requestPath`). */
    path: string;
    /**
     * Request headers (names lower-cased), with credentials redacted. Headers named like credentials
     * (`authorization`, `cookie`, `x-api-key`, `*-token`, ...) and values that look like one
     * (`Bearer ...`, a JWT) read `[REDACTED]` or `<Scheme> [REDACTED]`; `token` says which credential
     * was used. Any secret the emulator knows is scrubbed from every header, the path and the body.
     */
    headers: http.IncomingHttpHeaders;
    /**
     * The body, scrubbed: parsed JSON or form fields with every credential-like field (`client_secret`,
     * `assertion`, `password`, `*token*`, ...) replaced by `[REDACTED]`; for the token endpoint only
     * the grant and subject asked for; raw text only when nothing in it looks like a credential,
     * otherwise a `[REDACTED ...]` placeholder.
     */
    body: unknown;
    /** Epoch milliseconds when the request had fully arrived. */
    time: number;
    /** A printable label of the credential used (`static#1`, `ccg:enterprise:123`), never the token. */
    token?: string;
    /** The status the emulator answered, or 0 for a dropped connection. */
    status: number;
    /**
     * The `box-request-id` the emulator answered with (also the `request_id` of an error body), so a
     * test can match what a program reports or records against the request it names. Absent for a
     * dropped connection and for answers Node's HTTP layer gives before a request is read.
     */
    requestId?: string;
}

/** What {@link RequestLog.accepted} lists: one termination Box acted on. */
export interface AcceptedTermination {
    /** The endpoint's path. */
    path: string;
    /** The recorded (scrubbed) body. */
    body: unknown;
    /** The label of the credential that sent it. */
    token?: string;
}

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
function withoutKnown(value: unknown, secrets: readonly string[], depth = 0): unknown {
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
export function redactedCredential(value: string): string {
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

/** How much the request log keeps, so a long or hostile run cannot exhaust the emulator's memory. */
export interface LogLimits {
    /** The most requests kept; older ones are dropped first (default 10,000). */
    requests?: number;
    /** The most bytes of one body kept; a larger body is recorded as a placeholder with its size (default 256 KiB). */
    bodyBytes?: number;
    /** What all kept bodies may cost together, parsed values counted (log-bounds.ts); oldest records go first (default 64 MiB). */
    totalBytes?: number;
}

/** The list of recorded requests, kept as one array so `box.requests` stays the same live array. */
export class RequestLog {
    /** The latest requests recorded (see {@link LogLimits}), in the order each fully arrived. */
    readonly requests: RecordedRequest[] = [];
    private readonly maxRequests: number;
    private readonly maxBodyBytes: number;
    private readonly maxTotal: number;
    /** What each kept record's body costs (log-bounds.ts), oldest first, beside `requests`. */
    private readonly weights: number[] = [];
    private total = 0;

    /**
     * @param knownSecrets Every credential the emulator knows (its tokens, issued tokens, apps' secrets), scrubbed wherever they appear.
     * @param limits How much the log keeps.
     */
    constructor(
        private readonly knownSecrets: () => readonly string[] = () => [],
        limits: LogLimits = {},
    ) {
        this.maxRequests = limits.requests ?? 10_000;
        this.maxBodyBytes = limits.bodyBytes ?? 256 * 1024;
        this.maxTotal = limits.totalBytes ?? 64 * 1024 * 1024;
    }

    /** Records a request with the body as it arrived: scrubbed, or a placeholder when over the limit. */
    addRaw(method: string, path: string, headers: http.IncomingHttpHeaders, raw: string): RecordedRequest {
        const bytes = Buffer.byteLength(raw);
        const parsed = bytes > this.maxBodyBytes ? undefined : recordedBody(raw);
        const values = parsed === undefined ? 0 : jsonValues(parsed);
        const body =
            bytes > this.maxBodyBytes
                ? `[not recorded: ${bytes} bytes, over the log's ${this.maxBodyBytes}]`
                : values > MAX_BODY_VALUES
                  ? `[not recorded: more than ${MAX_BODY_VALUES} JSON values]`
                  : parsed;
        return this.add(method, path, headers, body, body === parsed ? bodyWeight(bytes, values) : 0);
    }

    /** Replaces a record's body with what a route says to keep, scrubbed like any other. */
    setBody(record: RecordedRequest, body: unknown): void {
        const text = JSON.stringify(body) ?? "";
        const kept =
            text.length > this.maxBodyBytes
                ? `[not recorded: ${text.length} bytes, over the log's ${this.maxBodyBytes}]`
                : body;
        record.body = withoutKnown(kept, this.knownSecrets());
        const i = this.requests.lastIndexOf(record);
        if (i >= 0 && kept === body) {
            this.weights[i] += text.length;
            this.total += text.length;
        }
    }

    /**
     * Records whose termination took effect. Kept apart from the body, so a client that sends
     * `"appliedBeforeFailure": true` itself cannot make a rejected request look accepted.
     */
    private readonly applied = new WeakSet<RecordedRequest>();

    /** Records a request whose answer is not known yet (status 0 until the caller sets it). */
    add(
        method: string,
        path: string,
        headers: http.IncomingHttpHeaders,
        body: unknown,
        weight = 0,
    ): RecordedRequest {
        const secrets = this.knownSecrets();
        const record: RecordedRequest = {
            method,
            path: String(withoutKnown(path, secrets)),
            headers: withoutKnown(recordedHeaders(headers), secrets) as http.IncomingHttpHeaders,
            body: withoutKnown(body, secrets),
            time: Date.now(),
            status: 0,
        };
        this.requests.push(record);
        // Headers and path count too: 15 KiB of headers per request add up.
        const own = weight + path.length + (JSON.stringify(record.headers)?.length ?? 0);
        this.weights.push(own);
        this.total += own;
        while (
            this.requests.length > 1 &&
            (this.requests.length > this.maxRequests || this.total > this.maxTotal)
        ) {
            this.requests.shift();
            this.total -= this.weights.shift() ?? 0;
        }
        return record;
    }

    /** Marks a record as a termination Box acted on although a fault answered it with a failure. */
    markApplied(record: RecordedRequest): void {
        this.applied.add(record);
    }

    /** Terminations Box acted on: answered 202 (a scripted 202 included), or failed by a fault after taking effect. */
    accepted(): AcceptedTermination[] {
        return this.requests
            .filter((r) => r.status === 202 || this.applied.has(r))
            .map((r) => ({ path: r.path, body: r.body, token: r.token }));
    }

    /** Forgets every record, keeping the same array. */
    clear(): void {
        this.requests.length = 0;
        this.weights.length = 0;
        this.total = 0;
    }
}
