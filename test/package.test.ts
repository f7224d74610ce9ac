/**
 * The npm package as users get it: `npm pack` ships compiled JavaScript, declarations, README and
 * LICENSE only; installed into an empty project, a registered resource serializes its provider as a
 * `require` of the package (small), and that provider works in the project's own provider host.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startBoxEmulator, type BoxEmulator } from "../provider/testing";
import { ProviderHost } from "../harness/host";

const ROOT = path.join(__dirname, "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
(async () => {
    const regs = [];
    await pulumi.runtime.setMocks({
        newResource: (a) => { regs.push({ type: a.type, inputs: a.inputs }); return { id: a.name + "-id", state: a.inputs }; },
        call: (a) => a.inputs,
    }, "consumer", "dev", false);
    const { SessionTermination } = require("pulumi-box-session-termination");
    new SessionTermination("from-npm", { userIds: ["1", "2", "3", "4", "5"] });
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    process.stdout.write(JSON.stringify(regs));
})();
`;

describe("the packed npm package, installed into an empty project", function () {
    this.timeout(300_000);
    let work: string;
    let tarball: string;
    let box: BoxEmulator;

    before(async () => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "box-pack-"));
        const packed = JSON.parse(
            execFileSync(NPM, ["pack", "--json", "--pack-destination", work], {
                cwd: ROOT,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            }),
        ) as Array<{
            filename: string;
            files: Array<{ path: string }>;
        }>;
        tarball = path.join(work, packed[0].filename);
        fs.writeFileSync(tarball + ".files.json", JSON.stringify(packed[0].files.map((f) => f.path)));
        const project = path.join(work, "consumer");
        fs.mkdirSync(project);
        fs.writeFileSync(
            path.join(project, "package.json"),
            JSON.stringify({ name: "consumer", private: true, type: "commonjs" }),
        );
        execFileSync(
            NPM,
            ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
            { cwd: project, stdio: "ignore" },
        );
        fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
        box = await startBoxEmulator();
    });
    after(async () => {
        await box?.close();
        fs.rmSync(work, { recursive: true, force: true });
    });

    it("ships compiled JavaScript, declarations, README and LICENSE only", () => {
        const files = JSON.parse(fs.readFileSync(tarball + ".files.json", "utf8")) as string[];
        const unexpected = files.filter(
            (f) => !/^dist\/.+\.(js|d\.ts)$/.test(f) && !["README.md", "LICENSE", "package.json"].includes(f),
        );
        expect(unexpected).to.deep.equal([]);
        expect(files).to.include.members([
            "dist/index.js",
            "dist/index.d.ts",
            "dist/provider.js",
            "dist/testing/index.js",
            "README.md",
            "LICENSE",
        ]);
    });

    it("captures the provider by require of the package (small), and it works in that project's provider host", async () => {
        const project = path.join(work, "consumer");
        const regs = JSON.parse(
            execFileSync(process.execPath, ["index.js"], { cwd: project, encoding: "utf8" }),
        ) as Array<{ type: string; inputs: Record<string, unknown> }>;
        expect(regs[0].type).to.equal("pulumi-nodejs:dynamic/box:SessionTermination");
        const text = String(regs[0].inputs.__provider);
        expect(text).to.include('require("pulumi-box-session-termination/provider")');
        expect(text.length).to.be.below(2000);

        const host = await ProviderHost.start({ cwd: project, project: "consumer" });
        try {
            await host.configure(
                {
                    "box:accessToken": box.accessToken,
                    "box:baseUrl": box.baseUrl,
                    "box:batchSize": "2",
                    "box:concurrency": "1",
                },
                ["box:accessToken"],
            );
            const checked = await host.check("urn:r", {}, regs[0].inputs);
            box.enqueue({ path: "/2.0/users/terminate_sessions", after: 1, status: 403 });
            const partial = await host.create("urn:r", checked.inputs).then(
                () => undefined,
                (e: Error & { initFailed?: { properties: Record<string, unknown> } }) => e,
            );
            // Small enough that even a partial failure carries the whole state, provider included.
            expect(partial?.initFailed?.properties).to.deep.include({
                userIds: ["1", "2"],
                __provider: text,
            });
            const created = await host.create("urn:r", checked.inputs);
            expect(created.properties).to.deep.include({ userIds: ["1", "2", "3", "4", "5"] });
            expect(box.accepted().length).to.equal(1 + 3);
        } finally {
            await host.stop();
        }
    });
});
