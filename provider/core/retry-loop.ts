/**
 * The one retry loop, shared by the API calls and the token endpoint, and the 429 gate every request
 * to an origin waits on. The timing rules are retry.ts's (pure); this file sequences waits and
 * attempts with an injected clock, sleep and transport.
 */
import { BoxNetworkError } from "./errors";
import type { HttpRequest, HttpResponse } from "./http";
import {
    attemptTimeout,
    crossesDeadline,
    decideRetry,
    formatSeconds,
    headerValue,
    MAX_TIMER_MS,
    parseRetryAfter,
    type AttemptOutcome,
    type Deadline,
    type RetryPolicy,
} from "./retry";

/**
 * Holds back every request to one Box origin until a time Box named in `retry-after`. One 429 pauses
 * all concurrent workers, instead of each of them spending a request to learn the same thing. It lives
 * in the process state, shared by every resource; each caller weighs the pause against its own
 * deadline (see {@link sendWithRetries}), so the gate never holds anyone past theirs.
 */
export class RateGate {
    private notBeforeMs: number;
    private asked: string;

    /** Opens the gate. */
    constructor() {
        this.notBeforeMs = 0;
        this.asked = "";
    }

    /**
     * Pushes the earliest next request time out to `untilMs` (never pulls it in). `asked` is what Box
     * said, e.g. `retry-after: 86400`, for the message of anyone who cannot wait that long.
     */
    holdUntil(untilMs: number, asked = ""): void {
        if (untilMs > this.notBeforeMs) {
            this.notBeforeMs = untilMs;
            this.asked = asked;
        }
    }

    /** How long a request about to be sent at `nowMs` must wait. */
    waitMs(nowMs: number): number {
        return Math.max(0, this.notBeforeMs - nowMs);
    }

    /** What Box said when it set the current pause. */
    reason(): string {
        return this.asked;
    }
}

/**
 * Waits until the clock reads `untilMs`. A wait longer than `setTimeout` accepts is made in pieces
 * (one longer fires at once), and a timer that fires a little early is waited out, so nothing is sent
 * before the time Box named. Stops if the clock does not move at all (a test's stub sleep).
 */
export async function sleepUntil(
    untilMs: number,
    sleep: (ms: number) => Promise<void>,
    now: () => number,
): Promise<void> {
    for (let left = untilMs - now(); left > 0; left = untilMs - now()) {
        const before = now();
        await sleep(Math.min(left, MAX_TIMER_MS));
        if (now() === before) return;
    }
}

/** What the retry loop needs; every collaborator is explicit so both callers and tests can supply their own. */
export interface RetryLoopOptions {
    /** Where requests go, as `POST https://...`, for log lines. */
    endpoint: string;
    /** Retry bounds and pacing. */
    retry: RetryPolicy;
    /** When to stop: no wait or attempt goes past it. */
    deadline: Deadline;
    /**
     * Builds each attempt's request: the API client adds the current token, the token source a fresh
     * JWT. Whatever it throws (a token that cannot be had) ends the loop at once, unretried: the token
     * fetch has its own retry loop, and nesting one in the other multiplies the requests.
     */
    request: () => Promise<HttpRequest>;
    /** Drops a rejected token before the single retry a 401 gets; absent where no refresh is possible. */
    refreshToken?: () => void;
    /** Shared 429 pause, if requests to this origin should honour one. */
    gate?: RateGate;
    /** Performs one request. */
    send: (request: HttpRequest) => Promise<HttpResponse>;
    /** Waits. */
    sleep: (ms: number) => Promise<void>;
    /** The clock, in epoch milliseconds. */
    now: () => number;
    /** Jitter source in [0, 1). */
    random: () => number;
    /** Receives one line per retry. */
    log: (line: string) => void;
}

/** Where the retry loop stopped: at a 2xx or final HTTP answer, with no answer at all, or at the deadline. */
export interface RetryLoopResult {
    /** The last HTTP answer, success or not. */
    response?: HttpResponse;
    /** Set when the last attempt got no answer. */
    networkError?: BoxNetworkError;
    /** Attempts made, a token refresh not counted. */
    attempts: number;
    /** Set when the loop gave up because the deadline would pass first: why, for a {@link BoxDeadlineError}. */
    deadlineReason?: string;
}

