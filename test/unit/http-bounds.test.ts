/**
 * One HTTP attempt is bounded as a whole, in time and in size (http.ts), against tiny servers on
 * 127.0.0.1 that misbehave the way a slow proxy or a runaway server does.
 */
import { expect } from "chai";
import * as http from "http";
import type { AddressInfo } from "net";
import { Readable } from "stream";
import { BoxNetworkError } from "../../provider/core/errors";
import { MAX_BODY_BYTES, readLimited, sendHttp } from "../../provider/core/http";
import { rejectionOf } from "../helpers";

/** A server whose every request is handled by `handler`; tracks open sockets so a test can see them close. */
async function serve(handler: http.RequestListener) {
    const server = http.createServer(handler);
    const sockets = new Set<import("net").Socket>();
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/2.0/users/terminate_sessions`;
    return {
        url,
        sockets,
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}

const post = (url: string, timeoutMs: number, timeoutCause?: string) =>
    sendHttp({ method: "POST", url, headers: {}, body: "{}", timeoutMs, timeoutCause });

describe("one HTTP attempt, bounded in time and size", function () {
    this.timeout(20_000);

    it("a 202 whose body trickles in is cut at the timeout: the status stands, the socket is closed", async () => {
        const timers: NodeJS.Timeout[] = [];
        const server = await serve((_req, res) => {
            res.writeHead(202, { "content-type": "application/json" });
            const timer = setInterval(() => res.write(" "), 100);
            timers.push(timer);
        });
        try {
            const started = Date.now();
            const answer = await post(server.url, 500);
            const took = Date.now() - started;
            expect([answer.status, answer.bodyCut]).to.deep.equal([202, "time"]);
            expect(took).to.be.within(450, 2_000);
            await new Promise((r) => setTimeout(r, 200));
            expect(server.sockets.size).to.equal(0);
        } finally {
            timers.forEach(clearInterval);
            await server.close();
        }
    });

    it("a 5 MB answer is read up to 64 KiB and no further", async () => {
        const server = await serve((_req, res) => {
            res.writeHead(202, { "content-type": "application/json" });
            res.end(`{"message": "${"x".repeat(5 * 1024 * 1024)}"}`);
        });
        try {
            const answer = await post(server.url, 5_000);
            expect([answer.status, answer.bodyCut]).to.deep.equal([202, "size"]);
            expect(Buffer.byteLength(answer.body)).to.equal(MAX_BODY_BYTES);
        } finally {
            await server.close();
        }
    });

    it("no headers in time: a timeout that says how long, and what set it", async () => {
        const server = await serve(() => undefined);
        try {
            const err = await rejectionOf(post(server.url, 300));
            expect(err).to.be.instanceOf(BoxNetworkError);
            expect(err.message).to.match(
                /\(timeout\) at POST http:\/\/127\.0\.0\.1:\d+\/2\.0\/users\/terminate_sessions: no answer within 300 ms$/,
            );
            const cut = await rejectionOf(post(server.url, 300, "the rest of box:deadlineSeconds=5"));
            expect(cut.message).to.match(/no answer within 300 ms \(the rest of box:deadlineSeconds=5\)$/);
        } finally {
            await server.close();
        }
    });

    it("reads a body of exactly the limit whole, and says why a body is incomplete", async () => {
        const never = new AbortController().signal;
        expect(await readLimited(Readable.from([Buffer.alloc(8, 97)]), 8, never)).to.deep.equal({
            body: "aaaaaaaa",
        });
        expect(await readLimited(Readable.from([Buffer.alloc(9, 97)]), 8, never)).to.deep.equal({
            body: "aaaaaaaa",
            cut: "size",
        });
        const aborted = new AbortController();
        aborted.abort();
        expect(await readLimited(new Readable({ read() {} }), 8, aborted.signal)).to.deep.equal({
            body: "",
            cut: "time",
        });
        const broken = new Readable({ read() {} });
        const reading = readLimited(broken, 8, never);
        broken.push("ab");
        broken.destroy(new Error("reset"));
        expect(await reading).to.deep.equal({ body: "ab", cut: "connection" });
    });
});
