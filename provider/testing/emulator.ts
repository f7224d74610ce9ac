/**
 * A local Box for tests and demos: the two session-termination endpoints and the token endpoint,
 * behaving the way Box's published spec and docs say, on 127.0.0.1 only.
 *
 * This file is the server wiring: it reads each request within a size limit, applies a scripted
 * fault or routes it, records it, and writes the answer. Whatever arrives, the emulator answers with
 * a Box-shaped error rather than crashing or leaving Node's bare defaults: a request Node cannot
 * parse, `CONNECT`, an unknown `Expect`, an oversized body and an exception in a handler all get a
 * `ClientError` body and a `box-request-id` header. The concerns live next door: `routes.ts` and
 * `terminate.ts` (the endpoints), `tokens.ts` (CCG, JWT, bearer checks), `faults.ts` (scripted faults
 * and the rate limit), `directory.ts` (who exists), `recording.ts` (the scrubbed log).
 */
import * as crypto from "crypto";
import * as http from "http";
import * as https from "https";
import type { AddressInfo, Socket } from "net";
import type { Duplex } from "stream";
import { closeSoon, failClosed, headerText, send } from "./answer";
import { clientError, newRequestId, rawClientErrorResponse, type Answer } from "./box-responses";
import { Directory, type EmulatorDirectory } from "./directory";
import { FaultQueue, RateLimiter, scriptedAnswer, type Fault } from "./faults";
import { isRecord } from "./json";
import { RequestLog, type AcceptedTermination, type RecordedRequest, type LogLimits } from "./recording";
import { recordedValue } from "./scrub";
import { DEFAULT_MAX_BODY_BYTES, queryOf, readBody, requestPath } from "./request-input";
import { route, type RouteContext } from "./routes";
import { TokenService, type EmulatorApp } from "./tokens";

// Re-exported so that code importing from "./emulator" before the split keeps working.
export { ACCEPTED_MESSAGE } from "./terminate";
export { createTestJwtApp, type TestJwtApp } from "./test-jwt-app";
export type { AcceptedTermination, EmulatorApp, EmulatorDirectory, Fault, RecordedRequest };

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
    /**
     * Who exists in the enterprise. Unset (the default), every ID and login is accepted. Set, a
     * termination naming anyone not listed is answered 404 as a whole; see {@link EmulatorDirectory}.
     * A matching scripted fault still takes precedence over it.
     */
    directory?: EmulatorDirectory;
    /**
     * Largest request body read, in bytes (default 1 MiB). A larger one is answered 413 with a
     * `ClientError` as soon as it exceeds this (or at once, from `content-length`), reading stops
     * and the connection is closed. It is recorded with status 413 and a placeholder for the body;
     * it consumes no fault, as it never reaches the point where one would apply.
     */
    maxBodyBytes?: number;
    /**
     * Serve HTTPS with this key and certificate (PEM) instead of plain HTTP, e.g. to test a proxy or
     * a corporate CA: the client must trust the certificate's issuer (`NODE_EXTRA_CA_CERTS`).
     */
    tls?: { key: string; cert: string };
    /** How much of the request log `requests` keeps: the latest 10,000 requests, bodies up to 256 KiB each. */
    log?: LogLimits;
}

/** A running emulator. */
export interface BoxEmulator {
    /** `http://127.0.0.1:<port>` (`https:` with `tls`), to use as `box:baseUrl` / `BOX_BASE_URL`. */
    readonly baseUrl: string;
    /** A valid static access token. */
    readonly accessToken: string;
    /** Every request received, in arrival order, scrubbed of credentials (see {@link RecordedRequest}). */
    readonly requests: RecordedRequest[];
    /** Session terminations Box accepted, in order: what a demo or test shows as "Box received". */
    accepted(): AcceptedTermination[];
    /** Queues faults for the next matching requests, in order. */
    enqueue(...faults: Fault[]): void;
    /** Sets or clears the rate limit. */
    setRateLimit(perSecond: number | undefined): void;
    /**
     * Replaces the directory from the next request on (`undefined`: everyone exists again). The
     * lists are copied: changing the arrays afterwards has no effect until this is called again.
     */
    setDirectory(directory: EmulatorDirectory | undefined): void;
    /** Registers another app. */
    addApp(app: EmulatorApp): void;
    /** Makes every issued token (not static ones) expire now, as if an hour had passed. */
    expireIssuedTokens(): void;
    /**
     * Every credential the emulator knows (its static tokens, the tokens it issued, its apps' client
     * secrets): what a leak scan of your program's state and logs should look for. Never recorded.
     */
    knownSecrets(): string[];
    /** Forgets recorded requests. */
    clearRequests(): void;
    /** Stops listening and closes open connections. */
    close(): Promise<void>;
}

/** Everything a request handler reads or changes. */
interface ServerState extends RouteContext {
    /** Faults waiting for their request. */
    faults: FaultQueue;
    /** The scrubbed request log behind `box.requests`. */
    log: RequestLog;
    /** The `maxBodyBytes` option, validated. */
    maxBodyBytes: number;
}

