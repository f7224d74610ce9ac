/**
 * Retry policy: which failures are worth another attempt, how long to wait, and when to stop because
 * the operation's deadline would pass first. Pure functions, so the timing rules are unit-tested
 * without a server or a clock.
 *
 * Box's own SDK gets two things wrong that matter under load: it looks up `Retry-After` case-
 * sensitively (Box sends it lower-case, so it is ignored) and passes seconds where milliseconds are
 * expected. Here the header lookup is case-insensitive and every duration is in milliseconds.
 */

/** How the retry loop is bounded and paced. */
export interface RetryPolicy {
    /** Retries after the first attempt (so `maxRetries + 1` attempts at most). */
    maxRetries: number;
    /** First backoff step for 5xx and network failures; doubles per attempt. */
    baseDelayMs: number;
    /** No single backoff wait exceeds this. */
    maxDelayMs: number;
}

/**
 * When an operation (one create or update) must be over. Every wait and every attempt ends before
 * it: Pulumi enforces no timeout on a dynamic provider, so without one a `retry-after` of a day
 * would hold `pulumi up` for a day.
 */
export interface Deadline {
    /** The end, in epoch milliseconds. */
    atMs: number;
    /** How the user set it, for messages, e.g. `box:deadlineSeconds=300`. */
    setting: string;
}

/** The longest delay `setTimeout` accepts (2^31-1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Looks a header up whatever its case, the way HTTP defines header names. */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(headers)) {
        if (key.toLowerCase() === wanted) {
            if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
            return value === undefined || value === null ? undefined : String(value);
        }
    }
    return undefined;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY = "(?:mon|tue|wed|thu|fri|sat|sun)";
