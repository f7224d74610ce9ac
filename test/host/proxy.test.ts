/**
 * Egress through an HTTPS proxy (provider/core/proxy.ts): `HTTPS_PROXY`/`NO_PROXY` and `box:proxyUrl`, a
 * CONNECT tunnel with TLS end to end to Box, so the proxy never sees a token, a secret or a login.
 * The rules in-process; the behaviour in Pulumi's provider host (from source and installed) against a
 * local CONNECT proxy and a TLS emulator whose test CA is trusted through NODE_EXTRA_CA_CERTS.
 */
import { expect } from "chai";
import { within } from "../../harness/local-server";
import { makeTestCertificates, startConnectProxy, type ConnectProxy } from "../../harness/tls-proxy";
import { BoxSettingsError } from "../../provider/core/errors";
import { bypassesProxy, resolveProxy } from "../../provider/core/proxy";
import { describeInHost } from "../host-suite";

const TOKEN = "tok_CANARY_proxy_6d0e2b9a";
const CCG = {
    clientId: "ccg-proxy-client",
    clientSecret: "ccg_CANARY_proxy_secret_41f2",
    enterpriseId: "900099",
};
const PROXY_PASSWORD = "proxypass_CANARY_77c1";
const LOGIN = "leaver.canary@proxy-test.example";

describe("proxy rules (pure)", () => {
    it("NO_PROXY: *, names with their subdomains in every spelling, ports; nothing else", () => {
        expect(bypassesProxy("*", "api.box.com", "443")).to.equal(true);
        for (const entry of [
            "box.com",
            ".box.com",
            "*.box.com",
            "BOX.COM",
            "x.example, box.com",
            "api.box.com:443",
        ])
            expect(bypassesProxy(entry, "api.box.com", "443"), entry).to.equal(true);
        for (const entry of ["", "notbox.com", "ox.com", "api.box.com:8443", "box.co"])
            expect(bypassesProxy(entry, "api.box.com", "443"), entry).to.equal(false);
        expect(bypassesProxy("127.0.0.1", "127.0.0.1", "8443")).to.equal(true);
        for (const entry of ["[::1]", "::1", "[::1]:8443"])
            expect(bypassesProxy(entry, "[::1]", "8443"), entry).to.equal(true);
        expect(bypassesProxy("[::1]:443", "[::1]", "8443")).to.equal(false);
        expect(bypassesProxy("::1", "[::2]", "443")).to.equal(false);
    });

    it("HTTPS_PROXY unless NO_PROXY names the host; box:proxyUrl wins; plain http origins never", () => {
        const env = { HTTPS_PROXY: "http://proxy.corp:3128", BOX_ACCESS_TOKEN: "t" };
        expect(resolveProxy({}, env, "https://api.box.com")).to.deep.equal({
            url: "http://proxy.corp:3128",
            source: "HTTPS_PROXY (environment)",
        });
        expect(resolveProxy({}, { https_proxy: "http://p:1" }, "https://api.box.com")?.source).to.equal(
            "https_proxy (environment)",
        );
        expect(resolveProxy({}, { ...env, NO_PROXY: ".box.com" }, "https://api.box.com")).to.equal(undefined);
        expect(resolveProxy({}, env, "http://127.0.0.1:8080")).to.equal(undefined);
        expect(
            resolveProxy(
                { accessToken: "t", proxyUrl: "http://mine:8080" },
                { ...env, NO_PROXY: "*" },
                "https://api.box.com",
            ),
        ).to.deep.equal({ url: "http://mine:8080", source: "box:proxyUrl (stack config)" });
    });

    it("a malformed proxy, or one from another source than the credentials, names the setting, never the value", () => {
        const secretUrl = `ftp://user:${PROXY_PASSWORD}@proxy.corp`;
        for (const [config, env, setting] of [
            [{}, { HTTPS_PROXY: secretUrl }, "HTTPS_PROXY (environment)"],
            [{}, { HTTPS_PROXY: `http://user:${PROXY_PASSWORD}@proxy/path` }, "HTTPS_PROXY (environment)"],
            [{}, { BOX_PROXY_URL: `not a url ${PROXY_PASSWORD}` }, "BOX_PROXY_URL (environment)"],
            [{}, { HTTPS_PROXY: `http://user:${PROXY_PASSWORD}%zz@proxy:1` }, "HTTPS_PROXY (environment)"],
            [
                { accessToken: "t" },
                { BOX_PROXY_URL: `http://u:${PROXY_PASSWORD}@p:1` },
                "BOX_PROXY_URL (environment)",
            ],
        ] as const) {
            let caught: unknown;
            try {
                resolveProxy(config, env, "https://api.box.com");
            } catch (err) {
                caught = err;
            }
            expect(caught, setting).to.be.instanceOf(BoxSettingsError);
            expect((caught as Error).message)
                .to.include(setting)
                .and.not.include(PROXY_PASSWORD);
        }
    });
});

