/**
 * A local Box for tests and demos: the two session-termination endpoints and the token endpoint,
 * behaving the way Box's published spec and docs say, on 127.0.0.1 only.
 *
 * It validates requests as a spec-validating server does (both user arrays required, strings only,
 * JSON only) with Box's documented 400 texts; answers 401 to missing, unknown or expired tokens; issues
 * tokens for Client Credentials Grant and for JWT, verifying the assertion's RS256 signature and claims;
 * records every request; and can be told to misbehave (scripted answers, delays, dropped connections,
 * HTML error pages, a rate limit), so the provider's failure handling can be tested for real.
 */
import * as crypto from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";

/** Box's 202 message for an accepted termination. */
export const ACCEPTED_MESSAGE =
    "Request is successful, please check the admin events for the status of the job";

/** A Box app registered with the emulator, for Client Credentials Grant and JWT. */
export interface EmulatorApp {
    /** The app's client ID. */
    clientId: string;
    /** The app's client secret. */
    clientSecret: string;
    /** The enterprise the app is authorized in (subject type `enterprise`). */
    enterpriseId: string;
    /** Users the app may act as (subject type `user`); empty means none. */
    userIds?: string[];
    /** JWT public keys by key ID (`kid`), as PEM. */
    publicKeys?: Record<string, string>;
}

/** Options for {@link startBoxEmulator}. */
export interface EmulatorOptions {
    /** Port on 127.0.0.1; 0 (the default) picks a free one. */
    port?: number;
    /** Static access tokens to accept (like developer tokens). One is generated if none are given. */
    accessTokens?: string[];
    /** Apps that may obtain tokens. */
    apps?: EmulatorApp[];
    /** Lifetime of issued tokens, in seconds (Box: about 3600). */
    tokenTtlSeconds?: number;
    /** Requests per second allowed on the API endpoints before answering 429; unlimited if unset. */
    rateLimitPerSecond?: number;
}

/** One request the emulator received. */
export interface RecordedRequest {
    /** HTTP method. */
    method: string;
    /** Path without query. */
    path: string;
    /** Request headers (names lower-cased). Contains credentials: do not print. */
    headers: http.IncomingHttpHeaders;
    /** Parsed JSON body for API calls, form fields for the token endpoint (secrets removed), or the raw text. */
    body: unknown;
    /** Epoch milliseconds when it arrived. */
    time: number;
    /** A printable label of the credential used (`static#1`, `ccg:enterprise:123`), never the token. */
    token?: string;
    /** The status the emulator answered, or 0 for a dropped connection. */
    status: number;
}

/** A scripted misbehaviour, used by the next request whose path matches. */
export interface Fault {
    /** Only requests to this path (or matching this pattern) use the fault; all do if unset. */
    path?: string | RegExp;
    /** Let this many matching requests through normally first (to fail, say, the third batch). */
    after?: number;
    /** Answer with this status (with `body`, or a Box error body for it). */
    status?: number;
    /** Extra response headers, e.g. `{ "retry-after": "2" }`. */
    headers?: Record<string, string>;
    /** Raw response body; a `ClientError` JSON is generated when omitted. */
    body?: string;
    /** Wait this long before answering (longer than the client's timeout to simulate one). */
    delayMs?: number;
    /** Close the connection without answering. */
    drop?: boolean;
    /** Process the request normally (it takes effect) and then answer with the fault: like Box's 503 that still applied the write. */
    afterEffect?: boolean;
}

/** A running emulator. */
export interface BoxEmulator {
    /** `http://127.0.0.1:<port>`, to use as `box:baseUrl` / `BOX_BASE_URL`. */
    readonly baseUrl: string;
    /** A valid static access token. */
    readonly accessToken: string;
    /** Every request received, in arrival order. */
    readonly requests: RecordedRequest[];
    /** Session terminations Box accepted, in order: what a demo or test shows as "Box received". */
    accepted(): Array<{ path: string; body: unknown; token?: string }>;
    /** Queues faults for the next matching requests, in order. */
    enqueue(...faults: Fault[]): void;
    /** Sets or clears the rate limit. */
    setRateLimit(perSecond: number | undefined): void;
    /** Registers another app. */
    addApp(app: EmulatorApp): void;
    /** Makes every issued token (not static ones) expire now, as if an hour had passed. */
    expireIssuedTokens(): void;
    /** Forgets recorded requests. */
    clearRequests(): void;
    /** Stops listening and closes open connections. */
    close(): Promise<void>;
}

