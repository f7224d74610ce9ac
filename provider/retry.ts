/**
 * Retry policy: which failures are worth another attempt and how long to wait. Pure functions, so the
 * timing rules are unit-tested without a server or a clock.
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

/**
 * Reads `Retry-After` (delay-seconds, possibly fractional, or an HTTP date) as milliseconds from
 * `nowMs`. Undefined when absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
    if (value === undefined) return undefined;
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - nowMs);
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

/** What the retry loop should do after an attempt that did not succeed. */
export type RetryDecision =
    { action: "retry"; waitMs: number; why: string } | { action: "refresh-token" } | { action: "fail" };

/** An attempt's outcome, as far as the policy cares: an HTTP status with headers, or no answer. */
export type AttemptOutcome =
    { status: number; headers: Record<string, unknown> } | { networkFailure: string };

/**
 * Decides the next step after a failed attempt. 429 waits what Box asked for (backoff if it did not
 * say); 5xx and network failures back off; a first 401 asks for a fresh token; other 4xx fail at once
 * because repeating them cannot succeed.
 */
export function decideRetry(
    outcome: AttemptOutcome,
    attempt: number,
    policy: RetryPolicy,
    context: { nowMs: number; random: () => number; tokenRefreshed: boolean; tokenRefreshable: boolean },
): RetryDecision {
    if ("status" in outcome && outcome.status === 401) {
        return context.tokenRefreshable && !context.tokenRefreshed
            ? { action: "refresh-token" }
            : { action: "fail" };
    }
    if (attempt > policy.maxRetries) return { action: "fail" };
    if ("networkFailure" in outcome) {
        return {
            action: "retry",
            waitMs: backoffDelayMs(attempt, policy, context.random),
            why: outcome.networkFailure,
        };
    }
    if (outcome.status === 429) {
        const asked = parseRetryAfter(headerValue(outcome.headers, "retry-after"), context.nowMs);
        return asked !== undefined
            ? { action: "retry", waitMs: asked, why: "429 rate limited (retry-after)" }
            : {
                  action: "retry",
                  waitMs: backoffDelayMs(attempt, policy, context.random),
                  why: "429 rate limited",
              };
    }
    if (outcome.status >= 500) {
        return {
            action: "retry",
            waitMs: backoffDelayMs(attempt, policy, context.random),
            why: `HTTP ${outcome.status}`,
        };
    }
    return { action: "fail" };
}
