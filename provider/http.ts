/**
 * The one place that performs HTTP. It returns every answer, whatever its status, as plain data, and
 * turns "no answer" into a {@link BoxNetworkError} built from sanitized parts. Axios errors carry the
 * whole request config, Authorization header included, so they never leave this function.
 */
import axios from "axios";
import { BoxNetworkError, type NetworkFailureKind } from "./errors";

/** A request, fully formed by the caller. */
export interface HttpRequest {
    /** HTTP method. */
    method: "POST" | "GET";
    /** Absolute URL. */
    url: string;
    /** Request headers, credentials included: they are sent and then forgotten. */
    headers: Record<string, string>;
    /** Body text, already serialized. */
    body?: string;
    /** Give up waiting for an answer after this long. */
    timeoutMs: number;
}

/** An HTTP answer of any status. */
export interface HttpResponse {
    /** HTTP status code. */
    status: number;
    /** Response headers, names lower-cased by Node. */
    headers: Record<string, unknown>;
    /** Body text, unparsed: Box's error pages are not always JSON. */
    body: string;
}

function classify(code: string | undefined, message: string): NetworkFailureKind {
    if (code === "ECONNABORTED" || code === "ETIMEDOUT" || /timeout/i.test(message)) return "timeout";
    if (code === "ECONNREFUSED") return "refused";
    if (code === "ECONNRESET" || code === "EPIPE" || /socket hang up|aborted/i.test(message))
        return "dropped";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
    return "other";
}

/** Where a request went, for messages: origin and path, never the query string. */
export function describeEndpoint(method: string, url: string): string {
    try {
        const u = new URL(url);
        return `${method} ${u.origin}${u.pathname}`;
    } catch {
        return `${method} (invalid URL)`;
    }
}

/** Sends one request. Resolves with any HTTP answer; rejects only with a {@link BoxNetworkError}. */
export async function sendHttp(request: HttpRequest): Promise<HttpResponse> {
    try {
        const response = await axios.request<string>({
            method: request.method,
            url: request.url,
            headers: request.headers,
            data: request.body,
            timeout: request.timeoutMs,
            // Every status is an answer for the retry policy to judge, not an exception.
            validateStatus: () => true,
            responseType: "text",
            transformResponse: [(data: unknown) => data],
            maxRedirects: 0,
            // Proxies from the environment would silently route credentials elsewhere.
            proxy: false,
        });
        return {
            status: response.status,
            headers: { ...(response.headers as Record<string, unknown>) },
            body: typeof response.data === "string" ? response.data : String(response.data ?? ""),
        };
    } catch (err) {
        const e = err as { code?: unknown; message?: unknown };
        const code = typeof e.code === "string" ? e.code : undefined;
        const message = typeof e.message === "string" ? e.message : "request failed";
        const kind = classify(code, message);
        const detail =
            kind === "timeout"
                ? `no answer within ${request.timeoutMs} ms`
                : `${message}${code && !message.includes(code) ? ` (${code})` : ""}`;
        throw new BoxNetworkError({
            kind,
            endpoint: describeEndpoint(request.method, request.url),
            errorCode: code,
            detail,
        });
    }
}
