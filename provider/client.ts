/**
 * The Box API client: the two session-termination calls on top of one retry loop. Transport lives in
 * http.ts, the timing rules in retry.ts, token acquisition in auth.ts; this file only sequences them
 * and turns Box's answers into results or {@link BoxApiError}s.
 */
import { BoxApiError, BoxNetworkError, redact, type BoxErrorBody } from "./errors";
import { describeEndpoint, sendHttp, type HttpRequest, type HttpResponse } from "./http";
import { decideRetry, headerValue, type AttemptOutcome, type RetryPolicy } from "./retry";
import { USER_AGENT } from "./version";

/** Where bearer tokens come from; see auth.ts for the implementations. */
export interface TokenSource {
    /** Whether a rejected token can be replaced by fetching a new one (false for a static token). */
    readonly refreshable: boolean;
    /** A token to use now. */
    getToken(): Promise<string>;
    /** Drops `token` from any cache after Box rejected it, so the next `getToken` fetches anew. */
    invalidate(token: string): void;
    /** Every secret this source knows, for {@link redact}. */
    secrets(): string[];
}

/**
 * Holds back every request to one Box origin until a time Box named in `retry-after`. One 429 pauses
 * all concurrent workers, instead of each of them spending a request to learn the same thing.
 */
export class RateGate {
    private notBeforeMs = 0;

    /** Pushes the earliest next request time out to `untilMs` (never pulls it in). */
    holdUntil(untilMs: number): void {
        this.notBeforeMs = Math.max(this.notBeforeMs, untilMs);
    }

    /** How long a request about to be sent at `nowMs` must wait. */
    waitMs(nowMs: number): number {
        return Math.max(0, this.notBeforeMs - nowMs);
    }
}

/** Everything a {@link BoxClient} needs; the clock, sleep, randomness and transport are injectable for tests. */
export interface BoxClientOptions {
    /** API origin, e.g. `https://api.box.com`, without a trailing path. */
    baseUrl: string;
    /** Bearer token source. */
    tokens: TokenSource;
    /** Per-attempt timeout. */
    timeoutMs: number;
    /** Retry bounds and pacing. */
    retry: RetryPolicy;
    /** Receives one line per retry; lines never contain secrets. */
    log?: (line: string) => void;
    /** Shared pause after a 429; defaults to a gate of this client's own. */
    gate?: RateGate;
    /** Defaults to `setTimeout`. */
    sleep?: (ms: number) => Promise<void>;
    /** Defaults to `Date.now`. */
    now?: () => number;
    /** Defaults to `Math.random`. */
    random?: () => number;
    /** Defaults to {@link sendHttp}. */
    send?: (request: HttpRequest) => Promise<HttpResponse>;
}

/** Box's 202 answer to a termination request. */
export interface BoxAccepted {
    /** Box's message, e.g. "Request is successful, please check the admin events for the status of the job". */
    message: string;
    /** The `box-request-id` header, when present. */
    requestId?: string;
    /** How many attempts it took, retries included. */
    attempts: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Parses a body as JSON, or returns undefined: Box's proxies answer some failures with HTML. */
export function parseJsonBody(body: string): unknown {
    try {
        return JSON.parse(body) as unknown;
    } catch {
        return undefined;
    }
}

/** A short, single-line excerpt of a non-JSON body, tags stripped, for an error message. */
function excerpt(body: string): string {
    const text = body
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .trim();
    if (!text) return "empty body";
    return `non-JSON body: ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`;
}

function hintFor(status: number, code: string | undefined, refreshable: boolean): string | undefined {
    if (status === 401) {
        return refreshable
            ? "Box rejected a freshly issued token: check that the app is authorized in the Admin Console."
            : "The access token is expired or invalid (developer tokens last 60 minutes): set a fresh box:accessToken / BOX_ACCESS_TOKEN, or use client credentials or JWT.";
    }
    if (status === 403) {
        return "Terminating sessions needs an admin (or a co-admin allowed to manage users and groups) and an app with the Manage users / Manage groups scopes and enterprise access.";
    }
    if (status === 404 && code === "not_found") {
        return "Check the IDs: Box found no such user or group in this enterprise.";
    }
    return undefined;
}

/** Sends requests to Box with authentication, retries and error mapping. Build one per operation. */
export class BoxClient {
    private readonly gate: RateGate;
    private readonly sleep: (ms: number) => Promise<void>;
    private readonly now: () => number;
    private readonly random: () => number;
    private readonly send: (request: HttpRequest) => Promise<HttpResponse>;

    /** Keeps the options; sends nothing. */
    constructor(private readonly options: BoxClientOptions) {
        this.gate = options.gate ?? new RateGate();
        this.sleep = options.sleep ?? defaultSleep;
        this.now = options.now ?? Date.now;
        this.random = options.random ?? Math.random;
        this.send = options.send ?? sendHttp;
    }

