/** The retry policy (retry.ts): which failures are retried, and how long each wait is. Pure. */
import { expect } from "chai";
import {
    attemptTimeout,
    backoffDelayMs,
    crossesDeadline,
    decideRetry,
    formatSeconds,
    headerValue,
    MAX_TIMER_MS,
    parseHttpDate,
    parseRetryAfter,
    worstCaseBackoffMs,
    type RetryPolicy,
} from "../../provider/core/retry";

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 };
const ctx = {
    nowMs: Date.parse("2026-11-22T10:00:00Z"),
    random: () => 0.5,
    tokenRefreshed: false,
    tokenRefreshable: true,
};

describe("retry policy (pure)", () => {
    it("reads retry-after in any header case, as seconds or an HTTP date, in milliseconds", () => {
        expect(headerValue({ "Retry-After": "3" }, "retry-after")).to.equal("3");
        expect(headerValue({ "retry-after": "3" }, "Retry-After")).to.equal("3");
        expect(parseRetryAfter("3", ctx.nowMs)).to.equal(3000);
        expect(parseRetryAfter("0.5", ctx.nowMs)).to.equal(500);
        expect(parseRetryAfter("Sun, 22 Nov 2026 10:00:07 GMT", ctx.nowMs)).to.equal(7000);
        expect(parseRetryAfter("Sun, 22 Nov 2026 09:00:00 GMT", ctx.nowMs)).to.equal(0);
        expect(parseRetryAfter("soon", ctx.nowMs)).to.equal(undefined);
        expect(parseRetryAfter(undefined, ctx.nowMs)).to.equal(undefined);
    });

    it("backs off exponentially with jitter in [0.5, 1.5) and a cap", () => {
        expect(backoffDelayMs(1, policy, () => 0)).to.equal(500);
        expect(backoffDelayMs(1, policy, () => 0.999)).to.be.closeTo(1499, 1);
        expect(backoffDelayMs(3, policy, () => 0.5)).to.equal(4000);
        expect(backoffDelayMs(10, policy, () => 0.5)).to.equal(30_000);
    });

    it("waits what a 429 asks, backs off on 5xx and network failures, and fails other 4xx at once", () => {
        expect(decideRetry({ status: 429, headers: { "RETRY-AFTER": "2" } }, 1, policy, ctx)).to.deep.equal({
            action: "retry",
            waitMs: 2000,
            why: "429 rate limited (retry-after)",
        });
        expect(decideRetry({ status: 429, headers: {} }, 2, policy, ctx)).to.deep.include({
            action: "retry",
            waitMs: 2000,
        });
        expect(decideRetry({ status: 503, headers: {} }, 1, policy, ctx)).to.deep.include({
            action: "retry",
            waitMs: 1000,
        });
        expect(decideRetry({ networkFailure: "timeout" }, 1, policy, ctx)).to.deep.include({
            action: "retry",
        });
        for (const status of [400, 403, 404, 409]) {
            expect(decideRetry({ status, headers: {} }, 1, policy, ctx)).to.deep.equal({ action: "fail" });
        }
        expect(decideRetry({ status: 503, headers: {} }, 4, policy, ctx)).to.deep.equal({ action: "fail" });
    });

    it("honours retry-after on a 5xx too: a 503 asking for 5 s waits 5 s, not the 1 s backoff", () => {
        expect(decideRetry({ status: 503, headers: { "retry-after": "5" } }, 1, policy, ctx)).to.deep.equal({
            action: "retry",
            waitMs: 5000,
            why: "HTTP 503 (retry-after)",
        });
        expect(decideRetry({ status: 500, headers: { "Retry-After": "2" } }, 1, policy, ctx)).to.deep.include(
            {
                waitMs: 2000,
            },
        );
        // A retry-after shorter than the backoff does not hurry a retry that Box's trouble calls for.
        expect(decideRetry({ status: 503, headers: { "retry-after": "0" } }, 3, policy, ctx)).to.deep.include(
            {
                waitMs: backoffDelayMs(3, policy, ctx.random),
            },
        );
    });

    it("refreshes a refreshable token once on 401, never a static one", () => {
        expect(decideRetry({ status: 401, headers: {} }, 1, policy, ctx)).to.deep.equal({
            action: "refresh-token",
        });
        expect(
            decideRetry({ status: 401, headers: {} }, 1, policy, { ...ctx, tokenRefreshed: true }),
        ).to.deep.equal({ action: "fail" });
        expect(
            decideRetry({ status: 401, headers: {} }, 1, policy, { ...ctx, tokenRefreshable: false }),
        ).to.deep.equal({ action: "fail" });
    });
});

