/**
 * Authentication against the emulator's token endpoint: Client Credentials Grant, JWT with an
 * encrypted key, token sharing and expiry, the 401-then-refresh path and token-endpoint errors.
 */
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildJwtAssertion } from "../../provider/core/jwt";
import { BoxOAuthError } from "../../provider/core/errors";
import { parseJwtAppConfig } from "../../provider/core/settings-credentials";
import { createTestJwtApp, startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { configure, errorSurface, expectNoCanary, inputs, provider, rejectionOf } from "../helpers";
import { warnings } from "../root-hooks";

const CCG = {
    clientId: "ccg-client-1",
    clientSecret: "ccg_CANARY_secret_41d2",
    enterpriseId: "900001",
    userIds: ["3001"],
};

describe("authentication", () => {
    let box: BoxEmulator;
    const jwt = createTestJwtApp({
        enterpriseId: "900001",
        userIds: ["3001"],
        passphrase: "jwt_CANARY_pass_77aa",
    });
    beforeEach(async () => {
        box = await startBoxEmulator({ apps: [CCG, jwt.app] });
    });
    afterEach(() => box.close());

    /** Client Credentials Grant for the enterprise, against the current emulator. */
    const ccgConfig = (): Record<string, string> => ({
        "box:baseUrl": box.baseUrl,
        "box:clientId": CCG.clientId,
        "box:clientSecret": CCG.clientSecret,
        "box:enterpriseId": CCG.enterpriseId,
    });
    const tokenRequests = (): number => box.requests.filter((r) => r.path === "/oauth2/token").length;
    const apiRequests = () => box.requests.filter((r) => r.path.startsWith("/2.0/"));

    it("builds a JWT assertion Box accepts: RS256 with kid, and iss/sub/box_sub_type/aud/jti/exp claims", () => {
        const app = parseJwtAppConfig(jwt.configJson, "test");
        const now = 1_800_000_000;
        const assertion = buildJwtAssertion(
            app,
            { type: "enterprise", id: "900001" },
            "https://api.box.com/oauth2/token",
            now,
        );
        const [h, c, sig] = assertion.split(".");
        const header = JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>;
        const claims = JSON.parse(Buffer.from(c, "base64url").toString()) as Record<string, unknown>;
        expect(header).to.deep.equal({ alg: "RS256", typ: "JWT", kid: Object.keys(jwt.app.publicKeys!)[0] });
        expect(claims).to.deep.include({
            iss: app.clientId,
            sub: "900001",
            box_sub_type: "enterprise",
            aud: "https://api.box.com/oauth2/token",
            iat: now,
        });
        expect(claims.exp).to.be.within(now + 1, now + 60);
        expect(String(claims.jti).length).to.be.within(16, 128);
        const publicKey = Object.values(jwt.app.publicKeys!)[0];
        expect(
            crypto.verify("sha256", Buffer.from(`${h}.${c}`), publicKey, Buffer.from(sig, "base64url")),
        ).to.equal(true);
    });

    it("a wrong passphrase fails clearly, naming neither key nor passphrase", () => {
        const app = { ...parseJwtAppConfig(jwt.configJson, "test"), passphrase: "wrong_CANARY_pass" };
        const err = (() => {
            try {
                buildJwtAssertion(app, { type: "enterprise", id: "1" }, "x", 1);
            } catch (e) {
                return e as Error;
            }
            return undefined;
        })();
        expect(err).to.be.instanceOf(BoxOAuthError);
        expect(err!.message).to.match(/cannot open the JWT app's private key/);
        expectNoCanary(["wrong_CANARY_pass", "jwt_CANARY_pass_77aa", "PRIVATE KEY"], errorSurface(err));
    });

    it("an ed25519 or EC key says what Box accepts instead of a raw 'invalid digest'", () => {
        for (const type of ["ed25519", "ec"] as const) {
            const { privateKey } =
                type === "ec"
                    ? crypto.generateKeyPairSync("ec", { namedCurve: "P-256" })
                    : crypto.generateKeyPairSync("ed25519");
            const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
            const app = {
                ...parseJwtAppConfig(jwt.configJson, "test"),
                privateKey: pem,
                passphrase: undefined,
            };
            expect(() => buildJwtAssertion(app, { type: "enterprise", id: "1" }, "x", 1), type).to.throw(
                BoxOAuthError,
                new RegExp(
                    `the JWT app's private key is an? ${type.toUpperCase()} key; Box signs JWT assertions with RS256, which needs an RSA key`,
                ),
            );
        }
    });

    it("Client Credentials Grant: form-encoded token request for the enterprise, then bearer calls", async () => {
        await configure(ccgConfig());
        await provider.create(inputs({ userIds: ["1"] }));
        const tokenCall = box.requests[0];
        expect(tokenCall.path).to.equal("/oauth2/token");
        expect(tokenCall.headers["content-type"]).to.match(/^application\/x-www-form-urlencoded/);
        expect(tokenCall.body).to.deep.equal({
            grant_type: "client_credentials",
            client_id: CCG.clientId,
            box_subject_type: "enterprise",
            box_subject_id: "900001",
        });
        expect(apiRequests().map((r) => [r.status, r.token])).to.deep.equal([[202, "ccg:enterprise:900001"]]);
    });

    it("Client Credentials Grant with a user subject", async () => {
        process.env.BOX_CLIENT_ID = CCG.clientId;
        process.env.BOX_CLIENT_SECRET = CCG.clientSecret;
        process.env.BOX_USER_ID = "3001";
        // The origin comes from the same source as the credentials.
        process.env.BOX_BASE_URL = box.baseUrl;
        await configure({});
        await provider.create(inputs({ userIds: ["1"] }));
        expect(apiRequests()[0].token).to.equal("ccg:user:3001");
    });

    it("JWT from a config file path: the emulator verifies signature and claims", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "box-jwt-"));
        const file = path.join(dir, "config.json");
        fs.writeFileSync(file, jwt.configJson);
        try {
            await configure({ "box:baseUrl": box.baseUrl, "box:jwtConfigPath": file });
            await provider.create(inputs({ groupIds: ["5"] }));
            expect(box.requests[0].body).to.deep.include({
                grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
                box_subject_type: "enterprise",
                box_subject_id: "900001",
            });
            expect(apiRequests().map((r) => [r.status, r.token])).to.deep.equal([
                [202, "jwt:enterprise:900001"],
            ]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("fetches one token per process and shares it across resources", async () => {
        await configure({
            "box:baseUrl": box.baseUrl,
            "box:jwtConfig": jwt.configJson,
            "box:userId": "3001",
        });
        await Promise.all([
            provider.create(inputs({ userIds: ["1"] })),
            provider.create(inputs({ userIds: ["2"] })),
            provider.create(inputs({ groupIds: ["3"] })),
        ]);
        expect(tokenRequests()).to.equal(1);
        expect(apiRequests().map((r) => r.token)).to.deep.equal([
            "jwt:user:3001",
            "jwt:user:3001",
            "jwt:user:3001",
        ]);
    });

    it("fetches a new token shortly before expires_in runs out", async () => {
        await box.close();
        box = await startBoxEmulator({ apps: [CCG], tokenTtlSeconds: 1 });
        await configure(ccgConfig());
        await provider.create(inputs({ userIds: ["1"] }));
        await provider.create(inputs({ userIds: ["2"] }));
        expect(tokenRequests()).to.equal(1);
        await new Promise((r) => setTimeout(r, 1000));
        await provider.create(inputs({ userIds: ["3"] }));
        expect(tokenRequests()).to.equal(2);
        expect(apiRequests().every((r) => r.status === 202)).to.equal(true);
    });

    it("the token endpoint is retried after a 5xx and a dropped connection, and a persistent 429 fails clearly", async () => {
        await configure({ ...ccgConfig(), "box:maxRetries": "2" });
        box.enqueue({ path: "/oauth2/token", status: 503 }, { path: "/oauth2/token", drop: true });
        await provider.create(inputs({ userIds: ["1"] }));
        expect(box.requests.map((r) => [r.path, r.status])).to.deep.equal([
            ["/oauth2/token", 503],
            ["/oauth2/token", 0],
            ["/oauth2/token", 200],
            ["/2.0/users/terminate_sessions", 202],
        ]);
        expect(warnings.join("\n")).to.match(
            /\/oauth2\/token: attempt 1 of 3 failed \(HTTP 503\); retrying in \d+ ms/,
        );

        box.expireIssuedTokens();
        box.clearRequests();
        box.enqueue(
            ...[1, 2, 3].map(() => ({ path: "/oauth2/token", status: 429, headers: { "retry-after": "0" } })),
        );
        await configure({ ...ccgConfig(), "box:maxRetries": "2", "box:clientId": CCG.clientId });
        const err = await rejectionOf(provider.create(inputs({ userIds: ["2"] })));
        expect(err.message).to.match(/^Box OAuth error http_429 \(HTTP 429\)\./);
        expect(box.requests.map((r) => r.status)).to.deep.equal([401, 429, 429, 429]);
    });

    it("a 401 mid-run fetches a fresh token once and retries the request once", async () => {
        await configure(ccgConfig());
        const created = await provider.create(inputs({ userIds: ["1"] }));
        box.expireIssuedTokens();
        await provider.update!(created.id, created.outs, inputs({ userIds: ["1", "2"] }));
        expect(box.requests.map((r) => [r.path, r.status])).to.deep.equal([
            ["/oauth2/token", 200],
            ["/2.0/users/terminate_sessions", 202],
            ["/2.0/users/terminate_sessions", 401],
            ["/oauth2/token", 200],
            ["/2.0/users/terminate_sessions", 202],
        ]);
    });

    it("a second 401 after the refresh fails instead of looping", async () => {
        await configure(ccgConfig());
        box.enqueue(
            { path: "/2.0/users/terminate_sessions", status: 401 },
            { path: "/2.0/users/terminate_sessions", status: 401 },
        );
        const err = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(err.message).to.match(/^Box API 401 unauthorized: .*freshly issued token/);
        expect(tokenRequests()).to.equal(2);
        expect(apiRequests()).to.have.length(2);
    });

    it("token-endpoint failures read 'Box OAuth error <code>: <description>' with a hint, and no secret", async () => {
        await configure({
            "box:baseUrl": box.baseUrl,
            "box:clientId": CCG.clientId,
            "box:clientSecret": "wrong_CANARY_secret_9f",
            "box:enterpriseId": CCG.enterpriseId,
        });
        const badClient = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(badClient.message).to.match(
            /^Box OAuth error invalid_client: The client credentials are invalid \(HTTP 400\)\. Check the client ID and secret/,
        );
        expectNoCanary(["wrong_CANARY_secret_9f"], errorSurface(badClient));

        await configure({
            "box:baseUrl": box.baseUrl,
            "box:clientId": CCG.clientId,
            "box:clientSecret": CCG.clientSecret,
            "box:userId": "4040",
        });
        const badSubject = await rejectionOf(provider.create(inputs({ userIds: ["1"] })));
        expect(badSubject.message).to.match(
            /^Box OAuth error invalid_grant: Grant credentials are invalid \(HTTP 400\)\. .*authorized in the Box Admin Console.*subject type.*clock/,
        );
        expect(apiRequests()).to.have.length(0);
        expectNoCanary([CCG.clientSecret], errorSurface(badSubject));
    });

    it("an expired JWT assertion is refused by the emulator's claim checks (exp within 60 s)", async () => {
        const app = parseJwtAppConfig(jwt.configJson, "test");
        const stale = buildJwtAssertion(
            app,
            { type: "enterprise", id: "900001" },
            `${box.baseUrl}/oauth2/token`,
            Math.floor(Date.now() / 1000) - 120,
        );
        const res = await fetch(`${box.baseUrl}/oauth2/token`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
                grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
                assertion: stale,
                client_id: app.clientId,
                client_secret: app.clientSecret,
            }).toString(),
        });
        expect(res.status).to.equal(400);
        expect(await res.json()).to.deep.include({ error: "invalid_grant" });
    });
});
