/**
 * Misbehaviour on demand, so a client's failure handling can be tested against real HTTP: scripted
 * faults (a status, a delay, a dropped connection, an HTML error page) and a per-second rate limit
 * answered with 429 and `retry-after`.
 */
import { clientError, type Answer } from "./box-responses";

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

/**
 * What is wrong with `fault`, one line per field (empty when it is valid). A fault that scripts
 * nonsense (a status of "x", a negative `after`) would otherwise test something other than intended.
 */
export function faultProblems(fault: Fault): string[] {
    const problems: string[] = [];
    const isInt = (v: unknown) => typeof v === "number" && Number.isInteger(v);
    if (fault.path !== undefined && typeof fault.path !== "string" && !(fault.path instanceof RegExp))
        problems.push("path must be a string or a RegExp");
    if (fault.after !== undefined && !(isInt(fault.after) && fault.after >= 0))
        problems.push(
            `after must be a whole number of requests, 0 or more (got ${JSON.stringify(fault.after)})`,
        );
    if (fault.status !== undefined && !(isInt(fault.status) && fault.status >= 100 && fault.status <= 599))
        problems.push(`status must be an HTTP status from 100 to 599 (got ${JSON.stringify(fault.status)})`);
    if (
        fault.headers !== undefined &&
        (typeof fault.headers !== "object" ||
            fault.headers === null ||
            Array.isArray(fault.headers) ||
            Object.values(fault.headers).some((v) => typeof v !== "string"))
    )
        problems.push("headers must be an object of strings");
    if (fault.body !== undefined && typeof fault.body !== "string") problems.push("body must be a string");
    if (
        fault.delayMs !== undefined &&
        !(typeof fault.delayMs === "number" && Number.isFinite(fault.delayMs) && fault.delayMs >= 0)
    )
        problems.push(`delayMs must be 0 or more milliseconds (got ${JSON.stringify(fault.delayMs)})`);
    for (const flag of ["drop", "afterEffect"] as const) {
        if (fault[flag] !== undefined && typeof fault[flag] !== "boolean")
            problems.push(`${flag} must be true or false`);
    }
    return problems;
}

function matches(fault: Fault, path: string): boolean {
    if (fault.path === undefined) return true;
    if (typeof fault.path === "string") return fault.path === path;
    // A /g or /y pattern keeps state between calls; without this it would match every other request.
    fault.path.lastIndex = 0;
    return fault.path.test(path);
}

/** Faults waiting for their request, in the order they were queued. */
export class FaultQueue {
    private readonly faults: Fault[] = [];

    /**
     * Queues faults. Each is copied, so counting down `after` never changes the caller's object and
     * the same object can be queued twice.
     *
     * @throws Error naming every invalid field, before any of `faults` is queued.
     */
    enqueue(...faults: Fault[]): void {
        faults.forEach((fault, index) => {
            const problems = faultProblems(fault);
            if (problems.length) throw new Error(`fault ${index}: ${problems.join("; ")}`);
        });
        this.faults.push(...faults.map((fault) => ({ ...fault })));
    }

    /** The fault the request to `path` meets, removing it from the queue; `undefined` for normal service. */
    take(path: string): Fault | undefined {
        const index = this.faults.findIndex((fault) => matches(fault, path));
        if (index < 0) return undefined;
        const fault = this.faults[index];
        if (fault.after) {
            fault.after--;
            return undefined;
        }
        return this.faults.splice(index, 1)[0];
    }
}

/** The answer a fault scripts: its body, or a Box error body for its status (500 if it names none). */
export function scriptedAnswer(fault: Fault, requestId: string, tokenLabel: string | undefined): Answer {
    const status = fault.status ?? 500;
    return {
        status,
        body: fault.body ?? clientError(status, `Emulated ${status}`, requestId).body,
        headers: fault.headers,
        token: tokenLabel,
    };
}

/**
 * Box's rate limit, simplified to fixed one-second windows, with the wait answered in whole
 * seconds as Box's `retry-after` does.
 */
export class RateLimiter {
    private windowStart = 0;
    private windowCount = 0;

    /** @param perSecond Requests allowed per window; unlimited when unset or 0. */
    constructor(private perSecond: number | undefined) {}

    /** Sets or clears the limit and starts a fresh window. */
    set(perSecond: number | undefined): void {
        this.perSecond = perSecond;
        this.windowStart = 0;
        this.windowCount = 0;
    }

    /** Counts a request at `nowMs`: `undefined` when it may pass, else the seconds to wait. */
    take(nowMs: number): number | undefined {
        if (!this.perSecond) return undefined;
        if (nowMs - this.windowStart >= 1000) {
            this.windowStart = nowMs;
            this.windowCount = 0;
        }
        if (this.windowCount < this.perSecond) {
            this.windowCount++;
            return undefined;
        }
        return Math.max(1, Math.ceil((this.windowStart + 1000 - nowMs) / 1000));
    }
}
