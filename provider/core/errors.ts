/**
 * The errors this package throws. Each carries what an operator needs to act (HTTP status, Box code,
 * request ID, help URL) and nothing they must not see: no error here keeps a request, its headers or
 * a token, because Pulumi prints error messages and the host logs whole error objects.
 */
import { printable } from "./safe-text";

/** The JSON error body Box returns (`ClientError` in Box's spec). */
export interface BoxErrorBody {
    /** Always `"error"`. */
    type?: string;
    /** The HTTP status, repeated. */
    status?: number;
    /** Box's machine-readable code, e.g. `access_denied_insufficient_permissions`. */
    code?: string;
    /** Box's human-readable explanation. */
    message?: string;
    /** Extra detail Box attaches to some errors (which field was wrong, for instance). */
    context_info?: Record<string, unknown>;
    /** A link to Box's documentation of this error. */
    help_url?: string;
    /** Box's ID for this request; quote it to Box support. */
    request_id?: string;
}

/**
 * Sets `message` and `name` on an error explicitly. Pulumi's closure serializer turns `class X extends
 * Error` into a function that calls `Error.call(this, message)`, which sets nothing on `this`: without
 * this, every error thrown by the serialized provider reaches `pulumi up` with an empty message.
 */
function initError(error: Error, name: string, message: string): void {
    error.name = name;
    error.message = message;
}

/** An identifier from Box's answer (a code, a request ID): only the characters such identifiers use. */
function boxToken(value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    const clean = String(value)
        .replace(/[^A-Za-z0-9_.:-]/g, "")
        .slice(0, 100);
    return clean === "" ? undefined : clean;
}

/**
 * The base of every error this package throws: what an operator acts on, as fields a program or test
 * can read as well as in the message. A program sees provider errors only as the text `pulumi up`
 * prints; these fields are for tests, the native provider and code that calls the client directly.
 */
export class BoxError extends Error {
    /** HTTP status of the answer behind the error, when there was one. */
    readonly status?: number;
    /** Box's error code (or the OAuth endpoint's), when it gave one. */
    readonly code?: string;
    /** Box's request ID of the answer behind the error: quote it to Box support. */
    readonly requestId?: string;

    /** Sets name and message (see {@link initError}) and whichever of status, code and request ID are known. */
    constructor(
        name: string,
        message: string,
        fields: { status?: number; code?: string; requestId?: string } = {},
    ) {
        super(message);
        initError(this, name, message);
        if (fields.status !== undefined) this.status = fields.status;
        if (fields.code !== undefined) this.code = fields.code;
        if (fields.requestId !== undefined) this.requestId = fields.requestId;
    }

    /**
     * Only the diagnostic fields: safe to log or store. It also gives the class a method: a class
     * copied by value without one loses its prototype chain, and the error would no longer be an
     * `Error` in the provider host.
     */
    toJSON(): Record<string, unknown> {
        return {
            name: this.name,
            message: this.message,
            status: this.status,
            code: this.code,
            requestId: this.requestId,
        };
    }
}

/**
 * The status, code and request ID an error carries, if it is one of ours. Read by shape, not
 * `instanceof`: an error from another copy of this package (a vendored one) carries them too.
 */
export function boxFields(err: unknown): { status?: number; code?: string; requestId?: string } {
    if (!err || typeof err !== "object") return {};
    const { status, code, requestId } = err as Record<string, unknown>;
    return {
        ...(typeof status === "number" ? { status } : {}),
        ...(typeof code === "string" ? { code } : {}),
        ...(typeof requestId === "string" ? { requestId } : {}),
    };
}

/** A non-2xx answer from Box's API. */
export class BoxApiError extends BoxError {
    /** HTTP status of Box's answer (always set: {@link BoxError} sets it). */
    declare readonly status: number;
    /** Box's own message, before this package added context. */
    readonly boxMessage?: string;
    /** Box's documentation link for this error. */
    readonly helpUrl?: string;
    /** Box's `context_info`, as sent. */
    readonly contextInfo?: Record<string, unknown>;
    /** The endpoint that answered, as `POST /2.0/users/terminate_sessions` (never a query or header). */
    readonly endpoint: string;

    /** Builds the error from Box's answer; `detail` replaces a missing Box message (e.g. an HTML body). */
    constructor(fields: {
        status: number;
        endpoint: string;
        body?: BoxErrorBody;
        requestId?: string;
        detail?: string;
        hint?: string;
    }) {
        const body = fields.body ?? {};
        const requestId = boxToken(body.request_id ?? fields.requestId);
        const code = boxToken(body.code);
        const text = printable(body.message ?? fields.detail ?? "no error message in Box's answer");
        const id = requestId ? ` (request ID ${requestId})` : "";
        const hint = fields.hint ? ` ${fields.hint}` : "";
        const message = `Box API ${fields.status}${code ? ` ${code}` : ""}: ${text}${id} [${fields.endpoint}]${hint}`;
        super("BoxApiError", message, { status: fields.status, code, requestId });
        this.boxMessage = text;
        this.helpUrl = body.help_url;
        this.contextInfo = body.context_info;
        this.endpoint = fields.endpoint;
    }

    /** Only the diagnostic fields: safe to log or store. */
    toJSON(): Record<string, unknown> {
        return {
            name: this.name,
            message: this.message,
            status: this.status,
            code: this.code,
            requestId: this.requestId,
            helpUrl: this.helpUrl,
            contextInfo: this.contextInfo,
            endpoint: this.endpoint,
        };
    }
}

