/**
 * The one place that performs HTTP. It returns every answer, whatever its status, as plain data, and
 * turns "no answer" into a {@link BoxNetworkError} built from sanitized parts. Axios errors carry the
 * whole request config, Authorization header included, so they never leave this function.
 *
 * Each attempt is bounded as a whole, in time and in size: one timer covers connecting, the headers
 * and the body (axios' own `timeout` restarts whenever a byte arrives, so a body trickling in one
 * byte at a time would hold `pulumi up` indefinitely), and at most {@link MAX_BODY_BYTES} of a body
 * are read. Once the status line has arrived it is the answer, even if the body is then cut short.
 */
import type { Readable } from "stream";
import axios from "axios";
import { HttpsProxyAgent } from "https-proxy-agent";
import type { ProxySettings } from "./proxy";
import { BoxNetworkError, type NetworkFailureKind } from "./errors";
import { printable } from "./safe-text";

/**
 * The most body bytes read from any answer. Box's answers to these calls are a few hundred bytes;
 * 64 KiB keeps any real error page whole while a runaway or hostile answer costs nothing.
 */
export const MAX_BODY_BYTES = 64 * 1024;

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
    /** The whole attempt (connect, headers and body) ends after this long. */
    timeoutMs: number;
    /**
     * What set `timeoutMs` when it is not `box:timeoutSeconds` (the rest of the operation's
     * deadline), so that a timeout is explained in the terms the user can change.
     */
    timeoutCause?: string;
    /** The most body bytes read (default {@link MAX_BODY_BYTES}); a longer body is cut and marked. */
    maxBodyBytes?: number;
    /** The HTTPS proxy to tunnel through (proxy.ts); only for `https:` URLs. */
    proxy?: ProxySettings;
}

/** Why a body was not read to its end; the status still stands. */
export type BodyCut = "size" | "time" | "connection";

/** An HTTP answer of any status. */
export interface HttpResponse {
    /** HTTP status code. */
    status: number;
    /** Response headers, names lower-cased by Node. */
    headers: Record<string, unknown>;
    /** Body text, unparsed (Box's error pages are not always JSON), at most {@link MAX_BODY_BYTES}. */
    body: string;
    /** Set when the body is incomplete: too large, too slow, or the connection ended early. */
    bodyCut?: BodyCut;
}

/** Node's codes for a certificate it does not trust. */
const CERTIFICATE_CODES: readonly string[] = [
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
];

function classify(code: string | undefined, message: string): NetworkFailureKind {
    if (code === "ECONNABORTED" || code === "ETIMEDOUT" || /timeout/i.test(message)) return "timeout";
    if (code === "ECONNREFUSED") return "refused";
    if (code === "ECONNRESET" || code === "EPIPE" || /socket hang up|aborted/i.test(message))
        return "dropped";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
    if (code !== undefined && (CERTIFICATE_CODES.includes(code) || /CERT/.test(code))) return "certificate";
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

/**
 * Reads at most `limit` bytes of `stream`, stopping early (without error) when the limit is passed,
 * the signal aborts, or the connection ends; says which.
 */
export function readLimited(
    stream: Readable,
    limit: number,
    signal: AbortSignal,
): Promise<{ body: string; cut?: BodyCut }> {
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        const finish = (cut?: BodyCut): void => {
            if (done) return;
            done = true;
            if (cut) stream.destroy();
            const body = Buffer.concat(chunks).subarray(0, limit).toString("utf8");
            resolve(cut ? { body, cut } : { body });
        };
        // Errors after `finish` (a destroyed stream may still emit one) must not go unhandled.
        stream.on("error", () => finish(signal.aborted ? "time" : "connection"));
        if (signal.aborted) return finish("time");
        // The signal belongs to this one request, so the listener needs no removal.
        signal.addEventListener("abort", () => finish("time"), { once: true });
        stream.on("data", (chunk: Buffer | string) => {
            if (done) return;
            const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
            chunks.push(buffer);
            size += buffer.length;
            if (size > limit) finish("size");
        });
        stream.on("end", () => finish());
        stream.on("close", () => finish(signal.aborted ? "time" : "connection"));
    });
}

