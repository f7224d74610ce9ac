/**
 * Token sources for the three ways Box admins deploy: a static access token, Client Credentials
 * Grant, and JWT server authentication. OAuth tokens are fetched once per provider process and shared
 * by every resource until shortly before they expire; a 401 drops the cached token so the client can
 * fetch a fresh one once.
 */
import * as crypto from "crypto";
import { parseJsonBody, type TokenSource } from "./client";
import { sendWithRetries } from "./retry-loop";
import { BoxDeadlineError, BoxNetworkError, BoxOAuthError } from "./errors";
import { redact } from "./safe-text";
import { describeEndpoint, sendHttp, type HttpRequest, type HttpResponse } from "./http";
import type { ProxySettings } from "./proxy";
import { cutChars, MAX_MESSAGE_CHARS } from "./limits";
import type { CachedToken } from "./process-state";
import { formatSeconds, MAX_TIMER_MS, type Deadline, type RetryPolicy } from "./retry";
import { BOX_TOKEN_AUDIENCE, buildJwtAssertion } from "./jwt";
import { secretsOf, type Credentials } from "./settings-credentials";
import { USER_AGENT } from "./version";

const OAUTH_HINTS: Record<string, string> = {
    invalid_grant:
        "Check that the app is authorized in the Box Admin Console, that the subject type and ID are right (enterprise vs user), and that this machine's clock is accurate.",
    invalid_client:
        "Check the client ID and secret (and, for JWT, the public key ID) against the app in the Box Developer Console.",
    unauthorized_client:
        "Enable this grant type for the app in the Developer Console, then re-authorize the app in the Admin Console.",
};

/** Options for fetching tokens; clock, randomness, sleep and transport are injectable for tests. */
export interface TokenFetchOptions {
    /** API origin; the token endpoint is `{baseUrl}/oauth2/token`. */
    baseUrl: string;
    /** Bound on each attempt as a whole: connect, headers and body. */
    timeoutMs: number;
    /** Retry bounds for 429, 5xx and network failures of the token endpoint. */
    retry: RetryPolicy;
    /**
     * When the operation asking for a token must be over. A fetch this operation starts ends by it;
     * one started by another resource is waited for only until it.
     */
    deadline: Deadline;
    /** Where tokens are cached (the process state's map). */
    cache: Map<string, CachedToken>;
    /** Receives retry lines, never secrets. */
    log?: (line: string) => void;
    /** Defaults to {@link sendHttp}. */
    send?: (request: HttpRequest) => Promise<HttpResponse>;
    /** The HTTPS proxy to tunnel through, if any (proxy.ts). */
    proxy?: ProxySettings;
    /** Defaults to `Date.now`. */
    now?: () => number;
    /** Defaults to `setTimeout`. */
    sleep?: (ms: number) => Promise<void>;
}

class StaticTokenSource implements TokenSource {
    readonly refreshable: boolean;
    constructor(private readonly token: string) {
        // Assigned here, never as a field initializer: a by-value copy keeps only the constructor.
        this.refreshable = false;
    }
    async getToken(): Promise<string> {
        return this.token;
    }
    invalidate(): void {
        // Nothing to refresh: the client reports "token expired or invalid" instead.
    }
    secrets(): string[] {
        return [this.token];
    }
}

class OAuthTokenSource implements TokenSource {
    readonly refreshable: boolean;
    private readonly cacheKey: string;

    constructor(
        private readonly credentials: Exclude<Credentials, { method: "accessToken" }>,
        private readonly options: TokenFetchOptions,
    ) {
        this.refreshable = true;
        // The key hashes the secrets too, so a rotated secret never reuses a token from the old one.
        this.cacheKey = crypto
            .createHash("sha256")
            .update(JSON.stringify([options.baseUrl, credentials]))
            .digest("hex");
    }

    secrets(): string[] {
        const cached = this.options.cache.get(this.cacheKey);
        return [...secretsOf(this.credentials), ...(cached?.token ? [cached.token] : [])];
    }

    async getToken(): Promise<string> {
        const now = (this.options.now ?? Date.now)();
        const cached = this.options.cache.get(this.cacheKey);
        if (cached?.pending) return this.awaitWithinDeadline(cached.pending);
        if (cached?.token && now < cached.refreshAtMs) return cached.token;

        // Every resource asking meanwhile shares this one fetch, and its failure: a token endpoint that
        // is down costs one retry loop, not one per resource or per batch.
        const pending: Promise<string> = this.fetchToken().catch((err: unknown) => {
            if (this.options.cache.get(this.cacheKey)?.pending === pending) {
                this.options.cache.delete(this.cacheKey);
            }
            throw err;
        });
        this.options.cache.set(this.cacheKey, { refreshAtMs: 0, pending });
        return this.awaitWithinDeadline(pending);
    }

