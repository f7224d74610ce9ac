/**
 * The Box API client: the session-termination calls and the member listing, on top of the retry loop
 * (retry-loop.ts). Transport lives in http.ts, the timing rules in retry.ts, token acquisition in
 * auth.ts; this file turns Box's answers into results or {@link BoxApiError}s.
 */
import { BoxApiError, BoxDeadlineError, BoxNetworkError, type BoxErrorBody } from "./errors";
import { redact } from "./safe-text";
import { describeEndpoint, sendHttp, type HttpRequest, type HttpResponse } from "./http";
import type { ProxySettings } from "./proxy";
import { MAX_MESSAGE_CHARS, cutChars } from "./limits";
import { headerValue, type Deadline, type RetryPolicy } from "./retry";
import { RateGate, sendWithRetries } from "./retry-loop";
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

/** Everything a {@link BoxClient} needs; the clock, sleep, randomness and transport are injectable for tests. */
export interface BoxClientOptions {
    /** API origin, e.g. `https://api.box.com`, without a trailing path. */
    baseUrl: string;
    /** Bearer token source. */
    tokens: TokenSource;
    /** Bound on each attempt as a whole: connect, headers and body. */
    timeoutMs: number;
    /** Retry bounds and pacing. */
    retry: RetryPolicy;
    /** When the operation must be over: no wait, attempt or retry goes past it. */
    deadline: Deadline;
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
    /** The HTTPS proxy to tunnel through, if any (proxy.ts). */
    proxy?: ProxySettings;
}

/** Box's 202 answer to a termination request. */
export interface BoxAccepted {
    /**
     * Box's message, e.g. "Request is successful, please check the admin events for the status of the
     * job", at most {@link MAX_MESSAGE_CHARS} characters.
     */
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

/**
 * What a 2xx said, or why its text cannot be known; the status alone already means Box accepted.
 * Redacted before it is cut: a cut could leave part of a secret that no longer matches.
 */
function acceptedMessage(response: HttpResponse, secrets: readonly string[]): string {
    const parsed = parseJsonBody(response.body) as { message?: unknown } | undefined;
    if (typeof parsed?.message === "string") {
        return cutChars(redact(parsed.message, secrets), MAX_MESSAGE_CHARS);
    }
    const why =
        response.bodyCut === "size"
            ? "was too large to read"
            : response.bodyCut === "time"
              ? "did not arrive in time"
              : response.bodyCut === "connection"
                ? "was cut off"
                : "carried no readable message";
    return `Accepted (HTTP ${response.status}); Box's answer ${why}`;
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
        return "Check the IDs and logins: Box found no such user or group in this enterprise.";
    }
    return undefined;
}

/** The most bytes one page of group members may take: 1,000 entries of a few hundred bytes each. */
const MEMBERSHIP_PAGE_BYTES = 1024 * 1024;

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

    /**
     * `GET /2.0/groups/{id}/memberships` for one page, parsed; a body too large or not JSON is an error,
     * since a member list read in part could hide a protected user.
     */
    async groupMemberships(groupId: string, limit: number, offset: number): Promise<unknown> {
        const path = `/2.0/groups/${encodeURIComponent(groupId)}/memberships?limit=${limit}&offset=${offset}`;
        const { response, endpoint } = await this.call("GET", path, undefined, MEMBERSHIP_PAGE_BYTES);
        const parsed = response.bodyCut ? undefined : parseJsonBody(response.body);
        if (parsed === undefined || typeof parsed !== "object" || parsed === null)
            throw new BoxNetworkError({
                kind: "other",
                endpoint,
                detail: `Box's answer (HTTP ${response.status}) could not be read whole as JSON${response.bodyCut ? ` (${response.bodyCut})` : ""}`,
            });
        return parsed;
    }

    private async postJson(path: string, payload: unknown): Promise<BoxAccepted> {
        const { response, attempts } = await this.call("POST", path, JSON.stringify(payload));
        // The status is Box's answer; a body we cannot read does not undo an accepted request.
        // Both texts go into state: redacted, in case the origin echoes the request back.
        const secrets = this.options.tokens.secrets();
        const requestId = headerValue(response.headers, "box-request-id");
        return {
            message: acceptedMessage(response, secrets),
            requestId: requestId === undefined ? undefined : cutChars(redact(requestId, secrets), 100),
            attempts,
        };
    }

    /** Sends one API request with retries; resolves with a 2xx answer, else throws what went wrong. */
    private async call(
        method: "GET" | "POST",
        path: string,
        body?: string,
        maxBodyBytes?: number,
    ): Promise<{ response: HttpResponse; attempts: number; endpoint: string }> {
        const url = `${this.options.baseUrl}${path}`;
        const { proxy } = this.options;
        const endpoint = `${describeEndpoint(method, url)}${proxy ? ` through the proxy from ${proxy.source}` : ""}`;
        const { tokens } = this.options;
        let token = "";
        const final = await sendWithRetries({
            endpoint,
            retry: this.options.retry,
            deadline: this.options.deadline,
            gate: this.gate,
            sleep: this.sleep,
            now: this.now,
            random: this.random,
            send: this.send,
            log: (line) => this.log(line),
            // Built per attempt, so a refreshed token is used as soon as it exists.
            request: async () => {
                token = await tokens.getToken();
                return {
                    method,
                    url,
                    body,
                    timeoutMs: this.options.timeoutMs,
                    maxBodyBytes,
                    proxy,
                    headers: {
                        Authorization: `Bearer ${token}`,
                        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
                        Accept: "application/json",
                        "User-Agent": USER_AGENT,
                    },
                };
            },
            refreshToken: tokens.refreshable ? () => tokens.invalidate(token) : undefined,
        });
        const { response, attempts } = final;
        if (response && response.status >= 200 && response.status < 300)
            return { response, attempts, endpoint };
        if (final.deadlineReason !== undefined) {
            const last =
                response || final.networkError
                    ? this.finalError(endpoint, 1, response, final.networkError).message
                    : undefined;
            throw new BoxDeadlineError({
                reason: final.deadlineReason,
                endpoint,
                attempts,
                lastAnswer: last,
            });
        }
        throw this.finalError(endpoint, attempts, response, final.networkError);
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
                      // Redacted before cutting: a cut could leave part of a secret that no longer matches.
                      code:
                          typeof body.code === "string"
                              ? cutChars(redact(body.code, secrets), 100)
                              : undefined,
                      request_id:
                          typeof body.request_id === "string"
                              ? cutChars(redact(body.request_id, secrets), 100)
                              : undefined,
                      message:
                          body.message === undefined
                              ? undefined
                              : cutChars(redact(String(body.message), secrets), MAX_MESSAGE_CHARS),
                  }
                : undefined,
            requestId:
                cutChars(redact(headerValue(response.headers, "box-request-id") ?? "", secrets), 100) ||
                undefined,
            // Redact the whole body before cutting it: a token across the cut would survive redaction.
            detail: body ? undefined : redact(excerpt(redact(response.body, secrets)), secrets),
            hint: hintFor(response.status, body?.code, this.options.tokens.refreshable),
        });
        return error;
    }

    private log(line: string): void {
        this.options.log?.(redact(line, this.options.tokens.secrets()));
    }
}
