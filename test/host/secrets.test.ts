/**
 * Secret hygiene, proven end to end. Every credential is a unique canary, set in stack config and
 * (with other canaries) in the environment of both the program and the provider host. Each of the
 * three authentication methods then deploys through Pulumi's provider host against the emulator, with
 * failures along the way, and no canary (nor any token the emulator issued) may appear in
 * `__provider`, in any response, in any error, or in anything the host printed.
 */
import { expect } from "chai";
import { SessionTermination } from "../../provider";
import { createTestJwtApp, startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { MiniEngine, type Step } from "../../harness/engine";
import { CAPTURE_MODES, captureProvider, type CapturedProvider } from "../../harness/capture";
import { startLocalServer } from "../../harness/local-server";
import { captureRegistrations } from "../../harness/registrations";
import { expectNoCanary } from "../helpers";

const C = {
    token: "CANARY_access_token_a81f",
    ccgSecret: "CANARY_client_secret_b27c",
    jwtSecret: "CANARY_jwt_client_secret_c94e",
    passphrase: "CANARY_jwt_passphrase_d03b",
    envToken: "CANARY_env_token_e55a",
    envSecret: "CANARY_env_client_secret_f61d",
    envJwt: '{"CANARY_env_jwt_config_0a7c": true}',
};
const jwt = createTestJwtApp({ enterpriseId: "900001", passphrase: C.passphrase, clientSecret: C.jwtSecret });
const PRIVATE_KEY_BODY = (
    JSON.parse(jwt.configJson) as { boxAppSettings: { appAuth: { privateKey: string } } }
).boxAppSettings.appAuth.privateKey.split("\n")[1];
const ENV = {
    BOX_ACCESS_TOKEN: C.envToken,
    BOX_CLIENT_SECRET: C.envSecret,
    BOX_JWT_CONFIG: C.envJwt,
    BOX_CLIENT_ID: "ccg-app",
};

const METHODS: Record<string, (box: BoxEmulator) => Record<string, string>> = {
    "access token": (box) => ({ "box:accessToken": C.token, "box:baseUrl": box.baseUrl }),
    "client credentials": (box) => ({
        "box:clientId": "ccg-app",
        "box:clientSecret": C.ccgSecret,
        "box:enterpriseId": "900001",
        "box:baseUrl": box.baseUrl,
    }),
    JWT: (box) => ({ "box:jwtConfig": jwt.configJson, "box:baseUrl": box.baseUrl }),
};
const SECRET_KEYS = ["box:accessToken", "box:clientSecret", "box:jwtConfig"];
/** Mock registrations finish asynchronously, so steps are compared by resource name, not position. */
const byName = (steps: Step[]) =>
    steps.map((s) => [s.name, s.op, !!s.error]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));

