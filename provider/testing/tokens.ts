/**
 * Credentials, as Box's token endpoint and API treat them: static (developer-style) tokens, tokens
 * issued for Client Credentials Grant and for JWT (with the assertion's signature and claims
 * verified), bearer authentication, and expiry. Every lookup keyed by request input goes through a
 * `Map` or an own-property check, so a `kid` of `constructor` is just an unknown key ID.
 */
import * as crypto from "crypto";
import { oauthError, type Answer } from "./box-responses";
import { isRecord, ownValue, parseJson } from "./json";

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
    /** JWT public keys by key ID (`kid`), as PEM. Only own keys count: `constructor` is never a key ID. */
    publicKeys?: Record<string, string>;
}

/** Settings for {@link TokenService}. */
export interface TokenServiceOptions {
    /** Static tokens, accepted until the emulator stops; labelled `static#1`, `static#2`, ... */
    accessTokens: string[];
    /** Apps that may obtain tokens. */
    apps: EmulatorApp[];
    /** Lifetime of issued tokens, in seconds. */
    ttlSeconds: number;
}

/** What the token endpoint answered, and what the log may keep of the request. */
export interface TokenExchange {
    /** The answer: a token, or OAuth's `{error, error_description}`. */
    answer: Answer;
    /** Which grant and subject were asked for; never a secret or an assertion. */
    logBody: Record<string, string | undefined>;
}

interface IssuedToken {
    /** Printable label for the log. */
    label: string;
    /** When it stops being accepted. */
    expiresAtMs: number;
}

/** The token endpoint's path: OAuth's endpoint, outside `/2.0`, as on `api.box.com`. */
export const TOKEN_PATH = "/oauth2/token";

/** What Box requires of a JWT assertion's `aud`: its token URL, whichever origin the request reached. */
const BOX_TOKEN_AUDIENCE = "https://api.box.com/oauth2/token";

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** The signature algorithms Box accepts for an assertion, and the hash each uses. */
const JWT_HASHES = new Map([
    ["RS256", "sha256"],
    ["RS384", "sha384"],
    ["RS512", "sha512"],
]);

/** `Authorization: Bearer <token>`; the scheme is case-insensitive, as HTTP says. */
const BEARER = /^[ \t]*bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * What the log keeps of a token request: which grant and subject were asked for. An allow-list,
 * so no field a client adds (a secret, an assertion, a password) can ever reach the log.
 */
function tokenLogBody(form: URLSearchParams): Record<string, string | undefined> {
    return {
        grant_type: form.get("grant_type") ?? undefined,
        client_id: form.get("client_id") ?? undefined,
        box_subject_type: form.get("box_subject_type") ?? undefined,
        box_subject_id: form.get("box_subject_id") ?? undefined,
    };
}

function decodeJwtPart(part: string): Record<string, unknown> | undefined {
    const parsed = parseJson(Buffer.from(part, "base64url").toString("utf8"));
    return parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
}

/** Issues and checks tokens. */
export class TokenService {
    private readonly staticTokens = new Map<string, string>();
    private readonly issued = new Map<string, IssuedToken>();
    private readonly apps = new Map<string, EmulatorApp>();
    /** JWT IDs already used: Box refuses a replayed assertion. */
    private readonly usedJti = new Set<string>();

    constructor(private readonly options: TokenServiceOptions) {
        options.accessTokens.forEach((token, i) => this.staticTokens.set(token, `static#${i + 1}`));
        for (const app of options.apps) this.addApp(app);
    }

    /** Registers (or replaces) an app. */
    addApp(app: EmulatorApp): void {
        this.apps.set(app.clientId, app);
    }

    /** Every credential this service knows: static and issued tokens, apps' client secrets. */
    knownSecrets(): string[] {
        return [
            ...this.staticTokens.keys(),
            ...this.issued.keys(),
            ...[...this.apps.values()].map((app) => app.clientSecret),
        ];
    }

    /** Makes every issued token (not static ones) expire now, as if an hour had passed. */
    expireIssued(): void {
        for (const entry of this.issued.values()) entry.expiresAtMs = 0;
    }

    /** The label of the valid token an `Authorization` header carries, or `undefined` for none. */
    authenticate(header: string | undefined): string | undefined {
        const token = BEARER.exec(header ?? "")?.[1];
        if (token === undefined) return undefined;
        const label = this.staticTokens.get(token);
        if (label) return label;
        const entry = this.issued.get(token);
        return entry && entry.expiresAtMs > Date.now() ? entry.label : undefined;
    }

