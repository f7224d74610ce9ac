/**
 * The one retry loop (client.ts `sendWithRetries`) with a fake clock and transport: what it sends,
 * when, and when it stops. No server, no real waiting.
 */
import { expect } from "chai";
import { RateGate, sendWithRetries, sleepUntil, type RetryLoopOptions } from "../../provider/core/retry-loop";
import { BoxNetworkError } from "../../provider/core/errors";
import type { HttpRequest, HttpResponse } from "../../provider/core/http";
import { MAX_TIMER_MS } from "../../provider/core/retry";

const ENDPOINT = "POST http://127.0.0.1:1/2.0/users/terminate_sessions";

/** A clock that only moves when the loop sleeps; `early` makes every timer fire that many ms early. */
function fakeTime(early = 0) {
    const clock = { t: 1_000_000, sleeps: [] as number[] };
    return {
        clock,
        now: () => clock.t,
        sleep: async (ms: number) => {
            clock.sleeps.push(ms);
            clock.t += Math.max(1, ms - early);
        },
    };
}

function loop(
    answers: Array<Partial<HttpResponse> | Error>,
    overrides: Partial<RetryLoopOptions> = {},
    time = fakeTime(),
) {
    const sent: Array<{ at: number; request: HttpRequest }> = [];
    const options: RetryLoopOptions = {
        endpoint: ENDPOINT,
        retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 },
        deadline: { atMs: time.now() + 5_000, setting: "box:deadlineSeconds=5" },
        request: async () => ({
            method: "POST",
            url: "http://127.0.0.1:1/x",
            headers: {},
            timeoutMs: 30_000,
        }),
        send: async (request) => {
            sent.push({ at: time.now(), request });
            const next = answers.shift() ?? { status: 202 };
            if (next instanceof Error) throw next;
            return { status: 202, headers: {}, body: "{}", ...next };
        },
        sleep: time.sleep,
        now: time.now,
        random: () => 0.5,
        log: () => undefined,
        ...overrides,
    };
    return { run: () => sendWithRetries(options), sent, time };
}

describe("the retry loop (fake clock)", () => {
    it("a token that cannot be had ends the loop at once: not retried, nothing sent", async () => {
        let asked = 0;
        const tokenDown = new BoxNetworkError({
            kind: "dropped",
            endpoint: "POST http://127.0.0.1:1/oauth2/token",
            detail: "socket hang up after 3 attempts",
        });
        const { run, sent } = loop([], {
            request: async () => {
                asked++;
                throw tokenDown;
            },
        });
        let caught: unknown;
        await run().catch((err: unknown) => (caught = err));
        expect(caught).to.equal(tokenDown);
        expect([asked, sent.length]).to.deep.equal([1, 0]);
    });

    it("a retry-after past the deadline: one request, the reason, and a gate that stops the next caller before it sends", async () => {
        const gate = new RateGate();
        const first = loop([{ status: 429, headers: { "retry-after": "86400" } }], { gate });
        const result = await first.run();
        expect(first.sent).to.have.length(1);
        expect(result.attempts).to.equal(1);
        expect(result.response?.status).to.equal(429);
        expect(result.deadlineReason).to.equal(
            "Box asked to wait 86400 s (retry-after: 86400) but the deadline box:deadlineSeconds=5 ends in 5 s",
        );
        expect(first.time.clock.sleeps).to.deep.equal([]);

        const second = loop([], { gate }, first.time);
        const stopped = await second.run();
        expect(second.sent).to.have.length(0);
        expect(stopped.attempts).to.equal(0);
        expect(stopped.deadlineReason).to.match(
            /^Box asked to wait 86400 s more before any request to this origin \(retry-after: 86400\) but the deadline box:deadlineSeconds=5 ends in 5 s$/,
        );
    });

    it("a certificate TLS refuses is not retried: no retry changes it, so the first answer is final", async () => {
        const refused = (errorCode: string) =>
            new BoxNetworkError({ kind: "certificate", endpoint: ENDPOINT, errorCode, detail: errorCode });
        const { run, sent } = loop([refused("ERR_TLS_CERT_ALTNAME_INVALID")]);
        const result = await run();
        expect(sent).to.have.length(1);
        expect(result.networkError?.kind).to.equal("certificate");
        // A dropped connection, by contrast, is retried.
        const dropped = new BoxNetworkError({
            kind: "dropped",
            endpoint: ENDPOINT,
            detail: "socket hang up",
        });
        const again = loop([dropped]);
        expect((await again.run()).response?.status).to.equal(202);
        expect(again.sent).to.have.length(2);
    });

    it("says what it waits for and until when: its own retry, and a pause another caller's 429 set", async () => {
        const gate = new RateGate();
        const lines: string[] = [];
        const log = (line: string) => lines.push(line);
        const first = loop([{ status: 429, headers: { "retry-after": "2" } }], { gate, log });
        await first.run();
        // The fake clock starts at epoch 1,000,000 ms (00:16:40Z); Box asked for 2 s.
        expect(lines).to.deep.equal([
            `${ENDPOINT}: attempt 1 of 4 failed (429 rate limited (retry-after)); retrying in 2000 ms, at 1970-01-01T00:16:42Z`,
        ]);

        lines.length = 0;
        gate.holdUntil(first.time.now() + 3_000, "retry-after: 3");
        await loop([], { gate, log }, first.time).run();
        expect(lines).to.deep.equal([`${ENDPOINT}: holding 3 s until 1970-01-01T00:16:45Z (retry-after: 3)`]);
    });

    it("never retries before retry-after has passed, even when timers fire early", async () => {
        const time = fakeTime(7);
        const { run, sent } = loop([{ status: 429, headers: { "retry-after": "2" } }], {}, time);
        const result = await run();
        expect(result.response?.status).to.equal(202);
        expect(sent[1].at - sent[0].at).to.be.at.least(2000);
    });

    it("cuts the last attempt's timeout to the rest of the deadline, and names it", async () => {
        const time = fakeTime();
        const { run, sent } = loop(
            [{ status: 503 }],
            { deadline: { atMs: time.now() + 2_000, setting: "box:deadlineSeconds=2" } },
            time,
        );
        await run();
        expect(sent[0].request.timeoutMs).to.equal(2_000);
        expect(sent[0].request.timeoutCause).to.equal("the rest of box:deadlineSeconds=2");
        // The backoff after the 503 (1 s with this jitter) ends before the deadline: one retry.
        expect(sent[1].request.timeoutMs).to.equal(1_000);
    });

    it("waits longer than a timer can hold in pieces, never in one overflowing timer", async () => {
        const time = fakeTime();
        const until = time.now() + 3 * MAX_TIMER_MS + 5;
        await sleepUntil(until, time.sleep, time.now);
        expect(time.now()).to.be.at.least(until);
        expect(Math.max(...time.clock.sleeps)).to.be.at.most(MAX_TIMER_MS);
        // A stub sleep that never moves the clock cannot hang it.
        await sleepUntil(time.now() + 1000, async () => undefined, time.now);
    });
});
