/**
 * The emulator under hostile requests: it never crashes, answers every failure with Box's error
 * shape, and never records a credential, whatever the path, content type or encoding. Requests go
 * over raw sockets, because `fetch` would normalize the paths and headers worth trying. The first
 * suite pins the cases from the issue; the second throws generated requests at it with fast-check,
 * and checks that the generated runs actually reached each kind of answer.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import * as crypto from "crypto";
import * as net from "net";
import { inspect } from "util";
import { createTestJwtApp, startBoxEmulator, type BoxEmulator } from "../../provider/testing";

const TOKEN = "emu_hostile_bearer_5f0c2a9e71d4";
const CLIENT_SECRET = "emu_hostile_client_secret_8b3e";
const USERS = "/2.0/users/terminate_sessions";

/** One answer read off a raw socket. */
interface RawAnswer {
    status: number;
    headers: Record<string, string>;
    body: string;
}

/** What a raw exchange produced: the answer, if one came, and how many body bytes we managed to send. */
interface RawExchange {
    answer?: RawAnswer;
    bytesSent: number;
}

/** Parses the first non-1xx response in `data`, or `undefined` while it is incomplete. */
function parseAnswer(data: Buffer, head: boolean): RawAnswer | undefined {
    let rest = data;
    for (;;) {
        const end = rest.indexOf("\r\n\r\n");
        if (end < 0) return undefined;
        const [statusLine, ...lines] = rest.subarray(0, end).toString("latin1").split("\r\n");
        const status = Number(statusLine.split(" ")[1]);
        const headers: Record<string, string> = {};
        for (const line of lines) {
            const colon = line.indexOf(":");
            headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        rest = rest.subarray(end + 4);
        if (status >= 100 && status < 200) continue;
        const length = head ? 0 : Number(headers["content-length"] ?? 0);
        if (rest.length < length) return undefined;
        return { status, headers, body: rest.subarray(0, length).toString("utf8") };
    }
}

/**
 * Sends a request exactly as given (head bytes, then the body in pieces) and reads one answer.
 * `endAfterSend` half-closes our side, so a request Node is still waiting on ends in a parse error.
 */
function rawExchange(
    port: number,
    head: string | Buffer,
    body: Iterable<Buffer> = [],
    options: { headMethod?: boolean; endAfterSend?: boolean; timeoutMs?: number } = {},
): Promise<RawExchange> {
    return new Promise((resolve) => {
        let data = Buffer.alloc(0);
        let bytesSent = 0;
        let done = false;
        const socket = net.connect(port, "127.0.0.1");
        const finish = (answer?: RawAnswer): void => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            socket.destroy();
            resolve({ answer, bytesSent });
        };
        const timer = setTimeout(
            () => finish(parseAnswer(data, options.headMethod ?? false)),
            options.timeoutMs ?? 3000,
        );
        socket.on("error", () => finish(parseAnswer(data, options.headMethod ?? false)));
        socket.on("close", () => finish(parseAnswer(data, options.headMethod ?? false)));
        socket.on("data", (chunk: Buffer) => {
            data = Buffer.concat([data, chunk]);
            const answer = parseAnswer(data, options.headMethod ?? false);
            if (answer) finish(answer);
        });
        socket.on("connect", () => {
            socket.write(head);
            const pieces = body[Symbol.iterator]();
            const pump = (): void => {
                for (let next = pieces.next(); !next.done; next = pieces.next()) {
                    if (done || socket.destroyed) return;
                    bytesSent += next.value.length;
                    if (!socket.write(next.value)) {
                        socket.once("drain", pump);
                        return;
                    }
                }
                if (options.endAfterSend && !done) socket.end();
            };
            pump();
        });
    });
}

/** A request head with `Connection: close`, so the server never waits for a next request. */
function requestHead(
    method: string,
    target: string,
    headers: Array<[string, string]> = [],
    host = true,
): string {
    const lines = [`${method} ${target} HTTP/1.1`, ...(host ? ["host: 127.0.0.1"] : [])];
    return [...lines, ...headers.map(([n, v]) => `${n}: ${v}`), "connection: close", "", ""].join("\r\n");
}

function port(box: BoxEmulator): number {
    return Number(new URL(box.baseUrl).port);
}

/** Asserts Box's `ClientError` shape, with the request ID in body and header alike. */
function expectBoxError(answer: RawAnswer | undefined, status: number, code?: string): void {
    expect(answer, "an answer").to.not.equal(undefined);
    expect(answer!.status).to.equal(status);
    expect(answer!.headers["content-type"]).to.equal("application/json");
    const json = JSON.parse(answer!.body) as Record<string, unknown>;
    expect(json).to.include({ type: "error", status });
    if (code) expect(json.code).to.equal(code);
    expect(json.message).to.be.a("string");
    expect(json.request_id).to.be.a("string").and.equal(answer!.headers["box-request-id"]);
}

async function expectStillServing(box: BoxEmulator): Promise<void> {
    const res = await fetch(`${box.baseUrl}${USERS}`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ user_ids: ["1"], user_logins: [] }),
    });
    expect(res.status, "a valid termination afterwards").to.equal(202);
}

/** Everything a test could print of the log. */
function printedLog(box: BoxEmulator): string {
    return JSON.stringify(box.requests) + inspect(box.requests, { depth: null });
}

function signJwt(
    header: Record<string, unknown>,
    claims: Record<string, unknown>,
    key: crypto.KeyObject,
    hash = "sha256",
) {
    const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString("base64url");
    const input = `${encode(header)}.${encode(claims)}`;
    return `${input}.${crypto.sign(hash, Buffer.from(input), key).toString("base64url")}`;
}

