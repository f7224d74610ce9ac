/**
 * Faults through the native provider and the pinned CLI (a YAML program; the plugin installed from
 * the packed tarball), as the dynamic resource's host suites prove them: a 401 fetches one fresh
 * token and the step succeeds; a 429's retry-after holds the request back and says until when; after
 * a partial failure, refresh and destroy send nothing and refresh keeps who was cut off.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CliStack, PULUMI_BIN, workDir } from "../../harness/cli-stack";
import { pluginBinDir } from "../../harness/native-plugin";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";
import { boxErrorBody, expectNoCanary } from "../helpers";

const TYPE = "box:index:SessionTermination";
const USERS = "/2.0/users/terminate_sessions";
const CCG = {
    clientId: "ccg-native-faults",
    clientSecret: "ccg_CANARY_native_faults_5b21",
    enterpriseId: "900088",
};

const program = (userIds: string[]) =>
    [
        "name: box-native-faults",
        "runtime: yaml",
        "resources:",
        "  offboard:",
        `    type: ${TYPE}`,
        "    properties:",
        `      userIds: ${JSON.stringify(userIds)}`,
    ].join("\n") + "\n";

describe("native provider: faults through the pulumi CLI", function () {
    this.timeout(600_000);
    let box: BoxEmulator;
    let stack: CliStack;
    let dir: string;
    const write = (userIds: string[]) => fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program(userIds));
    const api = () => box.requests.filter((r) => r.path === USERS);

    before(async () => {
        box = await startBoxEmulator({ apps: [CCG] });
        const work = workDir("native-faults");
        dir = path.join(work, "project");
        fs.mkdirSync(dir);
        write(["1"]);
        stack = await CliStack.init(dir, work, {
            PATH: [PULUMI_BIN, await pluginBinDir(), process.env.PATH ?? ""].join(path.delimiter),
        });
        await stack.config("box:baseUrl", box.baseUrl);
        await stack.config("box:clientId", CCG.clientId);
        await stack.config("box:clientSecret", CCG.clientSecret, true);
        await stack.config("box:enterpriseId", CCG.enterpriseId);
        await stack.config("box:batchSize", "1");
        await stack.config("box:concurrency", "1");
    });
    after(() => box?.close());
    afterEach(function () {
        if (this.currentTest?.state === "failed") console.log(stack?.transcript.join("\n"));
    });

    it("a 401 fetches one fresh token and the step succeeds", async () => {
        box.enqueue({ path: USERS, status: 401 });
        const out = await stack.ok(["up", "--yes"]);
        expect(out).to.include(`+  ${TYPE} offboard created`);
        expect(api().map((r) => r.status)).to.deep.equal([401, 202]);
        expect(box.requests.filter((r) => r.path === "/oauth2/token")).to.have.length(2);
        expect(out).to.include("Box answered 401; fetching a fresh token and trying once more");
    });

    it("a 429's retry-after holds the request back, and the warning says until when", async () => {
        write(["1", "2"]);
        box.clearRequests();
        box.enqueue({ path: USERS, status: 429, headers: { "retry-after": "2" } });
        const out = await stack.ok(["up", "--yes"]);
        expect(out).to.include(`~  ${TYPE} offboard updated`);
        const [refused, sent] = api();
        expect([refused.status, sent.status]).to.deep.equal([429, 202]);
        expect(sent.time - refused.time).to.be.at.least(1_990);
        expect(out).to.match(
            /\(429 rate limited \(retry-after\)\); retrying in 2000 ms, at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
        );
    });

    it("after a partial failure, refresh keeps who was cut off and sends nothing; destroy sends nothing", async () => {
        write(["1", "2", "3", "4"]);
        box.clearRequests();
        box.enqueue({
            path: USERS,
            after: 1,
            ...boxErrorBody(403, "access_denied_insufficient_permissions", "Access denied", "req-nf-403"),
        });
        const failed = await stack.run(["up", "--yes"]);
        expect(failed.code).to.not.equal(0);
        expect(failed.text).to.include("request ID req-nf-403");
        const recorded = async () =>
            (await stack.exportState()).deployment.resources!.find((r) => r.type === TYPE)!.outputs?.userIds;
        expect(await recorded()).to.deep.equal(["1", "2", "3"]);
        // Dropping the one Box refused: the engine updates anyway (init errors), and the preview shows the
        // program's lists against its last successful inputs, the 3 Box accepted included, not a bare list.
        write(["1", "2", "3"]);
        const preview = await stack.ok(["preview", "--diff"]);
        expect(preview).to.include(
            '~ userIds   : [\n            [0]: "1"\n            [1]: "2"\n          + [2]: "3"\n        ]',
        );
        write(["1", "2", "3", "4"]);
        box.clearRequests();
        const refreshed = await stack.ok(["refresh", "--yes"]);
        expect(refreshed).to.not.include("error:");
        expect(await recorded()).to.deep.equal(["1", "2", "3"]);
        const down = await stack.ok(["destroy", "--yes"]);
        expect(down).to.include(`-  ${TYPE} offboard deleted`);
        expect(api()).to.deep.equal([]);
        const text =
            JSON.stringify(await stack.exportState()) + stack.filesText() + stack.transcript.join("\n");
        expectNoCanary([CCG.clientSecret], text);
    });

    it("an explicit provider's setting out of range fails preview, naming it, and sends nothing", async () => {
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            program(["5"]).replace(
                "resources:\n",
                [
                    "resources:",
                    "  second:",
                    "    type: pulumi:providers:box",
                    "    properties:",
                    `      baseUrl: ${box.baseUrl}`,
                    "      maxRetries: 99",
                    "",
                ].join("\n"),
            ) + "    options:\n      provider: ${second}\n",
        );
        box.clearRequests();
        const preview = await stack.run(["preview"]);
        expect(preview.code).to.not.equal(0);
        expect(preview.text).to.include(
            `error: ${TYPE} resource 'offboard' has a problem: box:maxRetries / BOX_MAX_RETRIES must be a whole number from 0 to 20, got "99"`,
        );
        expect(box.requests).to.deep.equal([]);
    });
});
