/**
 * What a user gets from npm for testing their own programs: the test kit and the emulator command,
 * used from the packed package installed into an empty project, exactly as documented.
 */
import { expect } from "chai";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installPackedPackage, type InstalledPackage } from "../../harness/capture";
import { PULUMI_BIN } from "../../harness/cli-stack";
import { parseCliOptions, parseDirectory } from "../../provider/testing/cli-options";

/** A user's own test, as the README's testing guide shows it. */
const USER_TEST = `
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const { SessionTermination } = require("pulumi-box-session-termination");
const { createTestStack, startBoxEmulator } = require("pulumi-box-session-termination/testing");

const program = (extra) => () => {
    new SessionTermination("leaver", { userLogins: ["jdoe@example.com", ...extra], reason: "HR-1" });
    new SessionTermination("incident", { groupIds: ["42"], reason: "SEC-1" });
};

(async () => {
    const box = await startBoxEmulator();
    const stack = await createTestStack({
        project: "consumer",
        config: { "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl },
        secretKeys: ["box:accessToken"],
    });
    const out = {};
    const sent = () => box.accepted().map((r) => r.body);
    try {
        out.preview = (await stack.preview(program([]))).map((s) => [s.name, s.op]);
        out.afterPreview = sent();
        out.up = (await stack.up(program([]))).map((s) => [s.name, s.op, s.error ?? null]);
        out.afterUp = sent().length;
        out.changed = (await stack.up(program(["amy@example.com"]))).map((s) => [s.name, s.op, s.error ?? null]);
        out.afterChange = sent().slice(out.afterUp);
        out.refresh = await stack.refresh();
        // Called together, run in call order, each with its own program: the preview sends nothing.
        const [same, planned] = await Promise.all([
            stack.up(program(["amy@example.com"])),
            stack.preview(program(["amy@example.com", "late@example.com"])),
        ]);
        out.serial = [same.map((s) => [s.name, s.op]), planned.map((s) => [s.name, s.op])];
        out.afterSerial = sent().length - out.afterUp - out.afterChange.length;
        // An input that fails to resolve stops up before the engine deletes anything.
        const rejected = () => {
            new SessionTermination("leaver", { userLogins: pulumi.output(Promise.reject(new Error("lookup failed"))), reason: "HR-1" });
            new SessionTermination("incident", { groupIds: ["42"], reason: "SEC-1" });
        };
        out.rejected = await stack.up(rejected).then(() => "accepted", (err) => err.message);
        out.keptAfterRejected = stack.resources().map((r) => r.name).sort();
        out.destroy = (await stack.destroy()).map((s) => [s.name, s.op, s.error ?? null]);
        out.left = stack.resources().length;
        const twice = () => {
            new SessionTermination("twice", { userIds: ["1"], reason: "SEC-1" });
            new SessionTermination("twice", { userIds: ["2"], reason: "SEC-2" });
        };
        out.duplicate = await stack.up(twice).then(() => "accepted", (err) => err.message);
        out.afterDuplicate = sent().length - out.afterUp - out.afterChange.length;
        out.twiceRecorded = stack.resources().filter((r) => r.name === "twice").length;
        out.printedOrigin = stack.output().includes("Box API origin is " + box.baseUrl);
        out.leaked = stack.output().includes(box.accessToken);
        out.leftFiles = fs.readdirSync("node_modules/.cache").filter((f) => f.startsWith("pulumi-box-test-stack-"));
    } finally {
        await stack.stop();
        await box.close();
    }
    // stop() cancels a command that hangs, and the command fails saying so.
    const hung = await createTestStack({ project: "consumer" });
    const hanging = hung.up(() => new Promise(() => {})).then(() => "finished", (err) => err.message);
    await new Promise((r) => setTimeout(r, 3000));
    const stopAt = Date.now();
    await hung.stop();
    out.hung = [await hanging, Date.now() - stopAt < 60000];
    out.removed = fs.readdirSync("node_modules/.cache").filter((f) => f.startsWith("pulumi-box-test-stack-"));
    out.tooOld = await createTestStack({ pulumiRoot: "old-pulumi" }).then(() => "accepted", (err) => err.message);
    out.missing = await createTestStack({ pulumiRoot: "no-such-dir" }).then(() => "accepted", (err) => err.message);
    process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
`;

/** This process's environment without Box or Pulumi settings: the user's test says what it has. */
function cleanEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith("BOX_") && !k.startsWith("PULUMI_")),
    );
}

