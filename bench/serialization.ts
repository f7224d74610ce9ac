/**
 * Benchmark 3: `__provider` size in each capture mode (installed, source, workspace, vendored) and the
 * cost of registering 1,000 resources, against 1,000 trivial dynamic resources.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "../provider";
import { captureRegistrations } from "../harness/registrations";
import { providerTextIn, vendoringApp, workspaceApp } from "../harness/capture";
import { Trivial } from "./naive";
import { now, round, table } from "./report";

const ROOT = path.join(__dirname, "..");
const TMP = path.join(__dirname, ".tmp");

const REGISTER_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const { SessionTermination } = require("pulumi-box-session-termination");
const N = 1000;
const trivialProvider = { async create() { return { id: "t", outs: {} }; } };
class Trivial extends pulumi.dynamic.Resource { constructor(n, args) { super(trivialProvider, n, args || {}, undefined, "bench", "Trivial"); } }
const SAME = () => ({ userIds: ["1", "2"], userLogins: ["a@x.io"], groupIds: undefined, reason: undefined, triggers: undefined, message: undefined, terminatedAt: undefined, requestIds: undefined, requestCount: undefined });
async function time(make, prefix) {
  await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "bench", "dev", false);
  const start = performance.now();
  for (let i = 0; i < N; i++) make(prefix + i);
  await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
  return performance.now() - start;
}
(async () => {
  let providerText = "";
  await pulumi.runtime.setMocks({ newResource: (a) => { providerText = a.inputs.__provider; return { id: "x", state: a.inputs }; }, call: (a) => a.inputs }, "bench", "dev", false);
  new SessionTermination("probe", { userIds: ["1"] });
  await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
  const ours = [], trivial = [], sameShape = [];
  for (let round = 0; round < 3; round++) {
    trivial.push(await time((n) => new Trivial(n), "t" + round + "-"));
    sameShape.push(await time((n) => new Trivial(n, SAME()), "u" + round + "-"));
    ours.push(await time((n) => new SessionTermination(n, { userIds: ["1", "2"], userLogins: ["a@x.io"] }), "s" + round + "-"));
  }
  process.stdout.write(JSON.stringify({ providerBytes: Buffer.byteLength(providerText), ours, trivial, sameShape }));
})();
`;

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
    // From source, in this process.
    const [fromSource] = await captureRegistrations(
        () => new SessionTermination("probe", { userIds: ["1"] }),
    );
    const sourceBytes = Buffer.byteLength(String(fromSource.inputs.__provider));
    // A trivial provider copied by value, for scale: what any by-value dynamic provider pays at least.
    const trivialCopyBytes = Buffer.byteLength(
        (
            await pulumi.runtime.serializeFunction(
                () => ({
                    async create() {
                        return { id: "t" };
                    },
                }),
                { allowSecrets: true },
            )
        ).text,
    );
    const timeRegistrations = async (make: (name: string) => void): Promise<number> => {
        const start = now();
        await captureRegistrations(() => {
            for (let i = 0; i < 1000; i++) make(`r${i}`);
        });
        return now() - start;
    };
    const srcOurs: number[] = [];
    const srcTrivial: number[] = [];
    for (let i = 0; i < 3; i++) {
        srcTrivial.push(await timeRegistrations((n) => new Trivial(n)));
        srcOurs.push(
            await timeRegistrations(
                (n) => new SessionTermination(n, { userIds: ["1", "2"], userLogins: ["a@x.io"] }),
            ),
        );
    }

    // From the packed package, installed into an empty project, in its own process.
    fs.rmSync(TMP, { recursive: true, force: true });
    fs.mkdirSync(path.join(TMP, "consumer"), { recursive: true });
    const packed = JSON.parse(
        execFileSync("npm", ["pack", "--json", "--pack-destination", TMP], {
            cwd: ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        }),
    ) as Array<{ filename: string; size: number }>;
    const consumer = path.join(TMP, "consumer");
    fs.writeFileSync(
        path.join(consumer, "package.json"),
        JSON.stringify({ name: "consumer", private: true }),
    );
    execFileSync(
        "npm",
        [
            "install",
            path.join(TMP, packed[0].filename),
            "--prefer-offline",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ],
        { cwd: consumer, stdio: "ignore" },
    );
    fs.writeFileSync(path.join(consumer, "register.js"), REGISTER_SCRIPT);
    const installed = JSON.parse(
        execFileSync(process.execPath, ["register.js"], { cwd: consumer, encoding: "utf8" }),
    ) as { providerBytes: number; ours: number[]; trivial: number[]; sameShape: number[] };

    // A monorepo workspace package (copied by value; Pulumi's own require with --preserve-symlinks),
    // and a vendored copy of the built package (copied by value).
    const app = await workspaceApp();
    const workspaceBytes = Buffer.byteLength(providerTextIn(app));
    const preservedBytes = Buffer.byteLength(providerTextIn(app, ["--preserve-symlinks"]));
    const vendoredBytes = Buffer.byteLength(providerTextIn(await vendoringApp(), [], "./vendor/box"));

    const best = (xs: number[]) => Math.min(...xs);
    const ms = (xs: number[]) => `${best(xs).toFixed(0)} ms`;
    table(
        "3. Serialization and registration (1,000 resources under mocks, best of 3, alternating)",
        [
            "measure",
            "SessionTermination",
            "trivial, no inputs",
            "trivial, same 9 inputs",
            "ratio to trivial",
            "ratio to same inputs",
        ],
        [
            [
                "__provider bytes, installed from the packed package",
                installed.providerBytes,
                "-",
                "-",
                "-",
                "-",
            ],
            ["__provider bytes, from source (this repo): copied by value", sourceBytes, "-", "-", "-", "-"],
            [
                "__provider bytes, monorepo workspace package: copied by value",
                workspaceBytes,
                "-",
                "-",
                "-",
                "-",
            ],
            [
                "__provider bytes, same workspace, node --preserve-symlinks",
                preservedBytes,
                "-",
                "-",
                "-",
                "-",
            ],
            ["__provider bytes, vendored built copy: copied by value", vendoredBytes, "-", "-", "-", "-"],
            ["__provider bytes, a trivial provider copied by value", trivialCopyBytes, "-", "-", "-", "-"],
            [
                "register 1,000, installed package",
                ms(installed.ours),
                ms(installed.trivial),
                ms(installed.sameShape),
                (best(installed.ours) / best(installed.trivial)).toFixed(2),
                (best(installed.ours) / best(installed.sameShape)).toFixed(2),
            ],
            [
                "register 1,000, from source",
                ms(srcOurs),
                ms(srcTrivial),
                "-",
                (best(srcOurs) / best(srcTrivial)).toFixed(2),
                "-",
            ],
        ],
    );
    fs.rmSync(TMP, { recursive: true, force: true });
    return {
        tarballBytes: packed[0].size,
        providerBytesInstalled: installed.providerBytes,
        providerBytesFromSource: sourceBytes,
        providerBytesTrivialCopy: trivialCopyBytes,
        providerBytesVendored: vendoredBytes,
        providerBytesWorkspace: workspaceBytes,
        providerBytesWorkspacePreserveSymlinks: preservedBytes,
        register1000Installed: {
            oursMs: round(best(installed.ours), 0),
            trivialMs: round(best(installed.trivial), 0),
            trivialSameInputsMs: round(best(installed.sameShape), 0),
            ratioToTrivial: round(best(installed.ours) / best(installed.trivial)),
            ratioToSameInputs: round(best(installed.ours) / best(installed.sameShape)),
        },
        register1000FromSource: {
            oursMs: round(best(srcOurs), 0),
            trivialMs: round(best(srcTrivial), 0),
            ratio: round(best(srcOurs) / best(srcTrivial)),
        },
    };
}
