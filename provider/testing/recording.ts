/**
 * The emulator's log of requests, which tests print, diff and snapshot: so it must never hold a
 * credential in any form that gets printed, whatever path or content type a client used. What is
 * kept is decided by content, not by path: a secret posted to `/oauth2/token/` or `/box/oauth2/token`
 * is scrubbed just as one posted to `/oauth2/token` is.
 */
import type * as http from "http";
import { bodyWeight, jsonValues, MAX_BODY_VALUES } from "./log-bounds";
import { recordedBody, recordedHeaders, withoutKnown } from "./scrub";

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