const certs = makeTestCertificates();

describeInHost(
    (mode) => `through an HTTPS proxy, in Pulumi's provider host, provider captured ${mode}`,
    {
        emulator: { accessTokens: [TOKEN], apps: [CCG], tls: { key: certs.key, cert: certs.cert } },
        canaries: [TOKEN, CCG.clientSecret, PROXY_PASSWORD],
        modes: ["source", "installed"],
    },
    (suite) => {
        let proxy: ConnectProxy | undefined;
        afterEach(async () => {
            await proxy?.close();
            proxy = undefined;
        });
        const trusted = { NODE_EXTRA_CA_CERTS: certs.caFile };
        const spec = [{ name: "leaver", args: { userLogins: [LOGIN], reason: "HR-1" } }];
        const port = () => new URL(suite.box.baseUrl).port;

        it("HTTPS_PROXY: token and termination go through CONNECT tunnels; the proxy reads no secret and no login", async () => {
            proxy = await startConnectProxy();
            const engine = await suite.start(
                {
                    "box:clientId": CCG.clientId,
                    "box:clientSecret": CCG.clientSecret,
                    "box:enterpriseId": CCG.enterpriseId,
                },
                ["box:clientSecret"],
                undefined,
                { ...trusted, HTTPS_PROXY: proxy.url },
            );
            const [step] = await engine.up(suite.captured.register(spec));
            expect(step.error).to.equal(undefined);
            expect(suite.box.accepted().map((a) => a.body)).to.deep.equal([
                { user_ids: [], user_logins: [LOGIN] },
            ]);
            expect(proxy.connects.map((c) => c.target)).to.deep.equal([
                `127.0.0.1:${port()}`,
                `127.0.0.1:${port()}`,
            ]);
            expect(proxy.plainRequests).to.deep.equal([]);
            const seen = proxy.seen();
            expect(seen.length).to.be.above(1000);
            for (const secret of [CCG.clientSecret, LOGIN, "terminate_sessions", "Bearer", "client_secret"])
                expect(seen, secret).to.not.include(secret);
        });

        it("box:proxyUrl with the proxy's own credentials, from stack config like the token: sent only to the proxy", async () => {
            const expected = `Basic ${Buffer.from(`alice:${PROXY_PASSWORD}`).toString("base64")}`;
            proxy = await startConnectProxy({ requireAuthorization: expected });
            const url = proxy.url.replace("http://", `http://alice:${PROXY_PASSWORD}@`);
            const engine = await suite.start(
                { "box:accessToken": TOKEN, "box:proxyUrl": url },
                ["box:accessToken", "box:proxyUrl"],
                undefined,
                // DEBUG turns on the agent's own log lines: they must not carry the proxy's password either.
                { ...trusted, NO_PROXY: "*", DEBUG: "https-proxy-agent,agent-base" },
            );
            const [step] = await engine.up(suite.captured.register(spec));
            expect(step.error).to.equal(undefined);
            expect(proxy.connects.map((c) => c.proxyAuthorization)).to.deep.equal([expected]);
            // Without them, the proxy's 407 says what to give, never quoting the URL.
            const other = await suite.start(
                { "box:accessToken": TOKEN, "box:maxRetries": "0", "box:proxyUrl": proxy.url },
                ["box:accessToken"],
                undefined,
                trusted,
            );
            const [refused] = await other.up(
                suite.captured.register([{ name: "second", args: { userIds: ["9"] } }]),
            );
            expect(refused.error?.message).to.include(
                "refused the tunnel to 127.0.0.1:" +
                    port() +
                    " with HTTP 407 Refused: it asks for credentials",
            );
            expect(JSON.stringify(suite.box.requests)).to.not.include(PROXY_PASSWORD);
        });

        it("a proxy that refuses the tunnel: the error says so and names the setting; nothing reaches Box", async () => {
            proxy = await startConnectProxy({ refuse: 403 });
            const engine = await suite.start(
                { "box:accessToken": TOKEN, "box:maxRetries": "0" },
                ["box:accessToken"],
                undefined,
                {
                    ...trusted,
                    HTTPS_PROXY: proxy.url.replace("http://", `http://bob:${PROXY_PASSWORD}@`),
                },
            );
            const [step] = await engine.up(suite.captured.register(spec));
            expect(step.error?.message).to.include(
                `the proxy from HTTPS_PROXY (environment) refused the tunnel to 127.0.0.1:${port()} with HTTP 403 Refused`,
            );
            expect(step.error?.message).to.not.match(/Box API 403|needs an admin/);
            expect(step.error?.message).to.not.include(PROXY_PASSWORD);
            expect(suite.box.requests).to.deep.equal([]);
        });

        it("NO_PROXY naming the origin connects directly; an untrusted CA fails saying how to trust it", async () => {
            proxy = await startConnectProxy();
            const direct = await suite.start({ "box:accessToken": TOKEN }, ["box:accessToken"], undefined, {
                ...trusted,
                HTTPS_PROXY: proxy.url,
                NO_PROXY: "localhost,127.0.0.1",
            });
            expect((await direct.up(suite.captured.register(spec)))[0].error).to.equal(undefined);
            expect(proxy.connects).to.deep.equal([]);

            const connectsBefore = proxy.connects.length;
            const untrusted = await suite.start(
                { "box:accessToken": TOKEN, "box:maxRetries": "3" },
                ["box:accessToken"],
                undefined,
                {
                    HTTPS_PROXY: proxy.url,
                },
            );
            const [step] = await untrusted.up(
                suite.captured.register([{ name: "other", args: { userIds: ["7"] } }]),
            );
            expect(step.error?.message).to.include("NODE_EXTRA_CA_CERTS");
            expect(step.error?.message).to.include("(certificate)");
            // Not retried, though retries are allowed: no retry makes an untrusted certificate trusted.
            expect(proxy.connects.length - connectsBefore).to.equal(1);
            expect(suite.box.accepted()).to.have.length(1);
        });

        it("a proxy that trickles its CONNECT answer forever: the step ends, and the proxy's socket is closed", async () => {
            proxy = await startConnectProxy({ trickle: true });
            const engine = await suite.start(
                { "box:accessToken": TOKEN, "box:maxRetries": "1", "box:timeoutSeconds": "2" },
                ["box:accessToken"],
                undefined,
                { ...trusted, HTTPS_PROXY: proxy.url },
            );
            const [step] = await within(30_000, engine.up(suite.captured.register(spec)));
            expect(step.error?.message).to.include("timeout");
            await new Promise((resolve) => setTimeout(resolve, 500));
            expect(proxy.connects).to.have.length(2);
            expect(proxy.openClients()).to.equal(0);
        });

        it("a proxy that never answers CONNECT: the step still ends, within box:timeoutSeconds", async () => {
            proxy = await startConnectProxy({ hang: true });
            const engine = await suite.start(
                { "box:accessToken": TOKEN, "box:maxRetries": "0", "box:timeoutSeconds": "2" },
                ["box:accessToken"],
                undefined,
                { ...trusted, HTTPS_PROXY: proxy.url },
            );
            const [step] = await within(20_000, engine.up(suite.captured.register(spec)));
            expect(step.error?.message)
                .to.include("timeout")
                .and.include("through the proxy from HTTPS_PROXY (environment)");
            expect(suite.box.requests).to.deep.equal([]);
        });
    },
);