/**
 * Why a request got no HTTP answer at all. `certificate`: TLS refused the origin's certificate, which
 * no retry changes.
 */
export type NetworkFailureKind = "timeout" | "refused" | "dropped" | "dns" | "certificate" | "other";

/** A request that got no HTTP answer: timeout, refused or dropped connection, unknown host. */
export class BoxNetworkError extends BoxError {
    /** What went wrong, for retry decisions. */
    readonly kind: NetworkFailureKind;
    /** The system error code, such as `ECONNRESET`, when there was one. */
    readonly errorCode?: string;
    /** The endpoint that failed, as `POST https://api.box.com/2.0/users/terminate_sessions`. */
    readonly endpoint: string;
    /** What failed, without the endpoint: "no answer within 30000 ms", "socket hang up". */
    readonly detail: string;

    /** Builds the error from already-sanitized parts; never pass a raw axios error here. */
    constructor(fields: { kind: NetworkFailureKind; endpoint: string; errorCode?: string; detail: string }) {
        const message = `Network error calling Box (${fields.kind}) at ${fields.endpoint}: ${fields.detail}`;
        super("BoxNetworkError", message);
        this.detail = fields.detail;
        this.kind = fields.kind;
        this.errorCode = fields.errorCode;
        this.endpoint = fields.endpoint;
    }

    /** Only the diagnostic fields: safe to log or store. */
    toJSON(): Record<string, unknown> {
        return {
            name: this.name,
            message: this.message,
            kind: this.kind,
            errorCode: this.errorCode,
            endpoint: this.endpoint,
        };
    }
}

/** Box's token endpoint refused to issue a token (`{"error", "error_description"}`). */
export class BoxOAuthError extends BoxError {
    /** The OAuth error code, e.g. `invalid_grant`. */
    readonly error: string;
    /** Box's description of the problem. */
    readonly description?: string;
    /** HTTP status of the token endpoint's answer (0 when no request was made, e.g. an unreadable key). */
    declare readonly status: number;
    /** The token endpoint, as `POST https://api.box.com/oauth2/token`, when a request was made. */
    readonly endpoint?: string;

    /**
     * Builds the error; `hint` says what usually causes this code. `endpoint` is named at the end, so
     * a token failure is never mistaken for a failure of the API call that needed the token.
     */
    constructor(fields: {
        status: number;
        error: string;
        description?: string;
        hint?: string;
        endpoint?: string;
    }) {
        const desc = fields.description ? `: ${printable(fields.description)}` : "";
        const at = fields.endpoint ? ` [${fields.endpoint}]` : "";
        const message = `Box OAuth error ${printable(fields.error)}${desc} (HTTP ${fields.status}).${fields.hint ? ` ${fields.hint}` : ""}${at}`;
        super("BoxOAuthError", message, { status: fields.status, code: fields.error });
        this.error = fields.error;
        this.description = fields.description;
        this.endpoint = fields.endpoint;
    }

    /** Only the diagnostic fields: safe to log or store. */
    toJSON(): Record<string, unknown> {
        return {
            name: this.name,
            message: this.message,
            error: this.error,
            status: this.status,
            endpoint: this.endpoint,
        };
    }
}

/**
 * An operation stopped because its deadline (`box:deadlineSeconds`) would pass before the next wait
 * or attempt could end: most often Box asked, in `retry-after`, for a longer wait than is left.
 */
export class BoxDeadlineError extends BoxError {
    /** Why it stopped, e.g. "Box asked to wait 86400 s (retry-after: 86400) but the deadline box:deadlineSeconds=300 ends in 299.9 s". */
    readonly reason: string;
    /** The endpoint whose request was given up, as `POST https://api.box.com/2.0/users/terminate_sessions`. */
    readonly endpoint: string;
    /** Attempts made before giving up (0 when the wait came before the first one). */
    readonly attempts: number;
    /** The last answer (or network failure) that attempt got, as its own error would have said it. */
    readonly lastAnswer?: string;

    /** Builds the error from already-sanitized parts. */
    constructor(fields: { reason: string; endpoint: string; attempts: number; lastAnswer?: string }) {
        const tries = `${fields.attempts} attempt${fields.attempts === 1 ? "" : "s"}`;
        const last = fields.lastAnswer ? ` Last answer: ${fields.lastAnswer}` : "";
        const message =
            `${fields.reason}: gave up on ${fields.endpoint} after ${tries}.${last}` +
            `${/[.!?]$/.test(last) || !last ? "" : "."} ` +
            "Run `pulumi up` again later, or raise box:deadlineSeconds / BOX_DEADLINE_SECONDS.";
        super("BoxDeadlineError", message);
        this.reason = fields.reason;
        this.endpoint = fields.endpoint;
        this.attempts = fields.attempts;
        this.lastAnswer = fields.lastAnswer;
    }

    /** Only the diagnostic fields: safe to log or store. */
    toJSON(): Record<string, unknown> {
        return {
            name: this.name,
            message: this.message,
            reason: this.reason,
            endpoint: this.endpoint,
            attempts: this.attempts,
        };
    }
}

/** Settings that are missing, incomplete or malformed; the message names the config key and env var. */
export class BoxSettingsError extends BoxError {
    /** Builds the error with a message that already names the keys involved. */
    constructor(message: string) {
        super("BoxSettingsError", message);
    }

    /**
     * Only the name and message. Every subclass needs a method of its own: Pulumi's closure serializer
     * drops the prototype chain of a class without one, and the error would no longer be an `Error`
     * in the provider host (it would reach `pulumi up` as "[object Object]").
     */
    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message };
    }
}