for (const mode of CAPTURE_MODES)
    describe(`secret hygiene through the provider host, captured ${mode}, for every authentication method`, function () {
        this.timeout(300_000);
        let captured: CapturedProvider;
        before(async () => {
            captured = await captureProvider(mode);
        });

        for (const [method, configFor] of Object.entries(METHODS)) {
            it(`${method}: deploys, fails safely, and leaks no credential anywhere`, async () => {
                const box = await startBoxEmulator({
                    accessTokens: [C.token],
                    apps: [
                        { clientId: "ccg-app", clientSecret: C.ccgSecret, enterpriseId: "900001" },
                        jwt.app,
                    ],
                });
                const saved = { ...process.env };
                Object.assign(process.env, ENV);
                const host = await captured.startHost({ env: { ...ENV, BOX_MAX_RETRIES: "1" } });
                const seen: unknown[] = [];
                try {
                    const config = configFor(box);
                    await host.configure(config, SECRET_KEYS);
                    const engine = new MiniEngine(host);
                    const program = (extra: string[]) => () => {
                        new SessionTermination("a", { userIds: ["1", ...extra], reason: "leak test" });
                        new SessionTermination("b", { groupIds: ["2"] });
                    };
                    const regs = await captured.adopt(
                        await captureRegistrations(program([]), { config, secretKeys: SECRET_KEYS }),
                    );
                    seen.push(regs);

                    // b fails for good (403); a is created. Then an update, a refresh and a destroy.
                    box.enqueue({ path: "/2.0/groups/terminate_sessions", status: 403 });
                    const first = await engine.up(regs);
                    expect(byName(first)).to.deep.equal([
                        ["a", "create", false],
                        ["b", "create", true],
                    ]);
                    box.enqueue(
                        { path: "/2.0/users/terminate_sessions", status: 500 },
                        { path: "/2.0/users/terminate_sessions", status: 500 },
                    );
                    const failedUpdate = await engine.up(
                        captured.adopt(
                            await captureRegistrations(program(["3"]), { config, secretKeys: SECRET_KEYS }),
                        ),
                    );
                    expect(failedUpdate.find((s) => s.name === "a")!.error!.message).to.match(/^Box API 500/);
                    expect(byName(failedUpdate)).to.deep.equal([
                        ["a", "update", true],
                        ["b", "create", false],
                    ]);
                    const second = await engine.up(
                        captured.adopt(
                            await captureRegistrations(program(["3"]), { config, secretKeys: SECRET_KEYS }),
                        ),
                    );
                    expect(byName(second)).to.deep.equal([
                        ["a", "update", false],
                        ["b", "same", false],
                    ]);
                    expect(await engine.refresh()).to.deep.equal([]);
                    seen.push(first, failedUpdate, second, [...engine.state.values()]);
                    await engine.destroy();

                    // Every token the emulator issued or accepts, with its apps' secrets.
                    const usedTokens = box.knownSecrets();
                    expect(usedTokens.length).to.be.greaterThan(0);
                    const canaries = [...Object.values(C), PRIVATE_KEY_BODY, ...usedTokens];
                    const errors = [...first, ...failedUpdate, ...second]
                        .filter((s) => s.error)
                        .map((s) => s.error);
                    expectNoCanary(canaries, host.output, ...seen, ...errors);
                } finally {
                    process.env = saved;
                    await host.stop();
                    await box.close();
                }
            });
        }

        it("an origin that echoes the request back in a 202 and its request ID leaves no token in state", async () => {
            // Not Box: a gateway or debugging proxy set as the origin, repeating what it was sent.
            const echo = await startLocalServer((req, res) => {
                req.resume();
                req.on("end", () => {
                    const auth = String(req.headers.authorization ?? "");
                    res.writeHead(202, { "content-type": "application/json", "box-request-id": auth });
                    res.end(JSON.stringify({ message: `ok, you sent ${auth}` }));
                });
            });
            const host = await captured.startHost();
            try {
                await host.configure(
                    { "box:accessToken": C.token, "box:baseUrl": echo.baseUrl },
                    SECRET_KEYS,
                );
                const engine = new MiniEngine(host);
                const [step] = await engine.up(
                    captured.adopt(
                        await captureRegistrations(() => new SessionTermination("a", { userIds: ["1"] })),
                    ),
                );
                expect(step.error).to.equal(undefined);
                expect(step.outputs!.message).to.equal("ok, you sent Bearer [REDACTED]");
                expectNoCanary([C.token], step.outputs, [...engine.state.values()], host.output);
            } finally {
                await host.stop();
                await echo.close();
            }
        });

        it("a wrong client secret fails at the token endpoint with a clear error, and leaks nothing", async () => {
            const box = await startBoxEmulator({
                apps: [{ clientId: "ccg-app", clientSecret: C.ccgSecret, enterpriseId: "900001" }],
            });
            const host = await captured.startHost();
            try {
                const [reg] = captured.adopt(
                    await captureRegistrations(() => {
                        new SessionTermination("a", { userIds: ["1"] });
                    }),
                );
                await host.configure(
                    {
                        "box:clientId": "ccg-app",
                        "box:clientSecret": C.envSecret,
                        "box:enterpriseId": "900001",
                        "box:baseUrl": box.baseUrl,
                    },
                    SECRET_KEYS,
                );
                const checked = await host.check("urn:a", {}, reg.inputs);
                const err = await host.create("urn:a", checked.inputs).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(err?.message).to.match(/^Box OAuth error invalid_client/);
                expectNoCanary([C.envSecret, C.ccgSecret], err!.message, host.output);
            } finally {
                await host.stop();
                await box.close();
            }
        });
    });