const LONG_DAY = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)";
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
/** `Sun, 06 Nov 1994 08:49:37 GMT` (the form HTTP senders must use). */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, "i");
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete, still to be accepted). */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, "i");
/** `Sun Nov  6 08:49:37 1994` (obsolete ANSI C asctime, in GMT although it does not say so). */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} +(\\d{1,2}) ${TIME} (\\d{4})$`, "i");

/**
 * Reads an HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, RFC 850 or asctime) as epoch milliseconds, always
 * in GMT. `Date.parse` is not used: it accepts "-5" or "2026" as dates and reads asctime in the local
 * time zone, and a misread `retry-after` is either a retry Box refuses or a needless wait.
 */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
    const utc = (y: number, mon: string, d: number, h: string, mi: string, s: string): number | undefined => {
        const [hh, mm, ss] = [Number(h), Number(mi), Number(s)];
        const month = MONTHS.indexOf(mon.toLowerCase());
        if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
        const at = Date.UTC(y, month, d, hh, mm, Math.min(ss, 59));
        // Date.UTC rolls 31 Feb over into March: a date that does not exist is not a date.
        return new Date(at).getUTCDate() === d ? at : undefined;
    };
    let m = IMF_FIXDATE.exec(text);
    if (m) return utc(Number(m[3]), m[2], Number(m[1]), m[4], m[5], m[6]);
    m = RFC_850.exec(text);
    if (m) {
        // A two-digit year more than 50 years ahead is the most recent past year ending so (RFC 9110).
        const thisYear = new Date(nowMs).getUTCFullYear();
        let year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
        if (year > thisYear + 50) year -= 100;
        return utc(year, m[2], Number(m[1]), m[4], m[5], m[6]);
    }
    m = ASCTIME.exec(text);
    if (m) return utc(Number(m[6]), m[1], Number(m[2]), m[3], m[4], m[5]);
    return undefined;
}

/**
 * Reads `Retry-After` (delay-seconds, possibly fractional, or an HTTP-date) as milliseconds from
 * `nowMs`, rounded up so a retry never goes a fraction early. Any size is kept as it is (it may be
 * `Infinity` for hundreds of digits): a huge value must end the operation, never wrap around in a
 * timer and retry at once. Undefined when absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
    if (value === undefined) return undefined;
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
    const at = parseHttpDate(text, nowMs);
    if (at === undefined) return undefined;
    return Math.max(0, at - nowMs);
}

/**
 * A duration for a message: whole seconds when long or exact, else one decimal ("4.9 s"). Rounded
 * up by default (a wait is never understated); `down` for time left (never overstated), so a message
 * never reads as if the wait would have fitted.
 */
export function formatSeconds(ms: number, round: "up" | "down" = "up"): string {
    if (!Number.isFinite(ms)) return "forever";
    const seconds = Math.max(0, ms) / 1000;
    const to = round === "up" ? Math.ceil : Math.floor;
    if (Number.isInteger(seconds) || seconds >= 100) return `${to(seconds)} s`;
    return `${(to(Math.max(0, ms) / 100) / 10).toFixed(1)} s`;
}

/** A header value for a message: one line, short, since it comes from the server. */
function quoteHeader(value: string): string {
    const line = value.replace(/\s+/g, " ").trim();
    return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

/**
 * Exponential backoff with jitter for the retry that follows failed attempt number `attempt`
 * (1-based): `base * 2^(attempt-1)`, scaled by a factor in [0.5, 1.5) so that many clients failing
 * together do not come back together, and capped.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
    const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
    return Math.round(Math.min(policy.maxDelayMs, exponential * (0.5 + random())));
}

/**
 * The most the backoff waits of one request can add up to (every jitter at its maximum): the part of
 * the worst case that does not depend on the network.
 */
export function worstCaseBackoffMs(policy: RetryPolicy): number {
    let total = 0;
    for (let attempt = 1; attempt <= policy.maxRetries; attempt++) {
        total += Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1) * 1.5);
    }
    return total;
}

/** What the retry loop should do after an attempt that did not succeed. */
export type RetryDecision =
    | { action: "retry"; waitMs: number; why: string }
    | { action: "refresh-token" }
    | { action: "fail" }
    | { action: "give-up"; why: string };

/** An attempt's outcome, as far as the policy cares: an HTTP status with headers, or no answer. */
export type AttemptOutcome =
    | { status: number; headers: Record<string, unknown> }
    | {
          networkFailure: string;
          /** A failure no retry changes (a certificate TLS refuses): fail at once. */
          permanent?: boolean;
      };

/** What {@link decideRetry} needs besides the outcome: the clock, randomness and the token and deadline state. */
export interface RetryContext {
    /** Now, in epoch milliseconds. */
    nowMs: number;
    /** Jitter source in [0, 1). */
    random: () => number;
    /** Whether this request already got a fresh token after a 401. */
    tokenRefreshed: boolean;
    /** Whether the token can be replaced at all (not for a static access token). */
    tokenRefreshable: boolean;
    /** When the operation must be over; no wait may end after it. */
    deadline?: Deadline;
}

/**
 * Why a wait of `waitMs` starting at `nowMs` cannot be made, or undefined if it ends before the
 * deadline. `asked` describes the wait, e.g. "Box asked to wait 86400 s (retry-after: 86400)".
 */
export function crossesDeadline(
    asked: string,
    waitMs: number,
    nowMs: number,
    deadline: Deadline | undefined,
): string | undefined {
    if (!deadline || nowMs + waitMs < deadline.atMs) return undefined;
    return `${asked} but the deadline ${deadline.setting} ends in ${formatSeconds(deadline.atMs - nowMs, "down")}`;
}

/**
 * Decides the next step after a failed attempt. 429 waits what Box asked for (backoff if it did not
 * say); 5xx back off, and wait at least what a `retry-after` asks; network failures back off; a first
 * 401 asks for a fresh token; other 4xx fail at once because repeating them cannot succeed. A wait that would end after the deadline gives up at once,
 * saying why: sleeping until then only to fail, or retrying before Box's `retry-after`, helps no one.
 */
export function decideRetry(
    outcome: AttemptOutcome,
    attempt: number,
    policy: RetryPolicy,
    context: RetryContext,
): RetryDecision {
    if ("status" in outcome && outcome.status === 401) {
        return context.tokenRefreshable && !context.tokenRefreshed
            ? { action: "refresh-token" }
            : { action: "fail" };
    }
    if (attempt > policy.maxRetries) return { action: "fail" };
    if ("networkFailure" in outcome && outcome.permanent) return { action: "fail" };
    let decision: { waitMs: number; why: string; asked: string };
    if ("networkFailure" in outcome) {
        const waitMs = backoffDelayMs(attempt, policy, context.random);
        decision = {
            waitMs,
            why: outcome.networkFailure,
            asked: `the retry after ${outcome.networkFailure} would wait ${formatSeconds(waitMs)}`,
        };
    } else if (outcome.status === 429) {
        const raw = headerValue(outcome.headers, "retry-after");
        const asked = parseRetryAfter(raw, context.nowMs);
        const waitMs = asked ?? backoffDelayMs(attempt, policy, context.random);
        decision =
            asked !== undefined
                ? {
                      waitMs,
                      why: "429 rate limited (retry-after)",
                      asked: `Box asked to wait ${formatSeconds(waitMs)} (retry-after: ${quoteHeader(raw ?? "")})`,
                  }
                : {
                      waitMs,
                      why: "429 rate limited",
                      asked: `the retry after a 429 would wait ${formatSeconds(waitMs)}`,
                  };
    } else if (outcome.status >= 500) {
        // Box's 503 may say when to come back: never sooner than that, and never sooner than backoff.
        const raw = headerValue(outcome.headers, "retry-after");
        const asked = parseRetryAfter(raw, context.nowMs);
        const backoff = backoffDelayMs(attempt, policy, context.random);
        const waitMs = Math.max(asked ?? 0, backoff);
        decision =
            asked !== undefined && asked >= backoff
                ? {
                      waitMs,
                      why: `HTTP ${outcome.status} (retry-after)`,
                      asked: `Box asked to wait ${formatSeconds(waitMs)} (retry-after: ${quoteHeader(raw ?? "")})`,
                  }
                : {
                      waitMs,
                      why: `HTTP ${outcome.status}`,
                      asked: `the retry after HTTP ${outcome.status} would wait ${formatSeconds(waitMs)}`,
                  };
    } else {
        return { action: "fail" };
    }
    const over = crossesDeadline(decision.asked, decision.waitMs, context.nowMs, context.deadline);
    if (over) return { action: "give-up", why: over };
    return { action: "retry", waitMs: decision.waitMs, why: decision.why };
}

/**
 * How long one attempt may take: `timeoutMs`, or less when the deadline comes sooner. `byDeadline`
 * says which, so a timeout can be explained in the right terms.
 */
export function attemptTimeout(
    timeoutMs: number,
    nowMs: number,
    deadline: Deadline | undefined,
): { timeoutMs: number; byDeadline: boolean } {
    if (!deadline) return { timeoutMs, byDeadline: false };
    const left = Math.max(0, Math.floor(deadline.atMs - nowMs));
    return left < timeoutMs ? { timeoutMs: left, byDeadline: true } : { timeoutMs, byDeadline: false };
}