    /** `POST /oauth2/token`: form-encoded Client Credentials Grant or JWT bearer grant. */
    exchange(contentType: string, raw: string): TokenExchange {
        const form = new URLSearchParams(raw);
        const logBody = tokenLogBody(form);
        const fail = (error: string, description: string): TokenExchange => ({
            answer: oauthError(400, error, description),
            logBody,
        });
        if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
            return fail("invalid_request", "Invalid grant_type parameter or parameter missing");
        }
        const app = this.apps.get(form.get("client_id") ?? "");
        if (!app || app.clientSecret !== form.get("client_secret")) {
            return fail("invalid_client", "The client credentials are invalid");
        }
        const grant = form.get("grant_type");
        if (grant === "client_credentials") {
            const type = form.get("box_subject_type");
            const id = form.get("box_subject_id");
            if (!this.subjectAllowed(app, type, id))
                return fail("invalid_grant", "Grant credentials are invalid");
            return { answer: this.issue(`ccg:${type}:${id}`), logBody };
        }
        if (grant === JWT_BEARER) {
            const verified = this.verifyAssertion(app, form.get("assertion") ?? "");
            if (typeof verified === "string") return fail("invalid_grant", verified);
            return {
                answer: this.issue(`jwt:${verified.type}:${verified.id}`),
                logBody: { ...logBody, box_subject_type: verified.type, box_subject_id: verified.id },
            };
        }
        return fail("unsupported_grant_type", "Invalid grant_type parameter or parameter missing");
    }

    private issue(label: string): Answer {
        const token = `emu_at_${crypto.randomBytes(16).toString("hex")}`;
        const ttlMs = this.options.ttlSeconds * 1000;
        this.issued.set(token, { label, expiresAtMs: Date.now() + ttlMs });
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
    }

    private subjectAllowed(app: EmulatorApp, type: unknown, id: unknown): boolean {
        if (typeof id !== "string") return false;
        return (
            (type === "enterprise" && id === app.enterpriseId) ||
            (type === "user" && (app.userIds ?? []).includes(id))
        );
    }

    /** Box's checks of a JWT assertion, in Box's order; a string is the `error_description` of the failure. */
    private verifyAssertion(app: EmulatorApp, assertion: string): string | { type: string; id: string } {
        const parts = assertion.split(".");
        if (parts.length !== 3) return "Invalid JWT assertion";
        const header = decodeJwtPart(parts[0]);
        const claims = decodeJwtPart(parts[1]);
        if (!header || !claims) return "Invalid JWT assertion";
        const alg = ownValue(header, "alg");
        const hash = typeof alg === "string" ? JWT_HASHES.get(alg) : undefined;
        if (!hash) return "Please check the 'alg' header: RS256, RS384 or RS512";
        const kid = ownValue(header, "kid");
        const pem = typeof kid === "string" && app.publicKeys ? ownValue(app.publicKeys, kid) : undefined;
        if (typeof pem !== "string") return "OpenSSL unable to verify data: unknown public key ID (kid)";
        let valid: boolean;
        try {
            valid = crypto.verify(
                hash,
                Buffer.from(`${parts[0]}.${parts[1]}`),
                pem,
                Buffer.from(parts[2], "base64url"),
            );
        } catch {
            // A key that cannot be read is as good as a wrong one; the request fails, the emulator does not.
            valid = false;
        }
        if (!valid) return "OpenSSL unable to verify data: signature does not match the public key";
        if (ownValue(claims, "iss") !== app.clientId) return "Please check the 'iss' claim.";
        // Box wants its own token URL here, whatever origin (a proxy, a gateway) the request came through.
        if (ownValue(claims, "aud") !== BOX_TOKEN_AUDIENCE) return "Please check the 'aud' claim.";
        const type = ownValue(claims, "box_sub_type");
        const id = ownValue(claims, "sub");
        if (typeof type !== "string" || typeof id !== "string" || !this.subjectAllowed(app, type, id)) {
            return "Please check the 'sub' claim.";
        }
        const jti = ownValue(claims, "jti");
        if (typeof jti !== "string" || jti.length < 16 || jti.length > 128 || this.usedJti.has(jti)) {
            return "Please check the 'jti' claim.";
        }
        const exp = ownValue(claims, "exp");
        const nowSeconds = Date.now() / 1000;
        if (typeof exp !== "number" || exp <= nowSeconds || exp - nowSeconds > 60) {
            return "Please check the 'exp' claim. The 'exp' value must be within 60 seconds of the current time.";
        }
        this.usedJti.add(jti);
        return { type, id };
    }
}
