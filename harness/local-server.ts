/**
 * Small servers on 127.0.0.1 that misbehave the way a real network can (a black hole, a trickle, an
 * echo), for tests and benchmarks. Each tracks its sockets so that `close()` ends even a connection
 * that would otherwise stay open forever.
 */
import * as http from "http";
import type { AddressInfo, Socket } from "net";

/** A running local server. */
export interface LocalServer {
    /** `http://127.0.0.1:<port>`. */
    baseUrl: string;
    /** How many requests arrived. */
    requests(): number;
    /** Destroys every open connection and stops listening. */
    close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1; `onClose` runs first when the server closes (to clear timers). */
export async function startLocalServer(
    handler: http.RequestListener,
    onClose: () => void = () => undefined,
): Promise<LocalServer> {
    const sockets = new Set<Socket>();
    let requests = 0;
    const server = http.createServer((req, res) => {
        requests++;
        handler(req, res);
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests: () => requests,
        close: () =>
            new Promise<void>((resolve) => {
                onClose();
                sockets.forEach((s) => s.destroy());
                server.close(() => resolve());
            }),
    };
}

/** Accepts connections and never answers: a dead API behind a live load balancer. */
export function startBlackHole(): Promise<LocalServer> {
    return startLocalServer(() => undefined);
}

/** Sends a 202's headers at once, then its body one byte every `everyMs`. */
export function startTrickle(everyMs = 500): Promise<LocalServer> {
    const timers = new Set<NodeJS.Timeout>();
    return startLocalServer(
        (_req, res) => {
            const body = JSON.stringify({ message: "Request is successful, please check the admin events" });
            res.writeHead(202, { "content-type": "application/json", "content-length": String(body.length) });
            let sent = 0;
            const timer = setInterval(() => {
                if (sent < body.length) res.write(body[sent++]);
            }, everyMs);
            timers.add(timer);
            res.on("close", () => clearInterval(timer));
        },
        () => timers.forEach(clearInterval),
    );
}

/** Resolves with `promise`, or rejects if it has not settled within `ms`: a hang becomes a failure. */
export async function within<T>(ms: number, promise: Promise<T>, what = "an answer"): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    });
    try {
        return await Promise.race([promise, late]);
    } finally {
        clearTimeout(timer);
    }
}
