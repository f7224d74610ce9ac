/**
 * How the emulator writes an answer: whole, framed by its length, with Box's request ID; and the
 * last resort when a handler fails.
 */
import type * as http from "http";
import type { Duplex } from "stream";
import { clientError, type Answer } from "./box-responses";

/** How long a connection we are closing may still deliver our answer before it is cut. */
const CLOSE_GRACE_MS = 100;

/**
 * Closes a connection we have answered and will not read from again. Cutting it at once could make
 * the kernel reset it and discard the answer before the client reads it; waiting for the client
 * could take forever. So: a short grace period, without holding the process open.
 */
export function closeSoon(socket: Duplex): void {
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

/** Writes a whole answer, framed by its length, and closes the connection after it when asked. */
export function send(res: http.ServerResponse, answer: Answer, requestId: string, close = false): void {
    res.writeHead(answer.status, {
        "content-type": answer.body.startsWith("{") ? "application/json" : "text/html",
        // Explicit, so the answer is never framed by chunking or by closing the connection.
        "content-length": String(Buffer.byteLength(answer.body)),
        "box-request-id": requestId,
        ...(close ? { connection: "close" } : {}),
        ...answer.headers,
    });
    res.end(answer.body);
    if (close) res.once("finish", () => closeSoon(res.socket ?? res.req.socket));
}

/** A header's value when it was given once. */
export function headerText(value: string | string[] | undefined): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** The last resort: a 500 `ClientError` if nothing was written yet, otherwise a cut connection. */
export function failClosed(res: http.ServerResponse, requestId: string): void {
    try {
        if (res.headersSent) throw new Error("answer already started");
        send(res, clientError(500, "Internal Server Error", requestId), requestId, true);
    } catch {
        // Half an answer would be worse than none: cut it so the client sees a network error.
        res.destroy();
    }
}