interface IssuedToken {
    label: string;
    expiresAtMs: number;
}

function requestId(): string {
    return crypto.randomBytes(8).toString("hex");
}

function clientError(
    status: number,
    code: string,
    message: string,
    id: string,
    contextInfo?: Record<string, unknown>,
): string {
    return JSON.stringify({
        type: "error",
        status,
        code,
        message,
        ...(contextInfo ? { context_info: contextInfo } : {}),
        help_url: "http://developers.box.com/docs/#errors",
        request_id: id,
    });
}

const ERROR_CODES: Record<number, string> = {
    400: "bad_request",
    401: "unauthorized",
    403: "access_denied_insufficient_permissions",
    404: "not_found",
    409: "conflict",
    429: "rate_limit_exceeded",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "unavailable",
};

function base64urlJson(part: string): Record<string, unknown> | undefined {
    try {
        const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
        return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/** Starts an emulator on 127.0.0.1. */
export async function startBoxEmulator(options: EmulatorOptions = {}): Promise<BoxEmulator> {
    const staticTokens = new Map<string, string>();
    const accessTokens = options.accessTokens?.length
        ? options.accessTokens
        : [`emu_${crypto.randomBytes(16).toString("hex")}`];
    accessTokens.forEach((t, i) => staticTokens.set(t, `static#${i + 1}`));
    const issued = new Map<string, IssuedToken>();
    const apps = new Map<string, EmulatorApp>();
    for (const app of options.apps ?? []) apps.set(app.clientId, app);
    const usedJti = new Set<string>();
    const requests: RecordedRequest[] = [];
    const faults: Fault[] = [];
    const ttlMs = (options.tokenTtlSeconds ?? 3600) * 1000;
    let rateLimit = options.rateLimitPerSecond;
    let windowStart = 0;
    let windowCount = 0;
    let baseUrl = "";

    const takeFault = (path: string): Fault | undefined => {
        const index = faults.findIndex(
            (f) => f.path === undefined || (typeof f.path === "string" ? f.path === path : f.path.test(path)),
        );
        if (index < 0) return undefined;
        const fault = faults[index];
        if (fault.after) {
            fault.after--;
            return undefined;
        }
        return faults.splice(index, 1)[0];
    };

    /** Fixed one-second windows; answers the wait in whole seconds, as Box's `retry-after` does. */
    const rateLimited = (now: number): number | undefined => {
        if (!rateLimit) return undefined;
        if (now - windowStart >= 1000) {
            windowStart = now;
            windowCount = 0;
        }
        if (windowCount < rateLimit) {
            windowCount++;
            return undefined;
        }
        return Math.max(1, Math.ceil((windowStart + 1000 - now) / 1000));
    };

    const authenticate = (header: string | undefined): string | undefined => {
        const match = /^Bearer (.+)$/.exec(header ?? "");
        if (!match) return undefined;
        const token = match[1];
        const label = staticTokens.get(token);
        if (label) return label;
        const entry = issued.get(token);
        return entry && entry.expiresAtMs > Date.now() ? entry.label : undefined;
    };

    type Answer = {
        status: number;
        body: string;
        headers?: Record<string, string>;
        token?: string;
        logBody?: unknown;
    };

    const terminate = (path: string, contentType: string, raw: string, id: string): Answer => {
        const users = path === "/2.0/users/terminate_sessions";
        const empty = users ? "Users can not be NULL or EMPTY" : "Groups can not be NULL or EMPTY";
        const format = users ? "User id format is string" : "group id format is string";
        if (!/^application\/json\b/i.test(contentType)) {
            return {
                status: 400,
                body: clientError(400, "bad_request", "Supported payload format is JSON", id),
            };
        }
        let json: unknown;
        try {
            json = JSON.parse(raw);
        } catch {
            return {
                status: 400,
                body: clientError(400, "bad_request", "Supported payload format is JSON", id),
            };
        }
        const body = (json && typeof json === "object" && !Array.isArray(json) ? json : {}) as Record<
            string,
            unknown
        >;
        const lists = users ? ["user_ids", "user_logins"] : ["group_ids"];
        for (const key of lists) {
            // Box's spec marks every list required: a spec-validating server rejects a missing one.
            if (!Array.isArray(body[key])) {
                return {
                    status: 400,
                    body: clientError(400, "bad_request", empty, id, {
                        errors: [{ name: key, reason: "missing_parameter" }],
                    }),
                    logBody: body,
                };
            }
            if ((body[key] as unknown[]).some((v) => typeof v !== "string")) {
                return { status: 400, body: clientError(400, "bad_request", format, id), logBody: body };
            }
        }
        if (lists.every((key) => (body[key] as unknown[]).length === 0)) {
            return { status: 400, body: clientError(400, "bad_request", empty, id), logBody: body };
        }
        return { status: 202, body: JSON.stringify({ message: ACCEPTED_MESSAGE }), logBody: body };
    };

    /** The answer a fault scripts: its body, or a Box error body for its status. */
    const scripted = (fault: Fault, id: string, tokenLabel: string | undefined): Answer => {
        const status = fault.status ?? 500;
        return {
            status,
            body: fault.body ?? clientError(status, ERROR_CODES[status] ?? "error", `Emulated ${status}`, id),
            headers: fault.headers,
            token: tokenLabel,
        };
    };

    const oauthError = (status: number, error: string, description: string): Answer => ({
        status,
        body: JSON.stringify({ error, error_description: description }),
    });

    const issue = (label: string): Answer => {
        const token = `emu_at_${crypto.randomBytes(16).toString("hex")}`;
        issued.set(token, { label, expiresAtMs: Date.now() + ttlMs });
        return {
            status: 200,
            token: label,
            body: JSON.stringify({
                access_token: token,
                expires_in: Math.round(ttlMs / 1000),
                token_type: "bearer",
                restricted_to: [],
                issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
            }),
        };
    };

    const subjectAllowed = (app: EmulatorApp, type: unknown, id: unknown): boolean =>
        (type === "enterprise" && id === app.enterpriseId) ||
        (type === "user" && typeof id === "string" && (app.userIds ?? []).includes(id));

    const token = (contentType: string, raw: string): { answer: Answer; logBody: unknown } => {
        if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
            return {
                answer: oauthError(
                    400,
                    "invalid_request",
                    "Invalid grant_type parameter or parameter missing",
                ),
                logBody: {},
            };
        }
        const form = Object.fromEntries(new URLSearchParams(raw));
        const logBody = tokenLogBody(raw);
        const app = apps.get(form.client_id ?? "");
        if (!app || app.clientSecret !== form.client_secret) {
            return {
                answer: oauthError(400, "invalid_client", "The client credentials are invalid"),
                logBody,
            };
        }
        if (form.grant_type === "client_credentials") {
            if (!subjectAllowed(app, form.box_subject_type, form.box_subject_id)) {
                return { answer: oauthError(400, "invalid_grant", "Grant credentials are invalid"), logBody };
            }
            return { answer: issue(`ccg:${form.box_subject_type}:${form.box_subject_id}`), logBody };
        }
        if (form.grant_type === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
            const problem = verifyAssertion(app, form.assertion ?? "");
            if (typeof problem === "string")
                return { answer: oauthError(400, "invalid_grant", problem), logBody };
            return {
                answer: issue(`jwt:${problem.box_sub_type}:${problem.sub}`),
                logBody: { ...logBody, box_subject_type: problem.box_sub_type, box_subject_id: problem.sub },
            };
        }
        return {
            answer: oauthError(
                400,
                "unsupported_grant_type",
                "Invalid grant_type parameter or parameter missing",
            ),
            logBody,
        };
    };

    const verifyAssertion = (app: EmulatorApp, assertion: string): string | Record<string, unknown> => {
        const parts = assertion.split(".");
        if (parts.length !== 3) return "Invalid JWT assertion";
        const header = base64urlJson(parts[0]);
        const claims = base64urlJson(parts[1]);
        if (!header || !claims) return "Invalid JWT assertion";
        if (header.alg !== "RS256" && header.alg !== "RS384" && header.alg !== "RS512")
            return "Please check the 'alg' header: RS256, RS384 or RS512";
        const pem = app.publicKeys?.[String(header.kid)];
        if (!pem) return "OpenSSL unable to verify data: unknown public key ID (kid)";
        const hash = { RS256: "sha256", RS384: "sha384", RS512: "sha512" }[header.alg as "RS256"];
        const valid = crypto.verify(
            hash,
            Buffer.from(`${parts[0]}.${parts[1]}`),
            pem,
            Buffer.from(parts[2], "base64url"),
        );
        if (!valid) return "OpenSSL unable to verify data: signature does not match the public key";
        if (claims.iss !== app.clientId) return "Please check the 'iss' claim.";
        if (claims.aud !== `${baseUrl}/oauth2/token`) return "Please check the 'aud' claim.";
        if (!subjectAllowed(app, claims.box_sub_type, claims.sub)) return "Please check the 'sub' claim.";
        const jti = claims.jti;
        if (typeof jti !== "string" || jti.length < 16 || jti.length > 128 || usedJti.has(jti))
            return "Please check the 'jti' claim.";
        const nowSeconds = Date.now() / 1000;
        if (typeof claims.exp !== "number" || claims.exp <= nowSeconds || claims.exp - nowSeconds > 60) {
            return "Please check the 'exp' claim. The 'exp' value must be within 60 seconds of the current time.";
        }
        usedJti.add(jti);
        return claims;
    };

    const route = (
        req: http.IncomingMessage,
        path: string,
        raw: string,
        id: string,
    ): { answer: Answer; logBody: unknown } => {
        const contentType = String(req.headers["content-type"] ?? "");
        if (req.method === "POST" && path === "/oauth2/token") return token(contentType, raw);
        if (
            req.method === "POST" &&
            (path === "/2.0/users/terminate_sessions" || path === "/2.0/groups/terminate_sessions")
        ) {
            const label = authenticate(req.headers.authorization);
            if (!label) {
                return {
                    answer: {
                        status: 401,
                        body: clientError(
                            401,
                            "unauthorized",
                            "The access token is missing, invalid or expired",
                            id,
                        ),
                        headers: { "www-authenticate": 'Bearer realm="Service", error="invalid_token"' },
                    },
                    logBody: undefined,
                };
            }
            const wait = rateLimited(Date.now());
            if (wait !== undefined) {
                return {
                    answer: {
                        status: 429,
                        token: label,
                        headers: { "retry-after": String(wait) },
                        body: clientError(
                            429,
                            "rate_limit_exceeded",
                            "Request rate limit exceeded, please try again later",
                            id,
                        ),
                    },
                    logBody: undefined,
                };
            }
            const answer = terminate(path, contentType, raw, id);
            return { answer: { ...answer, token: label }, logBody: answer.logBody };
        }
        return {
            answer: { status: 404, body: clientError(404, "not_found", "Not Found", id) },
            logBody: undefined,
        };
    };

    const sockets = new Set<import("net").Socket>();
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            void (async () => {
                const raw = Buffer.concat(chunks).toString("utf8");
                const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
                const id = requestId();
                const record: RecordedRequest = {
                    method: req.method ?? "",
                    path,
                    headers: req.headers,
                    body: raw,
                    time: Date.now(),
                    status: 0,
                };
                requests.push(record);
                const fault = takeFault(path);
                if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
                if (fault?.drop) {
                    req.socket.destroy();
                    return;
                }
                let answer: Answer;
                if (fault?.status !== undefined && !fault.afterEffect) {
                    answer = scripted(fault, id, authenticate(req.headers.authorization));
                    record.body = logBodyOf(path, raw);
                } else {
                    const routed = route(req, path, raw, id);
                    answer = routed.answer;
                    record.body = routed.logBody ?? logBodyOf(path, raw);
                    if (fault?.status !== undefined) {
                        // Box's 503 may still have applied the write: the log says whether it did.
                        answer = scripted(fault, id, answer.token);
                        record.body = {
                            ...(record.body as object),
                            appliedBeforeFailure: routed.answer.status === 202,
                        };
                    }
                }
                record.token = answer.token;
                record.status = answer.status;
                const isJson = answer.body.startsWith("{");
                res.writeHead(answer.status, {
                    "content-type": isJson ? "application/json" : "text/html",
                    "box-request-id": id,
                    ...answer.headers,
                });
                res.end(answer.body);
            })();
        });
    });
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, "127.0.0.1", resolve);
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    return {
        baseUrl,
        accessToken: accessTokens[0],
        requests,
        accepted: () =>
            requests
                .filter(
                    (r) =>
                        r.status === 202 ||
                        (r.body as { appliedBeforeFailure?: boolean })?.appliedBeforeFailure,
                )
                .map((r) => ({ path: r.path, body: r.body, token: r.token })),
        enqueue: (...more: Fault[]) => {
            faults.push(...more);
        },
        setRateLimit: (perSecond) => {
            rateLimit = perSecond;
            windowStart = 0;
            windowCount = 0;
        },
        addApp: (app) => {
            apps.set(app.clientId, app);
        },
        expireIssuedTokens: () => {
            for (const entry of issued.values()) entry.expiresAtMs = 0;
        },
        clearRequests: () => {
            requests.length = 0;
        },
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}

