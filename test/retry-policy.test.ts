/** The retry policy (retry.ts): which failures are retried, and how long each wait is. Pure. */
import { expect } from "chai";
import {
    backoffDelayMs,
    decideRetry,
    headerValue,
    parseRetryAfter,
    type RetryPolicy,
} from "../provider/retry";

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