/**
 * The one retry loop, shared by the API calls and the token endpoint: waits out the 429 gate, sends,
 * and asks the retry policy what to do with anything but a 2xx. It never throws for an HTTP status;
 * callers turn the final answer into their own error type. Every wait and every attempt ends before
 * the deadline: a wait that cannot ends the loop at once with the reason.
 */
export async function sendWithRetries(o: RetryLoopOptions): Promise<RetryLoopResult> {
    let tokenRefreshed = false;
    let response: HttpResponse | undefined;
    let networkError: BoxNetworkError | undefined;
    const stop = (attempts: number, deadlineReason: string): RetryLoopResult => ({
        response,
        networkError,
        attempts,
        deadlineReason,
    });
    for (let attempt = 1; ; attempt++) {
        // The gate may be pushed further out while we wait, by another worker's 429: look again.
        for (let wait = o.gate?.waitMs(o.now()) ?? 0; wait > 0; wait = o.gate?.waitMs(o.now()) ?? 0) {
            const asked = o.gate?.reason() || "an earlier 429";
            const over = crossesDeadline(
                `Box asked to wait ${formatSeconds(wait)} more before any request to this origin (${asked})`,
                wait,
                o.now(),
                o.deadline,
            );
            if (over) return stop(attempt - 1, over);
            o.log(
                `${o.endpoint}: holding ${formatSeconds(wait)} until ${untilText(o.now() + wait)} (${asked})`,
            );
            await sleepUntil(o.now() + wait, o.sleep, o.now);
        }

        // Outside the try below: a token failure is not this request's failure to retry.
        const request = await o.request();
        const limit = attemptTimeout(request.timeoutMs, o.now(), o.deadline);
        if (limit.timeoutMs <= 0) {
            return stop(attempt - 1, `the deadline ${o.deadline.setting} ended before attempt ${attempt}`);
        }
        const bounded: HttpRequest = limit.byDeadline
            ? { ...request, timeoutMs: limit.timeoutMs, timeoutCause: `the rest of ${o.deadline.setting}` }
            : request;

        let outcome: AttemptOutcome;
        response = undefined;
        networkError = undefined;
        try {
            response = await o.send(bounded);
            if (response.status >= 200 && response.status < 300) return { response, attempts: attempt };
            outcome = { status: response.status, headers: response.headers };
        } catch (err) {
            if (!(err instanceof BoxNetworkError)) throw err;
            networkError = err;
            outcome = {
                networkFailure: `${err.kind} (${err.errorCode ?? "no code"})`,
                permanent: err.kind === "certificate",
            };
        }

        const decision = decideRetry(outcome, attempt, o.retry, {
            nowMs: o.now(),
            random: o.random,
            tokenRefreshed,
            tokenRefreshable: o.refreshToken !== undefined,
            deadline: o.deadline,
        });
        if (decision.action === "refresh-token") {
            o.refreshToken?.();
            tokenRefreshed = true;
            o.log(`${o.endpoint}: Box answered 401; fetching a fresh token and trying once more`);
            attempt--; // a token refresh is not a retry of a failing request
            continue;
        }
        if (decision.action === "fail") return { response, networkError, attempts: attempt };
        if ("status" in outcome && outcome.status === 429) {
            // Box's pause holds for everyone using this origin, even when this caller gives up on it.
            const raw = headerValue(outcome.headers, "retry-after");
            const asked = parseRetryAfter(raw, o.now());
            const pause = asked ?? (decision.action === "retry" ? decision.waitMs : undefined);
            const said = asked !== undefined ? `retry-after: ${(raw ?? "").trim().slice(0, 40)}` : "a 429";
            if (pause !== undefined) o.gate?.holdUntil(o.now() + pause, said);
        }
        if (decision.action === "give-up") return stop(attempt, decision.why);
        o.log(
            `${o.endpoint}: attempt ${attempt} of ${o.retry.maxRetries + 1} failed (${decision.why}); retrying in ${decision.waitMs} ms, at ${untilText(o.now() + decision.waitMs)}`,
        );
        await sleepUntil(o.now() + decision.waitMs, o.sleep, o.now);
    }
}

/** A wall-clock time a person can compare with their own clock (UTC, to the second). */
function untilText(epochMs: number): string {
    return new Date(epochMs).toISOString().replace(/\.\d+Z$/, "Z");
}