describe("retry policy and the deadline (pure)", () => {
    const deadline = (inMs: number) => ({ atMs: ctx.nowMs + inMs, setting: "box:deadlineSeconds=5" });
    const at = { ...ctx, deadline: deadline(4_900) };

    it("reads any size of retry-after without losing it, rounding up, never as an overflowing timer", () => {
        expect(parseRetryAfter("86400", ctx.nowMs)).to.equal(86_400_000);
        expect(parseRetryAfter("9999999999", ctx.nowMs)).to.equal(9_999_999_999_000);
        expect(parseRetryAfter("9".repeat(400), ctx.nowMs)).to.equal(Infinity);
        expect(parseRetryAfter("0.0004", ctx.nowMs)).to.equal(1);
        expect(parseRetryAfter(" 2 ", ctx.nowMs)).to.equal(2000);
        for (const bad of ["-5", "1e3", "", "0x10", "5 s", "soon"]) {
            expect(parseRetryAfter(bad, ctx.nowMs), bad).to.equal(undefined);
        }
    });

    it("reads the three HTTP-date forms in GMT, and refuses dates that do not exist", () => {
        const day = Date.parse("2026-11-23T10:00:00Z") - ctx.nowMs;
        expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:00 GMT", ctx.nowMs)).to.equal(day);
        expect(parseRetryAfter("Monday, 23-Nov-26 10:00:00 GMT", ctx.nowMs)).to.equal(day);
        expect(parseRetryAfter("Mon Nov 23 10:00:00 2026", ctx.nowMs)).to.equal(day);
        expect(parseHttpDate("Sun Nov  6 08:49:37 1994", ctx.nowMs)).to.equal(
            Date.UTC(1994, 10, 6, 8, 49, 37),
        );
        expect(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", ctx.nowMs)).to.equal(
            Date.UTC(1994, 10, 6, 8, 49, 37),
        );
        expect(parseHttpDate("Tue, 31 Feb 2026 10:00:00 GMT", ctx.nowMs)).to.equal(undefined);
        expect(parseHttpDate("Mon, 23 Nov 2026 25:00:00 GMT", ctx.nowMs)).to.equal(undefined);
        expect(parseHttpDate("23 Nov 2026", ctx.nowMs)).to.equal(undefined);
    });

    it("a retry-after that would cross the deadline gives up at once, saying what Box asked for", () => {
        for (const [header, shown] of [
            ["86400", "86400 s"],
            ["9999999999", "9999999999 s"],
            ["Mon, 23 Nov 2026 10:00:00 GMT", "86400 s"],
        ]) {
            expect(
                decideRetry({ status: 429, headers: { "retry-after": header } }, 1, policy, at),
            ).to.deep.equal({
                action: "give-up",
                why: `Box asked to wait ${shown} (retry-after: ${header}) but the deadline box:deadlineSeconds=5 ends in 4.9 s`,
            });
        }
        expect(decideRetry({ status: 429, headers: { "retry-after": "4" } }, 1, policy, at)).to.deep.include({
            action: "retry",
            waitMs: 4000,
        });
        // Exactly at the deadline is too late: the retry itself would have no time left.
        expect(
            decideRetry({ status: 429, headers: { "retry-after": "4.9" } }, 1, policy, at).action,
        ).to.equal("give-up");
    });

    it("a backoff that would cross the deadline gives up too; without a deadline nothing changes", () => {
        const late = { ...ctx, deadline: deadline(500) };
        const decision = decideRetry({ status: 503, headers: {} }, 1, policy, late);
        expect(decision).to.deep.equal({
            action: "give-up",
            why: "the retry after HTTP 503 would wait 1 s but the deadline box:deadlineSeconds=5 ends in 0.5 s",
        });
        expect(decideRetry({ networkFailure: "dropped (ECONNRESET)" }, 1, policy, late)).to.deep.include({
            action: "give-up",
        });
        expect(decideRetry({ status: 503, headers: {} }, 1, policy, ctx)).to.deep.include({
            action: "retry",
        });
        // A 401 and other 4xx are decided before any wait, deadline or not.
        expect(decideRetry({ status: 401, headers: {} }, 1, policy, late)).to.deep.equal({
            action: "refresh-token",
        });
        expect(decideRetry({ status: 404, headers: {} }, 1, policy, late)).to.deep.equal({ action: "fail" });
    });

    it("cuts an attempt's timeout to what is left of the deadline, and says so", () => {
        expect(attemptTimeout(30_000, ctx.nowMs, deadline(60_000))).to.deep.equal({
            timeoutMs: 30_000,
            byDeadline: false,
        });
        expect(attemptTimeout(30_000, ctx.nowMs, deadline(4_900))).to.deep.equal({
            timeoutMs: 4_900,
            byDeadline: true,
        });
        expect(attemptTimeout(30_000, ctx.nowMs, deadline(-10))).to.deep.equal({
            timeoutMs: 0,
            byDeadline: true,
        });
        expect(crossesDeadline("waiting 1 s", 1000, ctx.nowMs, deadline(2000))).to.equal(undefined);
        expect(crossesDeadline("waiting 3 s", 3000, ctx.nowMs, deadline(2000))).to.equal(
            "waiting 3 s but the deadline box:deadlineSeconds=5 ends in 2 s",
        );
    });

    it("formats durations for people, and bounds the default backoff's worst case", () => {
        expect(formatSeconds(86_400_000)).to.equal("86400 s");
        expect(formatSeconds(4_900)).to.equal("4.9 s");
        expect(formatSeconds(123_456)).to.equal("124 s");
        expect(formatSeconds(Infinity)).to.equal("forever");
        expect(formatSeconds(1_100)).to.equal("1.1 s");
        expect(formatSeconds(4_995)).to.equal("5.0 s");
        expect(formatSeconds(4_995, "down")).to.equal("4.9 s");
        // 1 + 2 + 4 + 8 + 16 s, each at the top of its jitter (x1.5).
        expect(worstCaseBackoffMs({ maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30_000 })).to.equal(46_500);
        expect(worstCaseBackoffMs({ maxRetries: 7, baseDelayMs: 1000, maxDelayMs: 30_000 })).to.equal(
            106_500,
        );
        expect(MAX_TIMER_MS).to.equal(2_147_483_647);
    });
});