const sorted = (rows: unknown[][]) => [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe("from npm: the test kit and the emulator command in an empty project", function () {
    this.timeout(300_000);
    let pkg: InstalledPackage;
    before(async () => {
        pkg = await installPackedPackage();
    });

    it("a two-resource program through preview, up, a changed up, refresh and destroy against the emulator", () => {
        fs.writeFileSync(path.join(pkg.project, "kit.test.js"), USER_TEST);
        // A CLI older than the floor, which the kit must refuse by name before it runs anything.
        fs.mkdirSync(path.join(pkg.project, "old-pulumi", "bin"), { recursive: true });
        fs.writeFileSync(
            path.join(pkg.project, "old-pulumi", "bin", "pulumi"),
            "#!/bin/sh\necho v3.138.0\n",
            {
                mode: 0o755,
            },
        );
        const out = JSON.parse(
            execFileSync(process.execPath, ["kit.test.js"], {
                cwd: pkg.project,
                encoding: "utf8",
                timeout: 240_000,
                // As a user has it: the pinned build's pulumi on PATH, and nothing of this machine's Pulumi.
                env: {
                    ...cleanEnv(),
                    PATH: `${PULUMI_BIN}${path.delimiter}${process.env.PATH}`,
                    // The user's own shell settings, which must not reach the test stack's provider.
                    BOX_PROTECTED_USER_LOGINS: "jdoe@example.com",
                    BOX_PROXY_URL: "http://127.0.0.1:9",
                    PULUMI_OPTION_EXPECT_NO_CHANGES: "true",
                },
            }),
        ) as Record<string, unknown[]>;
        expect(sorted(out.preview as unknown[][])).to.deep.equal([
            ["incident", "create"],
            ["leaver", "create"],
        ]);
        expect(out.afterPreview).to.deep.equal([]);
        expect(sorted(out.up as unknown[][])).to.deep.equal([
            ["incident", "create", null],
            ["leaver", "create", null],
        ]);
        expect(out.afterUp).to.equal(2);
        expect(sorted(out.changed as unknown[][])).to.deep.equal([
            ["incident", "same", null],
            ["leaver", "update", null],
        ]);
        expect(out.afterChange).to.deep.equal([{ user_ids: [], user_logins: ["amy@example.com"] }]);
        expect(out.refresh).to.deep.equal([]);
        expect(out.serial.map((r) => sorted(r as unknown[][]))).to.deep.equal([
            [
                ["incident", "same"],
                ["leaver", "same"],
            ],
            [
                ["incident", "same"],
                ["leaver", "update"],
            ],
        ]);
        expect(out.afterSerial).to.equal(0);
        expect(out.rejected).to.include("lookup failed");
        expect(out.keptAfterRejected).to.deep.equal(["incident", "leaver"]);
        expect(out.hung).to.deep.equal(["pulumi up: this test stack was stopped", true]);
        expect(sorted(out.destroy as unknown[][])).to.deep.equal([
            ["incident", "delete", null],
            ["leaver", "delete", null],
        ]);
        expect([out.left, out.printedOrigin, out.leaked]).to.deep.equal([0, true, false]);
        expect([out.leftFiles.length, out.removed]).to.deep.equal([1, []]);
        expect(out.tooOld).to.equal(
            `createTestStack needs the pulumi CLI 3.139.0 or later; ${path.join(pkg.project, "old-pulumi", "bin", "pulumi")} is 3.138.0: ` +
                "install it (https://www.pulumi.com/docs/install/) or give createTestStack's pulumiRoot",
        );
        expect(out.missing).to.match(
            /^createTestStack needs the pulumi CLI 3\.139\.0 or later; \S+no-such-dir\/bin\/pulumi did not run \(.*\): install it/,
        );
        // In the real engine's words (test/engine/partial-failure.test.ts quotes pulumi). The engine runs
        // a resource's steps as it is registered, so the first "twice" may be created before the
        // second one fails: whatever was sent is recorded, and nothing else is.
        expect(out.duplicate).to.equal(
            "Duplicate resource URN 'urn:pulumi:test::consumer::pulumi-nodejs:dynamic/box:SessionTermination::twice'; try giving it a unique name",
        );
        expect(out.afterDuplicate).to.equal(out.twiceRecorded);
        expect(out.afterDuplicate).to.be.at.most(1);
    });

    it("every subpath type-checks in a user's TypeScript project with moduleResolution node (Pulumi's template)", () => {
        fs.writeFileSync(
            path.join(pkg.project, "uses-every-subpath.ts"),
            [
                'import { SessionTermination } from "pulumi-box-session-termination";',
                'import { createTestStack, startBoxEmulator } from "pulumi-box-session-termination/testing";',
                'import { loadRevocations } from "pulumi-box-session-termination/revocations";',
                'import { reasonPolicy } from "pulumi-box-session-termination/policy";',
                "export const used = [SessionTermination, createTestStack, startBoxEmulator, loadRevocations, reasonPolicy];",
            ].join("\n"),
        );
        fs.writeFileSync(
            path.join(pkg.project, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: {
                    target: "ES2020",
                    module: "commonjs",
                    moduleResolution: "node",
                    strict: true,
                    skipLibCheck: true,
                    noEmit: true,
                },
                files: ["uses-every-subpath.ts"],
            }),
        );
        try {
            execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", pkg.project], {
                encoding: "utf8",
            });
        } catch (err) {
            expect.fail(
                `a subpath does not resolve for TypeScript:\n${String((err as { stdout?: string }).stdout)}`,
            );
        }
    });

    it("pulumi-box-emulator from node_modules/.bin prints its URL and token, and answers a valid request with 202", async () => {
        const bin = path.join(pkg.project, "node_modules", ".bin", "pulumi-box-emulator");
        const child = spawn(bin, ["--port", "0", "--token", "tok_fixed_for_kit_test"], {
            cwd: pkg.project,
            stdio: ["ignore", "pipe", "pipe"],
        });
        try {
            let output = "";
            const baseUrl = await new Promise<string>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`no URL within 20 s:\n${output}`)), 20_000);
                child.stdout.on("data", (chunk: Buffer) => {
                    output += chunk.toString();
                    const match = /export BOX_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
                    if (match && output.includes("BOX_ACCESS_TOKEN=tok_fixed_for_kit_test")) {
                        clearTimeout(timer);
                        resolve(match[1]);
                    }
                });
                child.on("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
            });
            const res = await fetch(`${baseUrl}/2.0/users/terminate_sessions`, {
                method: "POST",
                headers: {
                    authorization: "Bearer tok_fixed_for_kit_test",
                    "content-type": "application/json",
                },
                body: JSON.stringify({ user_ids: ["1"], user_logins: [] }),
            });
            expect(res.status).to.equal(202);
        } finally {
            child.kill();
        }
        const help = execFileSync(bin, ["--help"], { encoding: "utf8" });
        expect(help)
            .to.match(/^pulumi-box-emulator: a local Box API/)
            .and.include("--fault JSON");
    });

    it("the emulator command's options are checked, naming the flag at fault", () => {
        expect(parseCliOptions(["--port", "8080", "--ccg", "--fault", '{"status":503}'])).to.deep.include({
            port: 8080,
            ccg: true,
            faults: [{ status: 503 }],
        });
        expect(() => parseCliOptions(["--port", "99999"])).to.throw(
            /--port needs a whole number from 0 to 65535/,
        );
        expect(() => parseCliOptions(["--fault", "{nope"])).to.throw(/--fault needs a JSON object/);
        expect(() => parseCliOptions(["--fault", '{"stauts":1}'])).to.throw(/unknown field\(s\) stauts/);
        expect(() => parseCliOptions(["--fault", '{"status":"x"}'])).to.throw(
            /--fault: status must be an HTTP status from 100 to 599 \(got "x"\)/,
        );
        expect(() => parseCliOptions(["--fault", '{"after":-1,"delayMs":-5}'])).to.throw(
            /after must be a whole number.*-1.*; delayMs must be 0 or more.*-5/,
        );
        expect(() => parseCliOptions(["--fault", '{"headers":{"retry-after":2}}'])).to.throw(
            /headers must be an object of strings/,
        );
        expect(() => parseCliOptions(["--directory", "a.json", "--directory", "b.json"])).to.throw(
            /--directory given twice/,
        );
        expect(() => parseCliOptions(["--token", "short"])).to.throw(/--token needs at least 8/);
        expect(() => parseCliOptions(["--bogus"])).to.throw(/unknown option "--bogus"/);
        expect(parseDirectory('{"userIds":["1"]}', "d.json")).to.deep.equal({ userIds: ["1"] });
        expect(() => parseDirectory('{"users":[]}', "d.json")).to.throw(/d\.json: users is not one of/);
    });

    it("the emulator command's --directory errors name the flag, for a missing file and a bad one", function () {
        this.timeout(60_000);
        const cli = path.join(__dirname, "..", "..", "provider", "testing", "cli.ts");
        const run = (file: string) =>
            spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), cli, "--directory", file], {
                encoding: "utf8",
                timeout: 50_000,
            });
        const missing = run("/nonexistent/directory.json");
        expect(missing.status).to.equal(2);
        expect(missing.stderr).to.include("--directory /nonexistent/directory.json: cannot read it (ENOENT)");
        const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dir-")), "d.json");
        fs.writeFileSync(bad, '{"users": []}');
        expect(run(bad).stderr).to.include(
            `--directory ${bad}: users is not one of userIds, userLogins, groupIds`,
        );
    });
});