async function serve(state: ServerState, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const method = req.method ?? "";
    const path = requestPath(req.url);
    const body = await readBody(req, state.maxBodyBytes);
    if (body.kind === "aborted") return;
    if (body.kind === "too-large") {
        const record = state.log.add(
            method,
            path,
            req.headers,
            `[not recorded: over ${state.maxBodyBytes} bytes]`,
        );
        record.status = 413;
        record.requestId = requestId;
        send(
            res,
            clientError(413, `Request body exceeds ${state.maxBodyBytes} bytes`, requestId),
            requestId,
            true,
        );
        return;
    }
    const record = state.log.addRaw(method, path, req.headers, body.raw);
    try {
        const fault = state.faults.take(path);
        if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (fault?.drop) {
            req.socket.destroy();
            return;
        }
        const authorization = headerText(req.headers.authorization);
        let answer: Answer;
        if (fault?.status !== undefined && !fault.afterEffect) {
            answer = scriptedAnswer(fault, requestId, state.tokens.authenticate(authorization));
        } else {
            const routed = route(state, {
                method,
                path,
                query: queryOf(req.url),
                contentType: headerText(req.headers["content-type"]) ?? "",
                authorization,
                raw: body.raw,
                requestId,
            });
            if (routed.logBody) state.log.setBody(record, recordedValue(routed.logBody) ?? "[REDACTED]");
            answer = routed.answer;
            if (fault?.status !== undefined) {
                // Box's 503 may still have applied the write: the log says whether it did.
                const applied = routed.answer.status === 202;
                if (applied) state.log.markApplied(record);
                answer = scriptedAnswer(fault, requestId, routed.answer.token);
                record.body = isRecord(record.body)
                    ? { ...record.body, appliedBeforeFailure: applied }
                    : { body: record.body, appliedBeforeFailure: applied };
            }
        }
        record.token = answer.token;
        record.status = answer.status;
        record.requestId = requestId;
        send(res, answer, requestId);
    } catch {
        record.status = 500;
        record.requestId = requestId;
        failClosed(res, requestId);
    }
}

/** Starts an emulator on 127.0.0.1. */
export async function startBoxEmulator(options: EmulatorOptions = {}): Promise<BoxEmulator> {
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
        throw new RangeError(
            `maxBodyBytes must be a whole number of bytes, not ${String(options.maxBodyBytes)}`,
        );
    }
    const accessTokens = options.accessTokens?.length
        ? options.accessTokens
        : [`emu_${crypto.randomBytes(16).toString("hex")}`];
    let directory = new Directory(options.directory);
    const tokens = new TokenService({
        accessTokens,
        apps: options.apps ?? [],
        ttlSeconds: options.tokenTtlSeconds ?? 3600,
    });
    const state: ServerState = {
        tokens,
        limiter: new RateLimiter(options.rateLimitPerSecond),
        directory: () => directory,
        faults: new FaultQueue(),
        log: new RequestLog(() => tokens.knownSecrets(), options.log),
        maxBodyBytes,
    };

    // Without `requireHostHeader: false`, Node itself answers a Host-less request with a bare 400.
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
        const requestId = newRequestId();
        res.on("error", () => res.destroy());
        serve(state, req, res).catch(() => failClosed(res, requestId));
    };
    const server = options.tls
        ? https.createServer(
              { key: options.tls.key, cert: options.tls.cert, requireHostHeader: false },
              handler,
          )
        : http.createServer({ requireHostHeader: false }, handler);
    server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
        // Node's own rule: answer only on a connection that has not been answered on yet.
        if (err.code === "ECONNRESET" || !socket.writable || (socket as Socket).bytesWritten > 0) {
            socket.destroy();
            return;
        }
        const [status, message] =
            err.code === "HPE_HEADER_OVERFLOW"
                ? [431, "Request header fields too large"]
                : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
                  ? [408, "Request timed out"]
                  : [400, "Malformed HTTP request"];
        socket.end(rawClientErrorResponse(status, message));
        closeSoon(socket);
    });
    server.on("connect", (req: http.IncomingMessage, socket: Duplex) => {
        socket.on("error", () => socket.destroy());
        const record = state.log.add(req.method ?? "CONNECT", requestPath(req.url), req.headers, "");
        record.status = 405;
        socket.end(rawClientErrorResponse(405, "Method Not Allowed"));
        closeSoon(socket);
    });
    server.on("checkExpectation", (req: http.IncomingMessage, res: http.ServerResponse) => {
        const requestId = newRequestId();
        const record = state.log.add(req.method ?? "", requestPath(req.url), req.headers, "");
        record.status = 417;
        res.on("error", () => res.destroy());
        send(res, clientError(417, "Only 'Expect: 100-continue' is supported", requestId), requestId, true);
    });

    const sockets = new Set<Socket>();
    server.on("connection", (socket: Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, "127.0.0.1", () => {
            server.removeListener("error", reject);
            resolve();
        });
    });
    // A listening server's later errors (say, too many open files) fail connections, not the process.
    server.on("error", () => undefined);
    const baseUrl = `${options.tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`;

    return {
        baseUrl,
        accessToken: accessTokens[0],
        requests: state.log.requests,
        accepted: () => state.log.accepted(),
        enqueue: (...faults: Fault[]) => state.faults.enqueue(...faults),
        setRateLimit: (perSecond) => state.limiter.set(perSecond),
        setDirectory: (entries) => {
            directory = new Directory(entries);
        },
        addApp: (app) => state.tokens.addApp(app),
        expireIssuedTokens: () => state.tokens.expireIssued(),
        knownSecrets: () => state.tokens.knownSecrets(),
        clearRequests: () => state.log.clear(),
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}
