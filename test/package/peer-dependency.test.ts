/**
 * `@pulumi/pulumi` is a peer dependency: a project keeps its own version, with one copy of it. Checked
 * with the packed package installed into empty projects pinned to older Pulumi versions, including the
 * lowest one the package declares (3.139, the first whose dynamic providers receive stack config).
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { emptyProjectWith, installPackedPackage } from "../../harness/capture";
import { MiniEngine } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { startBoxEmulator } from "../../provider/testing";

const MOCKS_TEST = `
const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks({
    newResource: (a) => { registered.push(a); return { id: a.name + "-id", state: a.inputs }; },
    call: (a) => a.inputs,
}, "consumer", "dev", false).then(async () => {
    const { SessionTermination } = require("pulumi-box-session-termination");
    const r = new SessionTermination("unit", { userIds: ["1"] });
    const ids = await new Promise((resolve) => r.userIds.apply(resolve));
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    process.stdout.write(JSON.stringify({ types: registered.map((a) => a.type), ids, provider: String(registered[0].inputs.__provider) }));
});
`;

/** `npm ls` of every installed copy of @pulumi/pulumi, as paths. */
function pulumiCopies(project: string): string[] {
    let out: string;
    try {
        out = execFileSync("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], {
            cwd: project,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        });
    } catch (err) {
        // npm ls exits non-zero on peer warnings; what it printed is still the list.
        out = String((err as { stdout?: string }).stdout ?? "");
    }
    return [
        ...new Set(out.split("\n").filter((l) => l.endsWith(path.join("node_modules", "@pulumi", "pulumi")))),
    ];
}

describe("@pulumi/pulumi as a peer dependency, in projects pinned to older versions", function () {
    this.timeout(600_000);
    let work: string;
    let tarball: string;
    before(async () => {
        tarball = (await installPackedPackage()).tarball;
        work = fs.mkdtempSync(path.join(os.tmpdir(), "box-peer-"));
    });
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("pinned exactly to 3.200.0: one copy of @pulumi/pulumi, and a setMocks unit test registers at once", () => {
        const project = emptyProjectWith(path.join(work, "pinned-3200"), ["@pulumi/pulumi@3.200.0", tarball]);
        expect(pulumiCopies(project)).to.deep.equal([
            path.join(project, "node_modules", "@pulumi", "pulumi"),
        ]);
        fs.writeFileSync(path.join(project, "unit.js"), MOCKS_TEST);
        const result = JSON.parse(
            execFileSync(process.execPath, ["unit.js"], { cwd: project, encoding: "utf8", timeout: 20_000 }),
        ) as { types: string[]; ids: string[]; provider: string };
        expect(result.types).to.deep.equal(["pulumi-nodejs:dynamic/box:SessionTermination"]);
        expect(result.ids).to.deep.equal(["1"]);
        expect(result.provider).to.include('require("pulumi-box-session-termination/provider")');
    });

    it("pinned to 3.139.0, the declared floor: that version's provider host passes stack config to the provider", async () => {
        const project = emptyProjectWith(path.join(work, "pinned-3139"), ["@pulumi/pulumi@3.139.0", tarball]);
        expect(pulumiCopies(project)).to.have.length(1);
        fs.writeFileSync(path.join(project, "unit.js"), MOCKS_TEST);
        const { provider } = JSON.parse(
            execFileSync(process.execPath, ["unit.js"], { cwd: project, encoding: "utf8", timeout: 20_000 }),
        ) as { provider: string };
        const box = await startBoxEmulator();
        const host = await ProviderHost.start({ cwd: project, project: "consumer" });
        try {
            // Credentials only in stack config: this works only if configure receives it.
            await host.configure({ "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl }, [
                "box:accessToken",
            ]);
            const engine = new MiniEngine(host, "consumer");
            const [step] = await engine.up([
                {
                    type: "pulumi-nodejs:dynamic/box:SessionTermination",
                    name: "r",
                    inputs: { userIds: ["1"], __provider: provider },
                },
            ]);
            expect(step.error).to.equal(undefined);
            expect(box.accepted().map((r) => r.body)).to.deep.equal([{ user_ids: ["1"], user_logins: [] }]);
        } finally {
            await host.stop();
            await box.close();
        }
    });
});