/** A CONNECT tunnel through the proxy; refuses a plain-http target, which the proxy would read. */
function tunnelTo(proxy: ProxySettings, url: string, signal: AbortSignal): HttpsProxyAgent<string> {
    if (!url.startsWith("https:")) throw new Error("a proxy is used only for https: origins");
    // The proxy's credentials travel as a header, not in the URL the agent keeps (and prints under DEBUG).
    const parsed = new URL(proxy.url);
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    parsed.username = "";
    parsed.password = "";
    const headers: Record<string, string> =
        user || password
            ? { "Proxy-Authorization": `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` }
            : {};
    // `signal` reaches the proxy socket (net.connect passes it to the Socket): an attempt that ends
    // while the proxy is still answering CONNECT closes that socket instead of leaving it reading.
    const options = { keepAlive: false, headers, signal } as ConstructorParameters<typeof HttpsProxyAgent>[1];
    return new HttpsProxyAgent(parsed.href, options);
}

/** Sends one request. Resolves with any HTTP answer; rejects only with a {@link BoxNetworkError}. */
export async function sendHttp(request: HttpRequest): Promise<HttpResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
        let response;
        // A proxy that refuses the tunnel answers in Box's place (the agent replays its answer): tell them apart.
        let refusal: { statusCode: number; statusText: string } | undefined;
        const agent = request.proxy ? tunnelTo(request.proxy, request.url, controller.signal) : undefined;
        agent?.on("proxyConnect", (connect: { statusCode: number; statusText: string }) => {
            if (connect.statusCode !== 200) refusal = connect;
        });
        try {
            response = await axios.request<Readable>({
                method: request.method,
                url: request.url,
                headers: request.headers,
                data: request.body,
                // The timer above bounds the whole attempt; axios' idle timeout would not.
                signal: controller.signal,
                // Every status is an answer for the retry policy to judge, not an exception.
                validateStatus: () => true,
                responseType: "stream",
                maxRedirects: 0,
                // Never axios' own proxy mode, which would hand the request, token included, to the
                // proxy in clear: a CONNECT tunnel keeps TLS end to end to Box (proxy.ts).
                proxy: false,
                ...(agent ? { httpsAgent: agent } : {}),
            });
        } catch (err) {
            throw networkError(err, request, controller.signal.aborted);
        }
        const { body, cut } = await readLimited(
            response.data,
            request.maxBodyBytes ?? MAX_BODY_BYTES,
            controller.signal,
        );
        if (refusal) throw proxyRefusal(request, refusal.statusCode, refusal.statusText);
        const answer: HttpResponse = {
            status: response.status,
            headers: { ...(response.headers as Record<string, unknown>) },
            body,
        };
        if (cut) answer.bodyCut = cut;
        return answer;
    } finally {
        clearTimeout(timer);
        // Frees the socket when the body was cut short; a no-op once the answer was read whole.
        controller.abort();
    }
}

/** `host:port` as CONNECT names it. */
function hostPort(url: string): string {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
}

/** The proxy's own refusal of a tunnel (its 403, 407, 502, ...): not an answer from Box. */
function proxyRefusal(request: HttpRequest, status: number, text: string): BoxNetworkError {
    const auth =
        status === 407
            ? ": it asks for credentials; give them in the proxy URL as http://user:password@host:port"
            : "";
    return new BoxNetworkError({
        kind: "other",
        endpoint: describeEndpoint(request.method, request.url),
        detail: `the proxy from ${request.proxy?.source} refused the tunnel to ${hostPort(request.url)} with HTTP ${status} ${printable(text).slice(0, 100)}${auth}`,
    });
}

function networkError(err: unknown, request: HttpRequest, timedOut: boolean): BoxNetworkError {
    const e = err as { code?: unknown; message?: unknown };
    const code = timedOut ? undefined : typeof e.code === "string" ? e.code : undefined;
    const message = typeof e.message === "string" ? e.message : "request failed";
    const kind = timedOut ? "timeout" : classify(code, message);
    const detail =
        kind === "timeout"
            ? `no answer within ${request.timeoutMs} ms${request.timeoutCause ? ` (${request.timeoutCause})` : ""}`
            : `${message}${code && !message.includes(code) ? ` (${code})` : ""}`;
    // A CA the process does not trust (a corporate TLS-inspecting proxy, a test origin): say how to trust it.
    const trust =
        code !== undefined && CERTIFICATE_CODES.includes(code)
            ? "; to trust a corporate or test CA, point NODE_EXTRA_CA_CERTS at its certificate file"
            : "";
    // The agent's own messages can quote the proxy URL, which may hold the proxy's password.
    const via = request.proxy ? ` (through the proxy from ${request.proxy.source})` : "";
    return new BoxNetworkError({
        kind,
        endpoint: describeEndpoint(request.method, request.url),
        errorCode: code,
        detail: `${request.proxy ? detail.split(request.proxy.url).join("[proxy URL]") : detail}${trust}${via}`,
    });
}