/** What the log keeps of a token request: which grant and subject were asked for, never a secret or an assertion. */
function tokenLogBody(raw: string): Record<string, string | undefined> {
    const form = Object.fromEntries(new URLSearchParams(raw));
    return {
        grant_type: form.grant_type,
        client_id: form.client_id,
        box_subject_type: form.box_subject_type,
        box_subject_id: form.box_subject_id,
    };
}

/** The logged form of a request body: sanitized for the token endpoint, parsed JSON or raw text otherwise. */
function logBodyOf(path: string, raw: string): unknown {
    return path === "/oauth2/token" ? tokenLogBody(raw) : (safeJson(raw) ?? raw);
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

/** A JWT app for tests: an RSA key pair, the public key registered under `publicKeyId`, and Box's config JSON. */
export interface TestJwtApp {
    /** Register this with the emulator (`apps` option or `addApp`). */
    app: EmulatorApp;
    /** Box's app config JSON text, with the private key encrypted under `passphrase`. */
    configJson: string;
}

/** Creates a JWT app in Box's config-file format, with an encrypted PKCS#8 private key. */
export function createTestJwtApp(
    fields: {
        clientId?: string;
        clientSecret?: string;
        enterpriseId?: string;
        userIds?: string[];
        passphrase?: string;
    } = {},
): TestJwtApp {
    const passphrase = fields.passphrase ?? crypto.randomBytes(12).toString("hex");
    const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase },
    });
    const publicKeyId = crypto.randomBytes(4).toString("hex");
    const app: EmulatorApp = {
        clientId: fields.clientId ?? `jwt_${crypto.randomBytes(8).toString("hex")}`,
        clientSecret: fields.clientSecret ?? crypto.randomBytes(16).toString("hex"),
        enterpriseId: fields.enterpriseId ?? "900001",
        userIds: fields.userIds ?? [],
        publicKeys: { [publicKeyId]: publicKey },
    };
    const configJson = JSON.stringify(
        {
            boxAppSettings: {
                clientID: app.clientId,
                clientSecret: app.clientSecret,
                appAuth: { publicKeyID: publicKeyId, privateKey, passphrase },
            },
            enterpriseID: app.enterpriseId,
        },
        null,
        2,
    );
    return { app, configJson };
}