describe("Box emulator under hostile requests", () => {
    let box: BoxEmulator;
    const jwt = createTestJwtApp({ clientSecret: CLIENT_SECRET });
    const settings = JSON.parse(jwt.configJson) as {
        boxAppSettings: {
            clientID: string;
            appAuth: { publicKeyID: string; privateKey: string; passphrase: string };
        };
    };
    const privateKey = crypto.createPrivateKey({
        key: settings.boxAppSettings.appAuth.privateKey,
        passphrase: settings.boxAppSettings.appAuth.passphrase,
    });
    const claims = () => ({
        iss: jwt.app.clientId,
        sub: jwt.app.enterpriseId,
        box_sub_type: "enterprise",
        aud: "https://api.box.com/oauth2/token",
        jti: crypto.randomBytes(16).toString("hex"),
        exp: Math.floor(Date.now() / 1000) + 30,
    });
    const tokenForm = (assertion: string) =>
        new URLSearchParams({
            grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
            client_id: jwt.app.clientId,
            client_secret: CLIENT_SECRET,
            assertion,
        }).toString();

    beforeEach(async () => (box = await startBoxEmulator({ accessTokens: [TOKEN], apps: [jwt.app] })));
    afterEach(() => box.close());

    it("answers GET //:99999/ with Box's 404 instead of throwing Invalid URL, and keeps serving", async () => {
        for (const target of ["//:99999/", "/%zz", "*", `http://user:pw@h${USERS}x`]) {
            const { answer } = await rawExchange(port(box), requestHead("GET", target));
            expectBoxError(answer, 404, "not_found");
        }
        expect(box.requests.map((r) => r.path)).to.deep.equal(["//:99999/", "/%zz", "*", `${USERS}x`]);
        await expectStillServing(box);
    });

    it("accepts a JWT whose aud is Box's token URL, whatever its own origin, and refuses its own URL as Box would", async () => {
        const kid = settings.boxAppSettings.appAuth.publicKeyID;
        const post = async (aud: string) => {
            const res = await fetch(`${box.baseUrl}/oauth2/token`, {
                method: "POST",
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: tokenForm(signJwt({ alg: "RS256", kid }, { ...claims(), aud }, privateKey)),
            });
            return [res.status, ((await res.json()) as { error_description?: string }).error_description];
        };
        expect((await post("https://api.box.com/oauth2/token"))[0]).to.equal(200);
        expect(await post(`${box.baseUrl}/oauth2/token`)).to.deep.equal([
            400,
            "Please check the 'aud' claim.",
        ]);
    });

    it("treats a JWT kid of constructor, __proto__ or toString as an unknown key, and keeps serving", async () => {
        for (const kid of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
            const assertion = signJwt({ alg: "RS256", typ: "JWT", kid }, claims(), privateKey);
            const res = await fetch(`${box.baseUrl}/oauth2/token`, {
                method: "POST",
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: tokenForm(assertion),
            });
            expect([res.status, await res.json()], kid).to.deep.equal([
                400,
                {
                    error: "invalid_grant",
                    error_description: "OpenSSL unable to verify data: unknown public key ID (kid)",
                },
            ]);
        }
        const good = signJwt(
            { alg: "RS256", kid: settings.boxAppSettings.appAuth.publicKeyID },
            claims(),
            privateKey,
        );
        const res = await fetch(`${box.baseUrl}/oauth2/token`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: tokenForm(good),
        });
        expect(res.status).to.equal(200);
        await expectStillServing(box);
    });

    it("answers a 20 MB body with Box's 413 after reading about 1 MiB, declared or chunked, and keeps serving", async () => {
        const chunk = Buffer.alloc(64 * 1024, "a");
        const twentyMb = function* (): Generator<Buffer> {
            for (let sent = 0; sent < 20_000_000; sent += chunk.length) yield chunk;
        };
        const declared = await rawExchange(
            port(box),
            requestHead("POST", USERS, [
                ["content-type", "application/json"],
                ["content-length", "20000000"],
            ]),
            twentyMb(),
        );
        expectBoxError(declared.answer, 413, "request_entity_too_large");
        expect(declared.answer!.headers.connection).to.equal("close");

        const chunked = await rawExchange(
            port(box),
            requestHead("POST", USERS, [
                ["content-type", "application/json"],
                ["transfer-encoding", "chunked"],
            ]),
            (function* () {
                for (const piece of twentyMb())
                    yield Buffer.concat([
                        Buffer.from(`${piece.length.toString(16)}\r\n`),
                        piece,
                        Buffer.from("\r\n"),
                    ]);
            })(),
        );
        expectBoxError(chunked.answer, 413, "request_entity_too_large");
        // The connection closed long before 20 MB went through: the emulator stopped reading.
        expect(chunked.bytesSent).to.be.below(20_000_000);
        expect(box.requests.map((r) => [r.status, r.body])).to.deep.equal([
            [413, "[not recorded: over 1048576 bytes]"],
            [413, "[not recorded: over 1048576 bytes]"],
        ]);
        await expectStillServing(box);
    });

    it("applies maxBodyBytes exactly: a body of the limit is read, one byte more is refused", async () => {
        await box.close();
        box = await startBoxEmulator({ accessTokens: [TOKEN], maxBodyBytes: 64 });
        const body = (size: number) => {
            const json = JSON.stringify({ user_ids: ["1"], user_logins: [] });
            return json.slice(0, -1) + " ".repeat(size - json.length) + "}";
        };
        const post = (text: string) =>
            fetch(`${box.baseUrl}${USERS}`, {
                method: "POST",
                headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
                body: text,
            });
        expect((await post(body(64))).status).to.equal(202);
        expect((await post(body(65))).status).to.equal(413);
        await expectStillServing(box);
        const refused = await startBoxEmulator({ maxBodyBytes: -1 }).then(
            () => undefined,
            (err: unknown) => err,
        );
        expect(refused).to.be.instanceOf(RangeError);
    });

    it("records no client secret or assertion sent to /oauth2/token/ or /box/oauth2/token, as form, JSON or text", async () => {
        const assertion = signJwt({ alg: "RS256", kid: "k" }, claims(), privateKey);
        const form = tokenForm(assertion);
        const json = JSON.stringify({
            client_id: "c",
            client_secret: CLIENT_SECRET,
            nested: [{ assertion }],
        });
        for (const path of ["/oauth2/token/", "/box/oauth2/token", "/oauth2/token", "/oauth2/token?x=1"]) {
            for (const [type, body] of [
                ["application/x-www-form-urlencoded", form],
                ["text/plain", form],
                ["application/json", json],
                ["", `token request: ${form}`],
            ]) {
                await fetch(`${box.baseUrl}${path}`, {
                    method: "POST",
                    headers: { "content-type": type },
                    body,
                });
            }
        }
        expect(box.requests).to.have.length(16);
        const printed = printedLog(box);
        for (const secret of [CLIENT_SECRET, assertion, assertion.split(".")[2]]) {
            expect(printed).to.not.include(secret);
        }
        expect(box.requests[0].body).to.deep.include({
            client_id: jwt.app.clientId,
            client_secret: "[REDACTED]",
        });
    });

    it("redacts the Authorization header in every printed form of the log, and keeps the token label", async () => {
        const res = await fetch(`${box.baseUrl}${USERS}`, {
            method: "POST",
            headers: {
                authorization: `Bearer ${TOKEN}`,
                "content-type": "application/json",
                "x-api-key": "apikey_hostile_1",
                "x-forwarded-authorization": `Bearer ${TOKEN}`,
            },
            body: JSON.stringify({ user_ids: ["1"], user_logins: [] }),
        });
        expect(res.status).to.equal(202);
        const [record] = box.requests;
        expect(record.token).to.equal("static#1");
        expect(printedLog(box)).to.not.include(TOKEN).and.not.include("apikey_hostile_1");
        expect(JSON.parse(JSON.stringify(record.headers))).to.deep.include({
            authorization: "Bearer [REDACTED]",
            "x-api-key": "[REDACTED]",
            "x-forwarded-authorization": "Bearer [REDACTED]",
            "content-type": "application/json",
        });
        expect(record.headers.authorization).to.equal("Bearer [REDACTED]");
    });

    it("answers bodies built to make its credential patterns slow, at the size limit, promptly", async () => {
        // Such a body once held the event loop for seconds per 100 KB: the log's patterns were quadratic.
        for (const unit of ["eyJ", "passw", "eyJa", "secret "]) {
            const body = unit.repeat(Math.floor((1024 * 1024 - 16) / unit.length));
            const started = Date.now();
            const res = await Promise.race([
                fetch(`${box.baseUrl}${USERS}`, {
                    method: "POST",
                    headers: { "content-type": "text/plain" },
                    body,
                }),
                new Promise<never>((_, reject) =>
                    setTimeout(() => reject(new Error(`no answer for ${unit}`)), 15_000),
                ),
            ]);
            expect(res.status, unit).to.equal(401);
            expect(Date.now() - started, unit).to.be.below(15_000);
        }
    });

    it("scrubs every secret it knows wherever a client puts it: path, any header, any body field", async () => {
        const res = await fetch(`${box.baseUrl}/2.0/x/${TOKEN}`, {
            method: "POST",
            headers: { authorization: `Bearer ${TOKEN}`, "x-box-key": TOKEN, "content-type": "text/plain" },
            body: JSON.stringify({ note: `here it is: ${TOKEN}` }),
        });
        expect(res.status).to.be.at.least(400);
        await fetch(`${box.baseUrl}${USERS}`, {
            method: "POST",
            headers: { authorization: `Bearer ${TOKEN}`, "content-type": "text/plain" },
            body: TOKEN,
        });
        expect(printedLog(box)).to.not.include(TOKEN);
        expect(JSON.stringify(box.requests)).to.not.include(TOKEN);
        expect(box.knownSecrets()).to.include(TOKEN);
    });

    it("scrubs its token when it arrives percent-encoded in a path, a header or a body, once or twice", async () => {
        const once = [...Buffer.from(TOKEN)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
        const twice = once.replace(/%/g, "%25");
        const lower = once.toLowerCase();
        for (const encoded of [once, twice, lower, `${TOKEN.slice(0, 4)}${once.slice(12)}`]) {
            const head = requestHead("POST", `/2.0/x/${encoded}/y`, [
                ["x-note", encoded],
                ["content-type", "text/plain"],
                ["content-length", String(encoded.length)],
            ]);
            const { answer } = await rawExchange(port(box), head, [Buffer.from(encoded)]);
            expectBoxError(answer, 404);
        }
        expect(box.requests).to.have.length(4);
        const log = printedLog(box);
        expect(log).to.not.include(TOKEN);
        for (const encoded of [once, twice, lower]) expect(log).to.not.include(encoded);
        expect(box.requests[0].path).to.equal("/2.0/x/[REDACTED]/y");
        await expectStillServing(box);
    });

    it("scrubs known secrets from the fields the token endpoint logs, even swapped into client_id or the subject", async () => {
        const forms: Array<Record<string, string>> = [
            { grant_type: "client_credentials", client_id: CLIENT_SECRET, client_secret: jwt.app.clientId },
            {
                grant_type: "client_credentials",
                client_id: jwt.app.clientId,
                client_secret: "wrong",
                box_subject_type: "enterprise",
                box_subject_id: TOKEN,
            },
        ];
        for (const form of forms) {
            await fetch(`${box.baseUrl}/oauth2/token`, {
                method: "POST",
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams(form).toString(),
            });
        }
        expect(box.requests).to.have.length(2);
        expect(printedLog(box)).to.not.include(CLIENT_SECRET).and.not.include(TOKEN);
    });

    it("bounds its log's memory: a body of too many JSON values is a placeholder, and the oldest records go past the total", async () => {
        const tiny = await startBoxEmulator({ accessTokens: [TOKEN], log: { totalBytes: 200_000 } });
        try {
            const post = (body: string) =>
                fetch(`${tiny.baseUrl}${USERS}`, {
                    method: "POST",
                    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
                    body,
                });
            await post(`[${Array(80_000).fill("{}").join(",")}]`);
            expect(tiny.requests[0].body).to.equal("[not recorded: more than 20000 JSON values]");
            const ids = JSON.stringify({
                user_ids: Array.from({ length: 1000 }, (_, i) => String(i)),
                user_logins: [],
            });
            for (let i = 0; i < 5; i++) await post(ids);
            // Each kept body costs about 75 KB (its text and its 1,000 values): two fit in 200,000.
            expect(tiny.requests.length).to.be.within(2, 3);
            expect(tiny.requests.at(-1)!.status).to.equal(202);
            // The token route keeps form fields of its own choosing: bounded the same way.
            await fetch(`${tiny.baseUrl}/oauth2/token`, {
                method: "POST",
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: `grant_type=client_credentials&client_id=${"a".repeat(300 * 1024)}`,
            });
            expect(tiny.requests.at(-1)!.body).to.match(
                /^\[not recorded: \d+ bytes, over the log's 262144\]$/,
            );
        } finally {
            await tiny.close();
        }
    });

    it("bounds its log: the latest requests only, and a body over the limit as a placeholder with its size", async () => {
        const small = await startBoxEmulator({ accessTokens: [TOKEN], log: { requests: 3, bodyBytes: 64 } });
        try {
            for (let i = 0; i < 5; i++) {
                await fetch(`${small.baseUrl}${USERS}`, {
                    method: "POST",
                    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
                    body: JSON.stringify({
                        user_ids: [String(i)],
                        user_logins: i === 4 ? ["a".repeat(80)] : [],
                    }),
                });
            }
            expect(small.requests).to.have.length(3);
            expect(
                small.requests.map((r) => (r.body as { user_ids?: string[] }).user_ids?.[0]),
            ).to.deep.equal(["2", "3", undefined]);
            expect(small.requests[2].body).to.match(/^\[not recorded: \d+ bytes, over the log's 64\]$/);
            expect(small.requests[2].status).to.equal(202);
        } finally {
            await small.close();
        }
        // The defaults: 40 bodies of almost 1 MiB each keep a few kilobytes of log, not 40 MB of JSON.
        const body = JSON.stringify({
            user_ids: Array.from({ length: 90_000 }, (_, i) => String(i)),
            user_logins: [],
        });
        expect(body.length).to.be.below(1024 * 1024);
        for (let i = 0; i < 40; i++) {
            await fetch(`${box.baseUrl}${USERS}`, {
                method: "POST",
                headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
                body,
            });
        }
        expect(box.requests).to.have.length(40);
        expect(JSON.stringify(box.requests).length).to.be.below(40 * 1000);
    });

    it("redacts a credential that is not first in a repeated header Node joins with commas", async () => {
        const { answer } = await rawExchange(
            port(box),
            requestHead("GET", "/", [
                ["x-upstream", "first"],
                ["x-upstream", `Bearer ${TOKEN}`],
            ]),
        );
        expect(answer?.status).to.equal(404);
        expect(printedLog(box)).to.not.include(TOKEN);
        expect(box.requests[0].headers["x-upstream"]).to.equal("[REDACTED]");
    });

    it("accepts the bearer scheme in any case, as HTTP allows, and nothing else", async () => {
        const send = (authorization: string) =>
            fetch(`${box.baseUrl}${USERS}`, {
                method: "POST",
                headers: { authorization, "content-type": "application/json" },
                body: JSON.stringify({ user_ids: ["1"], user_logins: [] }),
            }).then((r) => r.status);
        const statuses = await Promise.all(
            [
                `bearer ${TOKEN}`,
                `BEARER ${TOKEN}`,
                `BeArEr   ${TOKEN}`,
                `Basic ${TOKEN}`,
                `Bearer ${TOKEN} x`,
                "Bearer",
            ].map(send),
        );
        expect(statuses).to.deep.equal([202, 202, 202, 401, 401, 401]);
    });

    it("answers what Node would answer bare (bad method, huge headers, CONNECT, odd Expect) in Box's shape", async () => {
        const badMethod = await rawExchange(port(box), "FOO / HTTP/1.1\r\nhost: x\r\n\r\n");
        expectBoxError(badMethod.answer, 400, "bad_request");
        const hugePath = await rawExchange(port(box), requestHead("GET", `/${"a".repeat(20_000)}`));
        expectBoxError(hugePath.answer, 431);
        const noHost = await rawExchange(port(box), "GET /nothing HTTP/1.1\r\nconnection: close\r\n\r\n");
        expectBoxError(noHost.answer, 404, "not_found");
        const connect = await rawExchange(
            port(box),
            "CONNECT example.com:443 HTTP/1.1\r\nhost: example.com\r\n\r\n",
        );
        expectBoxError(connect.answer, 405, "method_not_allowed");
        const expectation = await rawExchange(
            port(box),
            requestHead("POST", USERS, [
                ["expect", "teapot"],
                ["content-length", "2"],
            ]),
            [Buffer.from("{}")],
        );
        expectBoxError(expectation.answer, 417);
        const garbage = await rawExchange(port(box), Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a]), [], {
            endAfterSend: true,
        });
        expectBoxError(garbage.answer, 400);
        await expectStillServing(box);
    });

    it("fails closed with Box's 500 when a handler throws (here: a fault with an invalid header name)", async () => {
        box.enqueue({ path: USERS, status: 503, headers: { "bad header": "x" } });
        const { answer } = await rawExchange(
            port(box),
            requestHead("POST", USERS, [
                ["authorization", `Bearer ${TOKEN}`],
                ["content-type", "application/json"],
                ["content-length", "2"],
            ]),
            [Buffer.from("{}")],
        );
        expectBoxError(answer, 500, "internal_server_error");
        expect(box.requests.map((r) => r.status)).to.deep.equal([500]);
        await expectStillServing(box);
    });

    it("does not count a rejected request as accepted because its body claims appliedBeforeFailure", async () => {
        await fetch(`${box.baseUrl}${USERS}`, {
            method: "POST",
            headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
            body: JSON.stringify({ user_ids: [], user_logins: [], appliedBeforeFailure: true }),
        });
        expect(box.requests.map((r) => r.status)).to.deep.equal([400]);
        expect(box.accepted()).to.deep.equal([]);
    });
});

describe("Box emulator under arbitrary requests (property-based)", function () {
    this.timeout(30_000);
    const CCG_SECRET = "fz_ccg_secret_0a7d55e1c93b";
    const PASSWORD = "fz_password_77c1e0b2a4f9";
    const jwt = createTestJwtApp({ clientSecret: CLIENT_SECRET });
    const jwtSettings = JSON.parse(jwt.configJson) as {
        boxAppSettings: { appAuth: { publicKeyID: string; privateKey: string; passphrase: string } };
    };
    const KID = jwtSettings.boxAppSettings.appAuth.publicKeyID;
    const privateKey = crypto.createPrivateKey({
        key: jwtSettings.boxAppSettings.appAuth.privateKey,
        passphrase: jwtSettings.boxAppSettings.appAuth.passphrase,
    });
    const LIMIT = 4096;
    let box: BoxEmulator;

    /**
     * Mostly the common case, sometimes each rare one. Hostile input is mixed into otherwise
     * plausible requests, so that what lies behind Node's parser (authentication, validation,
     * routing, the directory, log scrubbing) is reached too, not only Node's 400.
     */
    const often = <T>(common: fc.Arbitrary<T>, ...rare: Array<fc.Arbitrary<T>>): fc.Arbitrary<T> =>
        fc.oneof({ arbitrary: common, weight: 2 * rare.length }, ...rare);

    before(
        async () =>
            (box = await startBoxEmulator({
                accessTokens: [TOKEN],
                apps: [jwt.app, { clientId: "fz-ccg", clientSecret: CCG_SECRET, enterpriseId: "900001" }],
                maxBodyBytes: LIMIT,
                // Logins unchecked; IDs other than 1-3 unknown: the directory sees hostile input too.
                directory: { userIds: ["1", "2", "3"], groupIds: ["1", "2", "3"] },
            })),
    );
    after(() => box.close());

    /** A body and the secrets it carries. */
    type Body = { text: Buffer; secrets: string[] };
    const plain = (text: string | Buffer, secrets: string[] = []): Body => ({
        text: Buffer.isBuffer(text) ? text : Buffer.from(text),
        secrets,
    });

    const secretValue = fc.constantFrom(TOKEN, CLIENT_SECRET, CCG_SECRET, PASSWORD);
    const secretField = fc.constantFrom(
        "client_secret",
        "CLIENT_SECRET",
        "clientSecret",
        "Client-Secret",
        "assertion",
        "password",
        "passwd",
        "access_token",
        "refresh_token",
        "subject_token",
        "api_key",
    );
    /** Credentials where the log must not keep them: JSON (nested), form fields, multipart parts. */
    const secretBody: fc.Arbitrary<Body> = fc.oneof(
        fc
            .tuple(secretField, secretValue, fc.nat({ max: 3 }), fc.jsonValue({ maxDepth: 2 }))
            .map(([field, secret, depth, other]) => {
                let value: unknown = { other, [field]: secret };
                for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { wrapped: value };
                return plain(JSON.stringify(value), [secret]);
            }),
        fc
            .tuple(
                fc.array(fc.tuple(secretField, secretValue), { minLength: 1, maxLength: 3 }),
                fc.array(
                    fc.tuple(fc.stringMatching(/^[a-z_]{1,10}$/), fc.stringMatching(/^[a-z0-9]{0,10}$/)),
                    {
                        maxLength: 3,
                    },
                ),
                fc.boolean(),
            )
            .map(([secrets, others, encodeNames]) => {
                const pairs = [...others, ["grant_type", "client_credentials"], ...secrets].map(
                    ([name, value]) => `${encodeNames ? name.replace(/_/g, "%5F") : name}=${value}`,
                );
                return plain(
                    pairs.join("&"),
                    secrets.map(([, value]) => value),
                );
            }),
        fc
            .tuple(secretField, secretValue)
            .map(([field, secret]) =>
                plain(
                    `--b\r\ncontent-disposition: form-data; name="${field}"\r\n\r\n${secret}\r\n--b--\r\n`,
                    [secret],
                ),
            ),
    );
    const id = often(fc.constantFrom("1", "2", "3"), fc.stringMatching(/^[1-9][0-9]{0,8}$/));
    /** Valid for both endpoints: both user arrays (not both empty) and a non-empty group_ids. */
    const validTerminateBody = fc
        .tuple(
            fc.array(id, { maxLength: 3 }),
            fc.array(fc.emailAddress(), { maxLength: 2 }),
            fc.array(id, { minLength: 1, maxLength: 3 }),
        )
        .map(([ids, logins, groups]) =>
            plain(
                JSON.stringify({
                    user_ids: ids.length || logins.length ? ids : groups,
                    user_logins: logins,
                    group_ids: groups,
                }),
            ),
        );
    /** Any subset of the three lists, with any strings or numbers in them. */
    const looseTerminateBody = fc
        .record(
            {
                user_ids: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
                user_logins: fc.array(fc.string(), { maxLength: 3 }),
                group_ids: fc.array(fc.string(), { maxLength: 3 }),
            },
            { requiredKeys: [] },
        )
        .map((value) => plain(JSON.stringify(value)));
    const body: fc.Arbitrary<Body | undefined> = often<Body | undefined>(
        validTerminateBody,
        fc.constant(undefined),
        looseTerminateBody,
        secretBody,
        secretBody,
        fc.jsonValue().map((v) => plain(JSON.stringify(v) ?? "null")),
        fc.nat({ max: 2000 }).map((depth) => plain("[".repeat(depth) + "]".repeat(depth))),
        fc.string({ unit: "binary", maxLength: 200 }).map((s) => plain(s)),
        fc.uint8Array({ maxLength: 200 }).map((bytes) => plain(Buffer.from(bytes))),
        fc.integer({ min: LIMIT + 1, max: 5 * LIMIT }).map((size) => plain("x".repeat(size))),
        fc
            .integer({ min: LIMIT + 1, max: 5 * LIMIT })
            .map((size) => plain(`client_secret=${CLIENT_SECRET}&x=${"y".repeat(size)}`, [CLIENT_SECRET])),
    );
    const target = often(
        fc.constantFrom(USERS, "/2.0/groups/terminate_sessions"),
        fc.constantFrom(
            "/oauth2/token",
            "/oauth2/token/",
            "/box/oauth2/token",
            "//:99999/",
            "/%zz",
            "*",
            "/",
            "//",
            `${USERS}/`,
            `/2.0/../2.0${USERS.slice(4)}`,
            "/constructor",
            "/__proto__",
        ),
        fc.stringMatching(/^\/[!-~]{0,64}$/),
        // Short of Node's 16 KiB header limit, and beyond it (431).
        fc
            .oneof(fc.integer({ min: 1000, max: 5000 }), fc.integer({ min: 17_000, max: 30_000 }))
            .map((n) => `/${"a".repeat(n)}`),
    );
    /** Paths and the secrets they carry: a query, or the userinfo of an absolute-form target. */
    const targetWithSecrets = often(
        target.map((t) => ({ target: t, secrets: [] as string[] })),
        fc
            .tuple(target, secretValue)
            .map(([t, secret]) => ({ target: `${t}?client_secret=${secret}`, secrets: [secret] })),
        fc.tuple(target, secretValue).map(([t, secret]) => ({
            target: `http://fz:${secret}@box.example${t.startsWith("/") ? t : `/${t}`}`,
            secrets: [secret],
        })),
    );
    const authorization = often<string | undefined>(
        fc.constantFrom(`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER\t${TOKEN}`, `Bearer   ${TOKEN}   `),
        fc.constant(undefined),
        fc.constantFrom(
            `Token ${TOKEN}`,
            `Basic ${Buffer.from(`fz-ccg:${CCG_SECRET}`).toString("base64")}`,
            "Bearer constructor",
            "Bearer __proto__",
            "constructor",
            "Bearer",
            "",
        ),
        fc.stringMatching(/^[ -~]{0,40}$/),
    );
    const header: fc.Arbitrary<[string, string]> = often<[string, string]>(
        fc.tuple(
            fc.constantFrom("accept", "user-agent", "x-request-id"),
            fc.stringMatching(/^[!-~][ -~]{0,30}$/),
        ),
        fc.tuple(
            fc.constantFrom("x-api-key", "cookie", "proxy-authorization", "x-client-secret", "x-auth-token"),
            secretValue,
        ),
        secretValue.map((secret): [string, string] => ["x-forwarded-authorization", `Bearer ${secret}`]),
        authorization.map((v): [string, string] => ["authorization", v ?? ""]),
        fc.tuple(
            fc.oneof(
                fc.constantFrom("expect", "upgrade", "content-encoding", "host"),
                fc.stringMatching(/^[a-z0-9-]{1,16}$/),
            ),
            fc.oneof(
                fc.stringMatching(/^[ -~]{0,40}$/),
                fc.string({ unit: "binary", maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, "")),
            ),
        ),
    );
    const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);
    const request = fc.record({
        method: often(
            fc.constant("POST"),
            fc.constantFrom(
                "GET",
                "PUT",
                "DELETE",
                "PATCH",
                "HEAD",
                "OPTIONS",
                "TRACE",
                "CONNECT",
                "PROPFIND",
            ),
            fc.constantFrom("post", "G ET", "PoSt"),
            fc.stringMatching(/^[A-Z]{1,12}$/),
        ),
        target: targetWithSecrets,
        authorization,
        headers: fc.array(header, { maxLength: 4 }).map((hs) => hs.filter(([name]) => !FRAMING.has(name))),
        contentType: often<string | null>(
            fc.constant("application/json"),
            fc.constant(null),
            fc.constantFrom(
                "application/x-www-form-urlencoded",
                "text/plain",
                "multipart/form-data; boundary=b",
                "APPLICATION/JSON; charset=utf-8",
                "",
            ),
            fc.stringMatching(/^[ -~]{0,30}$/),
        ),
        body,
        chunked: fc.boolean(),
        /** HTTP/1.1 requires Host; Node answers its absence itself unless told not to. */
        host: often(fc.constant(true), fc.constant(false)),
    });
    type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

    /** The bytes of a request: our own framing (content-length or chunked) and `connection: close`. */
    function encode(r: FuzzRequest): { head: string; pieces: Buffer[] } {
        const headers: Array<[string, string]> = [...r.headers];
        if (r.authorization !== undefined) headers.unshift(["authorization", r.authorization]);
        if (r.contentType !== null) headers.push(["content-type", r.contentType]);
        let pieces: Buffer[] = [];
        if (r.body && r.chunked) {
            headers.push(["transfer-encoding", "chunked"]);
            pieces = r.body.text.length
                ? [
                      Buffer.from(`${r.body.text.length.toString(16)}\r\n`),
                      r.body.text,
                      Buffer.from("\r\n0\r\n\r\n"),
                  ]
                : [Buffer.from("0\r\n\r\n")];
        } else if (r.body) {
            headers.push(["content-length", String(r.body.text.length)]);
            pieces = [r.body.text];
        }
        return { head: requestHead(r.method, r.target.target, headers, r.host), pieces };
    }

    /** Whether Box's token endpoint (OAuth error shape) is what the request reached. */
    function reachesTokenEndpoint(method: string, target: string): boolean {
        return (
            method === "POST" &&
            /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)?\/oauth2\/token(?:[?#]|$)/.test(target)
        );
    }

    /** An answer that fails is Box-shaped: ClientError JSON, or OAuth's error at the token endpoint. */
    function expectBoxShapedFailure(answer: RawAnswer, tokenEndpoint: boolean, head: boolean): void {
        expect(answer.headers["box-request-id"], "box-request-id").to.match(/^[0-9a-f]{16}$/);
        if (answer.status < 400 || head) return;
        expect(answer.headers["content-type"]).to.equal("application/json");
        const json = JSON.parse(answer.body) as Record<string, unknown>;
        if (tokenEndpoint && typeof json.error === "string") {
            expect(json.error_description).to.be.a("string");
            return;
        }
        expect(json).to.include({ type: "error", status: answer.status });
        expect(json.code).to.be.a("string");
        expect(json.message).to.be.a("string");
        expect(json.request_id).to.equal(answer.headers["box-request-id"]);
    }

    /** Still answers a valid termination, and no credential sent (the health check's bearer included) is in the log. */
    async function expectHealthyAndClean(secrets: string[]): Promise<void> {
        await expectStillServing(box);
        const printed = printedLog(box);
        for (const secret of [...secrets, TOKEN])
            expect(printed, "log holds a secret").to.not.include(secret);
        box.clearRequests();
    }

    it("answers every request, fails in Box's shape, never crashes, and never logs a credential sent", async () => {
        const seen = new Map<number, number>();
        let directoryRefusals = 0;
        await fc.assert(
            fc.asyncProperty(request, async (r) => {
                const { head, pieces } = encode(r);
                const { answer } = await rawExchange(port(box), head, pieces, {
                    headMethod: r.method === "HEAD",
                });
                expect(answer, "an answer").to.not.equal(undefined);
                seen.set(answer!.status, (seen.get(answer!.status) ?? 0) + 1);
                const endpoint = [USERS, "/2.0/groups/terminate_sessions"].includes(r.target.target);
                if (answer!.status === 404 && r.method === "POST" && endpoint) directoryRefusals++;
                expect(answer!.status, "no handler threw").to.not.equal(500);
                expectBoxShapedFailure(
                    answer!,
                    reachesTokenEndpoint(r.method, r.target.target),
                    r.method === "HEAD",
                );
                const sent = [...r.target.secrets, ...(r.body?.secrets ?? [])];
                for (const [, value] of [...r.headers, ["authorization", r.authorization ?? ""]])
                    sent.push(
                        ...[TOKEN, CLIENT_SECRET, CCG_SECRET, PASSWORD].filter((s) => value.includes(s)),
                    );
                if (
                    [...r.headers.map(([, value]) => value), r.authorization ?? ""].some((v) =>
                        v.startsWith("Basic "),
                    )
                )
                    sent.push(Buffer.from(`fz-ccg:${CCG_SECRET}`).toString("base64"));
                await expectHealthyAndClean(sent);
            }),
            { numRuns: 200 },
        );
        // Only worth something if the runs got past the parser to each of the emulator's answers.
        const statuses = [...seen.keys()].sort();
        expect(statuses, JSON.stringify([...seen])).to.include.members([202, 400, 401, 404, 413]);
        expect(directoryRefusals, "404s from the directory").to.be.at.least(1);
    });

    it("verifies JWT assertions with hostile alg and kid values exactly, and never logs secret or assertion", async () => {
        // No prototype: the oracle must not find a hash for an alg of "constructor" either.
        const HASHES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
            RS256: "sha256",
            RS384: "sha384",
            RS512: "sha512",
        });
        const hostileKey = fc.constantFrom(
            "constructor",
            "__proto__",
            "toString",
            "hasOwnProperty",
            "valueOf",
            "isPrototypeOf",
            "__defineGetter__",
        );
        // Weighted so that both the valid path and a hostile kid behind a valid alg (the kid is
        // only looked up once alg passes) come up in a good share of runs.
        const mostly = <T>(common: fc.Arbitrary<T>, ...rare: Array<fc.Arbitrary<T>>): fc.Arbitrary<T> =>
            fc.oneof({ arbitrary: common, weight: 4 * rare.length }, ...rare);
        const jwtCase = fc.record({
            alg: mostly<unknown>(
                fc.constantFrom("RS256", "RS384", "RS512"),
                fc.constantFrom("none", "HS256", "rs256", ""),
                hostileKey,
                fc.string(),
                fc.constantFrom(null, 256),
            ),
            kid: fc.oneof(
                { arbitrary: fc.constant(KID), weight: 6 },
                { arbitrary: hostileKey, weight: 3 },
                fc.string(),
                fc.integer(),
                fc.constant(null),
                fc.array(fc.string(), { maxLength: 2 }),
                fc.constant({ [KID]: KID }),
            ),
            /** Put the real kid under "__proto__" instead of as an own field. */
            protoKid: mostly(fc.constant(false), fc.constant(true)),
            /** "match": signed with the hash the alg names. */
            sign: mostly<string>(
                fc.constant("match"),
                fc.constantFrom("sha256", "sha384", "sha512", "garbage"),
            ),
            validClaims: mostly(fc.constant(true), fc.constant(false)),
            randomClaims: fc.dictionary(fc.oneof(hostileKey, fc.string()), fc.jsonValue({ maxDepth: 1 }), {
                maxKeys: 4,
            }),
            path: mostly(
                fc.constant("/oauth2/token"),
                fc.constantFrom("/oauth2/token/", "/box/oauth2/token"),
            ),
            json: mostly(fc.constant(false), fc.constant(true)),
        });
        let validRuns = 0;
        let hostileKidRuns = 0;
        await fc.assert(
            fc.asyncProperty(jwtCase, async (c) => {
                const headerJson = c.protoKid
                    ? `{"alg":${JSON.stringify(c.alg)},"__proto__":{"kid":${JSON.stringify(KID)}}}`
                    : JSON.stringify({ alg: c.alg, typ: "JWT", kid: c.kid });
                const claimsJson = JSON.stringify(
                    c.validClaims
                        ? {
                              iss: jwt.app.clientId,
                              sub: jwt.app.enterpriseId,
                              box_sub_type: "enterprise",
                              aud: "https://api.box.com/oauth2/token",
                              jti: crypto.randomBytes(16).toString("hex"),
                              exp: Math.floor(Date.now() / 1000) + 30,
                          }
                        : c.randomClaims,
                );
                const input = `${Buffer.from(headerJson).toString("base64url")}.${Buffer.from(claimsJson).toString("base64url")}`;
                const hash = c.sign === "match" ? (HASHES[String(c.alg)] ?? "sha256") : c.sign;
                const signature =
                    hash === "garbage"
                        ? crypto.randomBytes(256).toString("base64url")
                        : crypto.sign(hash, Buffer.from(input), privateKey).toString("base64url");
                const assertion = `${input}.${signature}`;
                const fields = {
                    grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
                    client_id: jwt.app.clientId,
                    client_secret: CLIENT_SECRET,
                    assertion,
                };
                const res = await fetch(`${box.baseUrl}${c.path}`, {
                    method: "POST",
                    headers: {
                        "content-type": c.json ? "application/json" : "application/x-www-form-urlencoded",
                    },
                    body: c.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
                });
                const answer = (await res.json()) as Record<string, unknown>;
                const valid =
                    c.path === "/oauth2/token" &&
                    !c.json &&
                    !c.protoKid &&
                    c.kid === KID &&
                    typeof c.alg === "string" &&
                    HASHES[c.alg] === hash &&
                    c.validClaims;
                if (valid) validRuns++;
                if (
                    typeof c.alg === "string" &&
                    HASHES[c.alg] &&
                    !c.protoKid &&
                    typeof c.kid === "string" &&
                    c.kid !== KID
                )
                    hostileKidRuns++;
                if (valid) expect([res.status, answer.token_type]).to.deep.equal([200, "bearer"]);
                else if (c.path !== "/oauth2/token")
                    expect([res.status, answer.code]).to.deep.equal([404, "not_found"]);
                else {
                    expect(res.status).to.equal(400);
                    expect(answer.error).to.be.oneOf(["invalid_grant", "invalid_request"]);
                }
                await expectHealthyAndClean([CLIENT_SECRET, assertion, signature]);
            }),
            { numRuns: 200 },
        );
        // The oracle is only worth something if both outcomes were exercised.
        expect(validRuns, "runs that should get a token").to.be.at.least(5);
        expect(hostileKidRuns, "runs with a bad kid behind a valid alg").to.be.at.least(10);
    });

    it("survives arbitrary bytes on the wire, answering in Box's shape whenever it answers", async () => {
        const prefix = fc.constantFrom(
            "",
            "POST /2.0/users/terminate_sessions HTTP/1.1\r\n",
            "GET / HTTP/1.1\r\nhost: x\r\n",
            "GET / HTTP/1.",
        );
        await fc.assert(
            fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 300 }), async (start, bytes) => {
                const { answer } = await rawExchange(
                    port(box),
                    Buffer.concat([Buffer.from(start), Buffer.from(bytes)]),
                    [],
                    {
                        endAfterSend: true,
                        timeoutMs: 1000,
                    },
                );
                if (answer) {
                    expect(answer.status).to.not.equal(500);
                    expectBoxShapedFailure(answer, false, false);
                }
                await expectHealthyAndClean([]);
            }),
            { numRuns: 100 },
        );
    });
});