    /** `POST /2.0/users/terminate_sessions`; both arrays are always sent, as Box's spec requires. */
    terminateUserSessions(userIds: string[], userLogins: string[]): Promise<BoxAccepted> {
        return this.postJson("/2.0/users/terminate_sessions", { user_ids: userIds, user_logins: userLogins });
    }

    /** `POST /2.0/groups/terminate_sessions`. */
    terminateGroupSessions(groupIds: string[]): Promise<BoxAccepted> {
        return this.postJson("/2.0/groups/terminate_sessions", { group_ids: groupIds });
    }

    private async postJson(path: string, payload: unknown): Promise<BoxAccepted> {
        const url = `${this.options.baseUrl}${path}`;
        const endpoint = describeEndpoint("POST", url);
        const body = JSON.stringify(payload);
        const { tokens, retry } = this.options;
        let tokenRefreshed = false;

        for (let attempt = 1; ; attempt++) {
            const wait = this.gate.waitMs(this.now());
            if (wait > 0) await this.sleep(wait);

            const token = await tokens.getToken();
            let outcome: AttemptOutcome;
            let response: HttpResponse | undefined;
            let networkError: BoxNetworkError | undefined;
            try {
                response = await this.send({
                    method: "POST",
                    url,
                    body,
                    timeoutMs: this.options.timeoutMs,
                    headers: {
                        Authorization: `Bearer ${token}`,
                        "Content-Type": "application/json",
                        Accept: "application/json",
                        "User-Agent": USER_AGENT,
                    },
                });
                if (response.status >= 200 && response.status < 300) {
                    const parsed = parseJsonBody(response.body) as { message?: unknown } | undefined;
                    return {
                        // The status is Box's answer; a body we cannot read does not undo an accepted request.
                        message:
                            typeof parsed?.message === "string"
                                ? parsed.message
                                : `Accepted (HTTP ${response.status}); Box's answer carried no readable message`,
                        requestId: headerValue(response.headers, "box-request-id"),
                        attempts: attempt,
                    };
                }
                outcome = { status: response.status, headers: response.headers };
            } catch (err) {
                if (!(err instanceof BoxNetworkError)) throw err;
                networkError = err;
                outcome = { networkFailure: `${err.kind} (${err.errorCode ?? "no code"})` };
            }

            const decision = decideRetry(outcome, attempt, retry, {
                nowMs: this.now(),
                random: this.random,
                tokenRefreshed,
                tokenRefreshable: tokens.refreshable,
            });
            if (decision.action === "refresh-token") {
                tokens.invalidate(token);
                tokenRefreshed = true;
                this.log(`${endpoint}: Box answered 401; fetching a fresh token and trying once more`);
                attempt--; // a token refresh is not a retry of a failing request
                continue;
            }
            if (decision.action === "fail") {
                throw this.finalError(endpoint, attempt, response, networkError);
            }
            if (outcome && "status" in outcome && outcome.status === 429) {
                this.gate.holdUntil(this.now() + decision.waitMs);
            }
            this.log(
                `${endpoint}: attempt ${attempt} of ${retry.maxRetries + 1} failed (${decision.why}); retrying in ${decision.waitMs} ms`,
            );
            await this.sleep(decision.waitMs);
        }
    }

    private finalError(
        endpoint: string,
        attempts: number,
        response?: HttpResponse,
        networkError?: BoxNetworkError,
    ): Error {
        const secrets = this.options.tokens.secrets();
        const after = attempts > 1 ? ` after ${attempts} attempts` : "";
        if (networkError || !response) {
            return new BoxNetworkError({
                kind: networkError?.kind ?? "other",
                endpoint,
                errorCode: networkError?.errorCode,
                detail: redact(`${networkError?.detail ?? "no answer"}${after}`, secrets),
            });
        }
        const parsed = parseJsonBody(response.body);
        const body = parsed && typeof parsed === "object" ? (parsed as BoxErrorBody) : undefined;
        const error = new BoxApiError({
            status: response.status,
            endpoint: `${endpoint}${after}`,
            body: body
                ? {
                      ...body,
                      message: body.message === undefined ? undefined : redact(String(body.message), secrets),
                  }
                : undefined,
            requestId: headerValue(response.headers, "box-request-id"),
            detail: body ? undefined : redact(excerpt(response.body), secrets),
            hint: hintFor(response.status, body?.code, this.options.tokens.refreshable),
        });
        return error;
    }

    private log(line: string): void {
        this.options.log?.(redact(line, this.options.tokens.secrets()));
    }
}
