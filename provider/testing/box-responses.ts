/**
 * The shapes of the emulator's answers, so that every failure a client can meet looks like Box's:
 * the API's `ClientError` body, the token endpoint's OAuth error body, and the request ID that both
 * the body and the `box-request-id` header carry.
 */
import * as crypto from "crypto";
import * as http from "http";

/** One answer, decided before anything is written, so a handler never half-writes a response. */
export interface Answer {
    /** HTTP status. */
    status: number;
    /** Response body text. Starts with `{` for JSON; anything else is sent as `text/html` (a fault's error page). */
    body: string;
    /** Extra headers (a fault's `retry-after`, a 401's `www-authenticate`); they override the defaults. */
    headers?: Record<string, string>;
    /** The label of the credential that authenticated the request, for the log; never the credential. */
    token?: string;
}

/** A fresh request ID: 16 hex characters, like Box's. */
export function newRequestId(): string {
    return crypto.randomBytes(8).toString("hex");
}

/** Box's error `code` for the statuses the emulator answers; a Map so no status can hit a prototype member. */
const ERROR_CODES = new Map<number, string>([
    [400, "bad_request"],
    [401, "unauthorized"],
    [403, "access_denied_insufficient_permissions"],
    [404, "not_found"],
    [405, "method_not_allowed"],
    [408, "request_timeout"],
    [409, "conflict"],
    [413, "request_entity_too_large"],
    [417, "expectation_failed"],
    [429, "rate_limit_exceeded"],
    [431, "request_header_fields_too_large"],
    [500, "internal_server_error"],
    [502, "bad_gateway"],
    [503, "unavailable"],
]);

/** Box's `code` for a status, or `"error"` for one Box documents no code for. */
function errorCodeFor(status: number): string {
    return ERROR_CODES.get(status) ?? "error";
}

/** Box's `ClientError` JSON text: `{type: "error", status, code, message, [context_info], help_url, request_id}`. */
function clientErrorBody(
    status: number,
    code: string,
    message: string,
    requestId: string,
    contextInfo?: Record<string, unknown>,
): string {
    return JSON.stringify({
        type: "error",
        status,
        code,
        message,
        ...(contextInfo ? { context_info: contextInfo } : {}),
        help_url: "http://developers.box.com/docs/#errors",
        request_id: requestId,
    });
}

/** A `ClientError` answer; the code defaults to Box's code for the status. */
export function clientError(
    status: number,
    message: string,
    requestId: string,
    extra: { code?: string; contextInfo?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Answer {
    return {
        status,
        body: clientErrorBody(
            status,
            extra.code ?? errorCodeFor(status),
            message,
            requestId,
            extra.contextInfo,
        ),
        headers: extra.headers,
    };
}

/** The token endpoint's error: Box answers OAuth's `{error, error_description}` there, not a `ClientError`. */
export function oauthError(status: number, error: string, description: string): Answer {
    return { status, body: JSON.stringify({ error, error_description: description }) };
}

/**
 * A complete HTTP/1.1 response carrying a `ClientError`, as raw bytes. Used where Node hands over a
 * bare socket (a request it could not parse, CONNECT), so there is no `ServerResponse` to write to.
 */
export function rawClientErrorResponse(status: number, message: string): string {
    const id = newRequestId();
    const body = clientErrorBody(status, errorCodeFor(status), message, id);
    return [
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}`,
        "content-type: application/json",
        `content-length: ${Buffer.byteLength(body)}`,
        `box-request-id: ${id}`,
        "connection: close",
        "",
        body,
    ].join("\r\n");
}