    /**
     * Waits for a shared fetch, but not past this operation's own deadline: the fetch may have been
     * started by a resource whose deadline is later.
     */
    private awaitWithinDeadline(pending: Promise<string>): Promise<string> {
        const { deadline } = this.options;
        const left = deadline.atMs - (this.options.now ?? Date.now)();
        const endpoint = describeEndpoint("POST", `${this.options.baseUrl}/oauth2/token`);
        const late = (): BoxDeadlineError =>
            new BoxDeadlineError({
                reason: `the token being fetched did not arrive before the deadline ${deadline.setting} (${formatSeconds(Math.max(0, left), "down")} were left)`,
                endpoint,
                attempts: 0,
            });
        if (left <= 0) return Promise.reject(late());
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(late()), Math.min(left, MAX_TIMER_MS));
        });
        return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
    }

    invalidate(token: string): void {
        const cached = this.options.cache.get(this.cacheKey);
        if (cached?.token === token) this.options.cache.delete(this.cacheKey);
    }

    private form(): Record<string, string> {
        const c = this.credentials;
        if (c.method === "clientCredentials") {
            return {
                grant_type: "client_credentials",
                client_id: c.clientId,
                client_secret: c.clientSecret,
                box_subject_type: c.subject.type,
                box_subject_id: c.subject.id,
            };
        }
        const nowSeconds = Math.floor((this.options.now ?? Date.now)() / 1000);
        return {
            grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
            assertion: buildJwtAssertion(c.app, c.subject, BOX_TOKEN_AUDIENCE, nowSeconds),
            client_id: c.app.clientId,
            client_secret: c.app.clientSecret,
        };
    }

    private async fetchToken(): Promise<string> {
        const { options } = this;
        const url = `${options.baseUrl}/oauth2/token`;
        const via = options.proxy ? ` through the proxy from ${options.proxy.source}` : "";
        const endpoint = `${describeEndpoint("POST", url)}${via}`;
        const final = await sendWithRetries({
            endpoint,
            retry: options.retry,
            deadline: options.deadline,
            send: options.send ?? sendHttp,
            now: options.now ?? Date.now,
            sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
            random: Math.random,
            log: (line) => options.log?.(line),
            // Built per attempt: a JWT assertion's jti must be new and its exp fresh each time.
            request: async () => ({
                method: "POST",
                url,
                body: new URLSearchParams(this.form()).toString(),
                timeoutMs: options.timeoutMs,
                proxy: options.proxy,
                headers: {
                    "Content-Type": "application/x-www-form-urlencoded",
                    Accept: "application/json",
                    "User-Agent": USER_AGENT,
                },
            }),
        });
        const { response, networkError, attempts } = final;
        if (response && response.status >= 200 && response.status < 300) return this.accept(response);
        // Every failure names the token endpoint: it is never the API call's fault.
        const failure = (): Error => {
            if (response) return this.oauthError(response, endpoint);
            const after = attempts > 1 ? ` after ${attempts} attempts` : "";
            return new BoxNetworkError({
                kind: networkError?.kind ?? "other",
                endpoint,
                errorCode: networkError?.errorCode,
                detail: `${networkError?.detail ?? "no answer"}${after}`,
            });
        };
        if (final.deadlineReason !== undefined) {
            throw new BoxDeadlineError({
                reason: final.deadlineReason,
                endpoint,
                attempts,
                lastAnswer: response || networkError ? failure().message : undefined,
            });
        }
        throw failure();
    }

    private accept(response: HttpResponse): string {
        const body = (parseJsonBody(response.body) ?? {}) as { access_token?: unknown; expires_in?: unknown };
        if (typeof body.access_token !== "string" || body.access_token === "") {
            throw new BoxOAuthError({
                status: response.status,
                error: "invalid_response",
                description: "the token endpoint returned no access_token",
            });
        }
        const ttlMs =
            (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 3600) * 1000;
        // Refresh a little early: a token that expires between our check and Box's costs a 401 round trip.
        const margin = Math.min(60_000, ttlMs / 10);
        this.options.cache.set(this.cacheKey, {
            token: body.access_token,
            refreshAtMs: (this.options.now ?? Date.now)() + ttlMs - margin,
        });
        return body.access_token;
    }

    private oauthError(response: HttpResponse, endpoint: string): Error {
        // A non-JSON answer (a proxy's HTML page) is reported by its status alone.
        const body = (parseJsonBody(response.body) ?? {}) as { error?: unknown; error_description?: unknown };
        const secrets = secretsOf(this.credentials);
        // Redacted before cutting: a cut could leave part of a secret that no longer matches.
        const error =
            typeof body.error === "string"
                ? cutChars(redact(body.error, secrets), 100)
                : `http_${response.status}`;
        const description =
            typeof body.error_description === "string"
                ? cutChars(redact(body.error_description, secrets), MAX_MESSAGE_CHARS)
                : undefined;
        return new BoxOAuthError({
            status: response.status,
            error,
            description,
            // An own-property lookup: a code such as `constructor` must not find Object's prototype.
            hint: Object.prototype.hasOwnProperty.call(OAUTH_HINTS, error) ? OAUTH_HINTS[error] : undefined,
            endpoint,
        });
    }
}

/** The token source for a set of credentials. Sends nothing until a token is asked for. */
export function createTokenSource(credentials: Credentials, options: TokenFetchOptions): TokenSource {
    return credentials.method === "accessToken"
        ? new StaticTokenSource(credentials.accessToken)
        : new OAuthTokenSource(credentials, options);
}
