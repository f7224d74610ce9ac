import { expect } from "chai";
import { BoxSettingsError } from "../../provider/core/errors";
import { lookup, SETTINGS } from "../../provider/core/settings";
import { parseJwtAppConfig, resolveCredentials } from "../../provider/core/settings-credentials";
import { resolveOrigin, resolveTransport } from "../../provider/core/settings-origin";

const noFile = (path: string): string => {
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};

describe("settings (pure)", () => {
    it("stack config wins over the environment, which wins over defaults; empty counts as unset", () => {
        expect(
            lookup("baseUrl", { baseUrl: "https://a.example" }, { BOX_BASE_URL: "https://b.example" }),
        ).to.equal("https://a.example");
        expect(lookup("baseUrl", { baseUrl: "" }, { BOX_BASE_URL: "https://b.example" })).to.equal(
            "https://b.example",
        );
        expect(lookup("baseUrl", {}, {})).to.equal("https://api.box.com");
    });

    it("resolves transport defaults and validates numbers by naming key and variable", () => {
        expect(resolveTransport({}, {})).to.deep.equal({
            baseUrl: "https://api.box.com",
            baseUrlSource: "default",
            maxRetries: 5,
            timeoutMs: 30_000,
            deadlineMs: 300_000,
            batchSize: 500,
            concurrency: 4,
        });
        expect(resolveTransport({ baseUrl: "http://127.0.0.1:9/" }, {}).baseUrl).to.equal(
            "http://127.0.0.1:9",
        );
        expect(() => resolveTransport({}, { BOX_BATCH_SIZE: "0" })).to.throw(
            BoxSettingsError,
            /box:batchSize \/ BOX_BATCH_SIZE/,
        );
        expect(() => resolveTransport({ baseUrl: "ftp://x" }, {})).to.throw(/box:baseUrl \/ BOX_BASE_URL/);
        expect(() => resolveTransport({ baseUrl: "https://u:p@x.example" }, {})).to.throw(
            /must not carry credentials/,
        );
    });

    it("takes the API origin from the credentials' source, never mixed, and refuses plain http off loopback", () => {
        const ccg = { clientId: "c", clientSecret: "s", enterpriseId: "1" };
        // A shell's leftover BOX_BASE_URL beside a stack's credentials: refused, naming both sources.
        expect(() => resolveOrigin(ccg, { BOX_BASE_URL: "http://127.0.0.1:9" })).to.throw(
            BoxSettingsError,
            /^BOX_BASE_URL \(environment\) is set to "http:\/\/127\.0\.0\.1:9", but the credentials come from stack config/,
        );
        // A stack's box:baseUrl beside a shell's token: refused too.
        expect(() => resolveOrigin({ baseUrl: "https://a.example" }, { BOX_ACCESS_TOKEN: "t" })).to.throw(
            /^box:baseUrl \(stack config\) is set to "https:\/\/a\.example", but the credentials come from the environment/,
        );
        // Same source: fine; both sources name one: the credentials' source wins.
        expect(
            resolveOrigin({ ...ccg, baseUrl: "https://b.example/" }, { BOX_BASE_URL: "https://x" }),
        ).to.deep.equal({
            baseUrl: "https://b.example",
            source: "stack config",
        });
        expect(
            resolveOrigin({}, { BOX_ACCESS_TOKEN: "t", BOX_BASE_URL: "http://localhost:8/" }),
        ).to.deep.equal({
            baseUrl: "http://localhost:8",
            source: "environment",
        });
        expect(resolveOrigin(ccg, {})).to.deep.equal({ baseUrl: "https://api.box.com", source: "default" });
        for (const local of [
            "http://127.0.0.1:1",
            "http://127.9.8.7",
            "http://[::1]:3",
            "http://LOCALHOST",
        ]) {
            expect(() => resolveOrigin({ ...ccg, baseUrl: local }, {}), local).to.not.throw();
        }
        for (const remote of [
            "http://box.example.invalid",
            "http://10.0.0.1",
            "http://127.0.0.1.nip.io",
            "http://[::2]",
        ]) {
            expect(() => resolveOrigin({ ...ccg, baseUrl: remote }, {}), remote).to.throw(
                /plain http is allowed only for loopback .* Use https:\/\//,
            );
        }
        expect(() => resolveOrigin({ ...ccg, baseUrl: "https://x.example/#frag" }, {})).to.throw(/fragment/);
    });

    it("with no credentials, the error names the config key and the environment variable", () => {
        const err = (() => {
            try {
                resolveCredentials({}, {}, noFile);
            } catch (e) {
                return e as Error;
            }
            return undefined;
        })();
        expect(err).to.be.instanceOf(BoxSettingsError);
        expect(err!.message).to.include("box:accessToken").and.include("BOX_ACCESS_TOKEN");
    });

    it("prefers an access token, then JWT, then client credentials", () => {
        const jwt = JSON.stringify({
            boxAppSettings: {
                clientID: "cid",
                clientSecret: "cs",
                appAuth: { publicKeyID: "k1", privateKey: "PEM", passphrase: "pp" },
            },
            enterpriseID: "123",
        });
        const all = {
            accessToken: "tok",
            jwtConfig: jwt,
            clientId: "c",
            clientSecret: "s",
            enterpriseId: "9",
        };
        expect(resolveCredentials(all, {}, noFile).method).to.equal("accessToken");
        const { accessToken: _t, ...noToken } = all;
        const viaJwt = resolveCredentials(noToken, {}, noFile);
        expect(viaJwt).to.deep.include({ method: "jwt", subject: { type: "enterprise", id: "9" } });
        const { jwtConfig: _j, ...ccg } = noToken;
        expect(resolveCredentials(ccg, {}, noFile)).to.deep.equal({
            method: "clientCredentials",
            clientId: "c",
            clientSecret: "s",
            subject: { type: "enterprise", id: "9" },
        });
    });

    it("JWT takes the enterprise from the file unless a user or enterprise subject overrides it", () => {
        const jwt = JSON.stringify({
            boxAppSettings: {
                clientID: "cid",
                clientSecret: "cs",
                appAuth: { publicKeyID: "k1", privateKey: "PEM" },
            },
            enterpriseID: 555,
        });
        expect(resolveCredentials({}, { BOX_JWT_CONFIG: jwt }, noFile)).to.deep.include({
            subject: { type: "enterprise", id: "555" },
        });
        expect(resolveCredentials({}, { BOX_JWT_CONFIG: jwt, BOX_USER_ID: "77" }, noFile)).to.deep.include({
            subject: { type: "user", id: "77" },
        });
        expect(resolveCredentials({ jwtConfig: jwt, userId: "77" }, {}, noFile)).to.deep.include({
            subject: { type: "user", id: "77" },
        });
        expect(resolveCredentials({ jwtConfigPath: "/app.json" }, {}, () => jwt).method).to.equal("jwt");
        expect(() => resolveCredentials({ jwtConfigPath: "/nope.json" }, {}, noFile)).to.throw(
            /Cannot read .*box:jwtConfigPath.*ENOENT/,
        );
    });

    it("takes credentials as one set: any credential in stack config means the environment's are ignored", () => {
        const env = { BOX_ACCESS_TOKEN: "stale-token", BOX_CLIENT_SECRET: "env-secret" };
        const viaConfig = resolveCredentials(
            { clientId: "c", clientSecret: "s", enterpriseId: "9" },
            env,
            noFile,
        );
        expect(viaConfig).to.deep.include({ method: "clientCredentials", clientSecret: "s" });
        expect(resolveCredentials({ baseUrl: "https://x.example" }, env, noFile)).to.deep.equal({
            method: "accessToken",
            accessToken: "stale-token",
        });
        expect(() =>
            resolveCredentials({ clientId: "c" }, { BOX_CLIENT_SECRET: "s", BOX_ENTERPRISE_ID: "9" }, noFile),
        ).to.throw(
            /missing box:clientSecret.*\(BOX_CLIENT_SECRET, BOX_ENTERPRISE_ID are ignored because stack config sets credentials\)/,
        );
    });

    it("an incomplete client-credentials set names exactly what is missing", () => {
        expect(() => resolveCredentials({ clientId: "c" }, {}, noFile)).to.throw(
            /missing box:clientSecret \/ BOX_CLIENT_SECRET, box:enterpriseId \/ BOX_ENTERPRISE_ID or box:userId \/ BOX_USER_ID/,
        );
        expect(() =>
            resolveCredentials(
                { clientId: "c", clientSecret: "s", enterpriseId: "1", userId: "2" },
                {},
                noFile,
            ),
        ).to.throw(/only one token subject/);
    });

    it("a malformed JWT config names the missing fields and never echoes values", () => {
        const text = JSON.stringify({ boxAppSettings: { clientID: "cid", clientSecret: "TOPSECRET-VALUE" } });
        expect(() => parseJwtAppConfig(text, "box:jwtConfig")).to.throw(
            /missing boxAppSettings.appAuth.publicKeyID, boxAppSettings.appAuth.privateKey/,
        );
        try {
            parseJwtAppConfig(text, "box:jwtConfig");
        } catch (e) {
            expect((e as Error).message).to.not.include("TOPSECRET");
        }
        expect(() => parseJwtAppConfig("{not json", "box:jwtConfig")).to.throw(/not valid JSON/);
    });

    it("never quotes a setting value that may hold a secret: JWT JSON in the path setting, a URL with a password", () => {
        const canary = "CANARY-pw-9f2c";
        const message = (run: () => unknown): string => {
            try {
                run();
            } catch (e) {
                return (e as Error).message;
            }
            throw new Error("expected a settings error");
        };
        const jwtJson = JSON.stringify({
            boxAppSettings: { clientSecret: canary, appAuth: { privateKey: canary } },
        });
        const path = message(() => resolveCredentials({}, { BOX_JWT_CONFIG_PATH: jwtJson }, noFile));
        expect(path)
            .to.include("BOX_JWT_CONFIG_PATH")
            .and.match(/looks like the JSON config itself/);
        expect(path).to.not.include(canary);
        // A real path is still named: it is what the reader needs to fix it.
        expect(
            message(() => resolveCredentials({}, { BOX_JWT_CONFIG_PATH: "/etc/box/app.json" }, noFile)),
        ).to.include("/etc/box/app.json");
        const urls = [
            `http://admin:${canary}@box.example.com`,
            `ftp://admin:${canary}@box.example.com`,
            `not a url admin:${canary}@`,
        ];
        for (const url of urls) {
            const own = message(() => resolveOrigin({}, { BOX_ACCESS_TOKEN: "t", BOX_BASE_URL: url }));
            expect(own, url).to.include("BOX_BASE_URL").and.not.include(canary);
            const mixed = message(() => resolveOrigin({ accessToken: "t" }, { BOX_BASE_URL: url }));
            expect(mixed, url).to.include("BOX_BASE_URL").and.not.include(canary);
        }
    });

    it("documents every setting with key, variable and secrecy", () => {
        for (const s of SETTINGS) {
            expect(s.configKey).to.equal(`box:${s.name}`);
            expect(s.envVar).to.match(/^BOX_[A-Z_]+$/);
            expect(s.description.length).to.be.greaterThan(10);
        }
        expect(SETTINGS.filter((s) => s.secret).map((s) => s.name)).to.deep.equal([
            "accessToken",
            "clientSecret",
            "jwtConfig",
            // It may carry the proxy's own password.
            "proxyUrl",
        ]);
    });
});
