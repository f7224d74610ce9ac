/**
 * Turning what arrives on the wire into inputs the handlers can trust to exist: a path that is
 * always a string (never a thrown `Invalid URL`), and a body that is read only up to a limit.
 */
import type * as http from "http";

/** The default request-body limit: 1 MiB, far above Box's largest real request and far below a memory problem. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request target's path, without query or fragment, as sent: no percent-decoding and no dot
 * segments resolved, so `/%zz` or `//:99999/` is simply a path that matches no route. Parsing with
 * `new URL(target, base)` is avoided on purpose: it throws on targets such as `//:99999/`, and it
 * rewrites paths a client did not send. An absolute-form target (`http://host/path`, as a proxy
 * would send) loses its scheme and authority, which also keeps any `user:password@` out of the log.
 */
export function requestPath(target: string | undefined): string {
    let path = target ?? "";
    const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(path);
    if (authority) path = path.slice(authority[0].length);
    const end = path.search(/[?#]/);
    if (end >= 0) path = path.slice(0, end);
    return path === "" ? "/" : path;
}

/** The query of a request target, without `?` or fragment (`""` when none). */
export function queryOf(target: string | undefined): string {
    const text = target ?? "";
    const start = text.indexOf("?");
    if (start < 0) return "";
    const end = text.indexOf("#", start);
    return text.slice(start + 1, end < 0 ? undefined : end);
}

/** What {@link readBody} got. */
export type BodyResult =
    | {
          /** The whole body arrived within the limit. */
          kind: "complete";
          /** The body as UTF-8 text (invalid bytes become U+FFFD; Box's endpoints take text only). */
          raw: string;
      }
    | {
          /** The body is (or declared itself) larger than the limit; reading stopped there. */
          kind: "too-large";
      }
    | {
          /** The client went away before the body ended: there is no one to answer. */
          kind: "aborted";
      };

/**
 * Reads a request body, stopping as soon as it exceeds `limitBytes` (or at once when
 * `content-length` already says it will), so a 20 MB upload costs about `limitBytes` of memory.
 * After `too-large` the stream is left paused; the caller answers and closes the connection.
 */
export function readBody(req: http.IncomingMessage, limitBytes: number): Promise<BodyResult> {
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let settled = false;
        function settle(result: BodyResult): void {
            if (settled) return;
            settled = true;
            req.removeListener("data", onData);
            resolve(result);
        }
        function onData(chunk: Buffer): void {
            size += chunk.length;
            if (size > limitBytes) {
                chunks.length = 0;
                req.pause();
                settle({ kind: "too-large" });
                return;
            }
            chunks.push(chunk);
        }
        const declared = Number(req.headers["content-length"]);
        if (Number.isFinite(declared) && declared > limitBytes) {
            req.pause();
            settle({ kind: "too-large" });
            return;
        }
        req.on("data", onData);
        req.on("end", () => settle({ kind: "complete", raw: Buffer.concat(chunks).toString("utf8") }));
        req.on("error", () => settle({ kind: "aborted" }));
        req.on("close", () => settle({ kind: "aborted" }));
    });
}
