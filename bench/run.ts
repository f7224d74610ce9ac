/**
 * `npm run bench`: every figure is measured in this one run, side by side with its comparison, and
 * reported as a ratio. Writes bench/results.json and prints the tables the README quotes.
 *
 * 1. Box requests per lifecycle step, this provider against the naive command-style design.
 * 2. Bulk offboarding of 20,000 logins under a 10 requests/second limit, against the floor the limit
 *    allows and against one request per user.
 * 3. `__provider` size (from source and from the packed package) and the cost of registering 1,000
 *    resources, against 1,000 trivial dynamic resources.
 * 4. A 429 storm, against its floor and against Box's official Node SDK.
 * 5. Provider host start to first successful create, against a trivial provider.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SessionTermination, type SessionTerminationArgs } from "../provider";
import { startBoxEmulator, type BoxEmulator } from "../provider/testing";
import { MiniEngine } from "../harness/engine";
import { ProviderHost } from "../harness/host";
import { captureRegistrations, type Registration } from "../harness/registrations";
import { NaiveTermination, Trivial } from "./naive";

const ROOT = path.join(__dirname, "..");
const TMP = path.join(__dirname, ".tmp");
const results: Record<string, unknown> = {};
const now = (): number => performance.now();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

function table(title: string, head: string[], rows: Array<Array<string | number>>): void {
    const cells = [head, ...rows.map((r) => r.map(String))];
    const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    console.log(`\n${title}\n${line(head)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const r of cells.slice(1)) console.log(line(r));
}

// ---------------------------------------------------------------- 1. requests per lifecycle step
async function requestsPerLifecycle(): Promise<void> {
    type Args = SessionTerminationArgs & {
        userIds: string[];
        userLogins: string[];
        groupIds: string[];
        reason: string;
    };
    const base: Args = {
        userIds: ["1001", "1002"],
        userLogins: ["c.user@example.com"],
        groupIds: ["9001"],
        reason: "HR-1",
    };
    const story: Array<{
        step: string;
        args?: Args;
        op: "up" | "preview" | "refresh" | "destroy";
        floor: number;
    }> = [
        { step: "create (3 users, 1 group)", args: base, op: "up", floor: 2 },
        { step: "preview", args: base, op: "preview", floor: 0 },
        { step: "no-op update", args: base, op: "up", floor: 0 },
        { step: "reordered list", args: { ...base, userIds: ["1002", "1001"] }, op: "up", floor: 0 },
        { step: "one user added", args: { ...base, userIds: ["1002", "1001", "1003"] }, op: "up", floor: 1 },
        {
            step: "reason changed",
            args: { ...base, userIds: ["1002", "1001", "1003"], reason: "HR-2" },
            op: "up",
            floor: 0,
        },
        { step: "refresh", op: "refresh", floor: 0 },
        { step: "destroy", op: "destroy", floor: 0 },
    ];
    const run = async (make: (a: Args) => void): Promise<number[]> => {
        const box = await startBoxEmulator();
        const host = await ProviderHost.start({
            env: { BOX_BASE_URL: box.baseUrl, BOX_ACCESS_TOKEN: box.accessToken },
        });
        await host.configure({});
        const engine = new MiniEngine(host);
        const counts: number[] = [];
        try {
            for (const s of story) {
                const before = box.requests.length;
                const regs = s.args ? await captureRegistrations(() => make(s.args!)) : [];
                if (s.op === "preview") await engine.preview(regs);
                else if (s.op === "refresh") await engine.refresh();
                else if (s.op === "destroy") await engine.destroy();
                else {
                    const steps = await engine.up(regs);
                    const failed = steps.find((x) => x.error);
                    if (failed) throw failed.error;
                }
                counts.push(box.requests.length - before);
            }
        } finally {
            await host.stop();
            await box.close();
        }
        return counts;
    };
    const ours = await run((a) => new SessionTermination("story", a));
    const naive = await run((a) => new NaiveTermination("story", a));
    const rows = story.map((s, i) => [s.step, s.floor, ours[i], naive[i]]);
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    rows.push(["total", total(story.map((s) => s.floor)), total(ours), total(naive)]);
    table(
        "1. Box requests per lifecycle step (provider host + emulator)",
        ["step", "floor", "this provider", "naive (command + triggers)"],
        rows,
    );
    results.requestsPerLifecycle = {
        steps: story.map((s, i) => ({ step: s.step, floor: s.floor, ours: ours[i], naive: naive[i] })),
        atFloor: story.every((s, i) => ours[i] === s.floor),
        naiveOverOurs: round(total(naive) / total(ours)),
    };
}

// ---------------------------------------------------------------- 2. bulk offboarding under a rate limit
async function bulk(): Promise<void> {
    const RATE = 10;
    const LOGINS = 20_000;
    const SAMPLE = 100;
    const logins = (n: number) => Array.from({ length: n }, (_, i) => `leaver${i}@bulk.example`);
    const measure = async (n: number, config: Record<string, string>) => {
        const box = await startBoxEmulator({ rateLimitPerSecond: RATE });
        const host = await ProviderHost.start();
        try {
            await host.configure(
                { "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl, ...config },
                ["box:accessToken"],
            );
            const regs = await captureRegistrations(
                () => new SessionTermination("bulk", { userLogins: logins(n) }),
            );
            const urn = "urn:pulumi:dev::box-demo::bulk";
            // The engine's two calls, timed apart: Check (Pulumi validating a 20,000-entry input) and Create.
            const start = now();
            const checked = await host.check(urn, {}, regs[0].inputs);
            const checkedAt = now();
            let failures = 0;
            await host.create(urn, checked.inputs).catch(() => failures++);
            const end = now();
            const sent = box.accepted().flatMap((r) => (r.body as { user_logins: string[] }).user_logins);
            const answered = box.requests.filter((r) => r.status === 202);
            return {
                upSeconds: (end - start) / 1000,
                createSeconds: (end - checkedAt) / 1000,
                boxPhaseSeconds: (answered[answered.length - 1].time - box.requests[0].time) / 1000,
                failures,
                accepted: box.accepted().length,
                rateLimited: box.requests.filter((r) => r.status === 429).length,
                everyLoginOnce: sent.length === n && new Set(sent).size === n,
            };
        } finally {
            await host.stop();
            await box.close();
        }
    };
    const ours = await measure(LOGINS, {});
    // The floor with fixed one-second windows of RATE requests: the last window opens at ceil(N/RATE)-1 s.
    const floor = Math.ceil(ours.accepted / RATE) - 1;
    const single = await measure(SAMPLE, { "box:batchSize": "1", "box:concurrency": "1" });
    const singleProjected = (single.createSeconds * LOGINS) / SAMPLE;
    const ratio = (x: number) => (x / floor).toFixed(2);
    table(
        `2. Bulk offboarding: ${LOGINS.toLocaleString("en")} logins, emulator limited to ${RATE} requests/s (429 + retry-after)`,
        ["design", "requests", "429s", "failures", "time", "vs floor"],
        [
            [
                "floor: ceil(requests / rate) - 1 s (batch 500)",
                ours.accepted,
                "-",
                "-",
                `${floor.toFixed(2)} s`,
                "1.00",
            ],
            [
                "this provider: Box phase (first request to last answer)",
                ours.accepted,
                ours.rateLimited,
                ours.failures,
                `${ours.boxPhaseSeconds.toFixed(2)} s`,
                ratio(ours.boxPhaseSeconds),
            ],
            [
                "this provider: create step through the provider host",
                ours.accepted,
                ours.rateLimited,
                ours.failures,
                `${ours.createSeconds.toFixed(2)} s`,
                ratio(ours.createSeconds),
            ],
            [
                "this provider: whole up (Pulumi's Check of the 20,000-entry input + create)",
                ours.accepted,
                ours.rateLimited,
                ours.failures,
                `${ours.upSeconds.toFixed(2)} s`,
                ratio(ours.upSeconds),
            ],
            [
                `one request per user, one at a time (create measured on ${SAMPLE}, projected)`,
                LOGINS,
                "-",
                single.failures,
                `${singleProjected.toFixed(0)} s`,
                (singleProjected / floor).toFixed(0),
            ],
        ],
    );
    results.bulk = {
        logins: LOGINS,
        rateLimitPerSecond: RATE,
        requests: ours.accepted,
        rateLimited: ours.rateLimited,
        failures: ours.failures,
        everyLoginOnce: ours.everyLoginOnce,
        floorSeconds: floor,
        boxPhase: { seconds: round(ours.boxPhaseSeconds), ratioToFloor: round(ours.boxPhaseSeconds / floor) },
        createStep: { seconds: round(ours.createSeconds), ratioToFloor: round(ours.createSeconds / floor) },
        wholeUp: { seconds: round(ours.upSeconds), ratioToFloor: round(ours.upSeconds / floor) },
        onePerUser: {
            sample: SAMPLE,
            sampleSeconds: round(single.createSeconds),
            projectedSeconds: round(singleProjected, 0),
            ratioToOurs: round(singleProjected / ours.createSeconds, 0),
        },
    };
}

// ---------------------------------------------------------------- 3. serialization and registration
const REGISTER_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const { SessionTermination } = require("pulumi-box-session-termination");
const N = 1000;
const trivialProvider = { async create() { return { id: "t", outs: {} }; } };
class Trivial extends pulumi.dynamic.Resource { constructor(n, args) { super(trivialProvider, n, args || {}, undefined, "bench", "Trivial"); } }
const SAME = () => ({ userIds: ["1", "2"], userLogins: ["a@x.io"], groupIds: undefined, reason: undefined, triggers: undefined, message: undefined, terminatedAt: undefined });
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

async function serialization(): Promise<void> {
    // From source, in this process.
    const [fromSource] = await captureRegistrations(
        () => new SessionTermination("probe", { userIds: ["1"] }),
    );
    const sourceBytes = Buffer.byteLength(String(fromSource.inputs.__provider));
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

    const best = (xs: number[]) => Math.min(...xs);
    const ms = (xs: number[]) => `${best(xs).toFixed(0)} ms`;
    table(
        "3. Serialization and registration (1,000 resources under mocks, best of 3, alternating)",
        [
            "measure",
            "SessionTermination",
            "trivial, no inputs",
            "trivial, same 7 inputs",
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
            ["__provider bytes, copied from source (this repo)", sourceBytes, "-", "-", "-", "-"],
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
    results.serialization = {
        tarballBytes: packed[0].size,
        providerBytesInstalled: installed.providerBytes,
        providerBytesFromSource: sourceBytes,
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
    fs.rmSync(TMP, { recursive: true, force: true });
}

/** box-node-sdk does not export its package.json, so it is read from beside its entry point. */
function sdkVersion(): string {
    const pkg = path.join(path.dirname(require.resolve("box-node-sdk")), "..", "package.json");
    return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
}

// ---------------------------------------------------------------- 4. a 429 storm
async function storm(): Promise<void> {
    const WAIT = 3;
    const storm429 = (box: BoxEmulator) =>
        box.enqueue(
            ...[1, 2, 3].map(() => ({
                path: "/2.0/users/terminate_sessions",
                status: 429,
                headers: { "retry-after": String(WAIT) },
            })),
        );
    /** Retries sent before the `retry-after` of the 429 they follow had passed. */
    const early = (box: BoxEmulator) =>
        box.requests
            .slice(1)
            .filter(
                (r, i) => box.requests[i].status === 429 && r.time - box.requests[i].time < WAIT * 1000 - 50,
            ).length;

    const RUNS = 3;
    const oursRuns: Array<{ seconds: number; early: number }> = [];
    const sdkRuns: Array<{ seconds: number; early: number }> = [];
    const [reg] = await captureRegistrations(() => new SessionTermination("storm", { userIds: ["1"] }));
    const { BoxClient, BoxDeveloperTokenAuth } = require("box-node-sdk") as typeof import("box-node-sdk");
    for (let run = 0; run < RUNS; run++) {
        const oursBox = await startBoxEmulator();
        const host = await ProviderHost.start();
        try {
            await host.configure({ "box:accessToken": oursBox.accessToken, "box:baseUrl": oursBox.baseUrl }, [
                "box:accessToken",
            ]);
            const checked = await host.check("urn:storm", {}, reg.inputs);
            storm429(oursBox);
            const start = now();
            await host.create("urn:storm", checked.inputs);
            oursRuns.push({ seconds: (now() - start) / 1000, early: early(oursBox) });
        } finally {
            await host.stop();
            await oursBox.close();
        }

        const sdkBox = await startBoxEmulator();
        try {
            const client = new BoxClient({
                auth: new BoxDeveloperTokenAuth({ token: sdkBox.accessToken }),
            }).withCustomBaseUrls({
                baseUrl: sdkBox.baseUrl,
                uploadUrl: sdkBox.baseUrl,
                oauth2Url: `${sdkBox.baseUrl}/oauth2`,
            });
            storm429(sdkBox);
            const start = now();
            await client.sessionTermination.terminateUsersSessions({ userIds: ["1"], userLogins: [] });
            sdkRuns.push({ seconds: (now() - start) / 1000, early: early(sdkBox) });
        } finally {
            await sdkBox.close();
        }
    }
    const floor = 3 * WAIT;
    const summary = (runs: Array<{ seconds: number; early: number }>) => {
        const times = runs.map((r) => r.seconds);
        return {
            medianSeconds: round(median(times)),
            minSeconds: round(Math.min(...times)),
            maxSeconds: round(Math.max(...times)),
            ratioToFloor: round(median(times) / floor),
            earlyRetries: runs.reduce((a, r) => a + r.early, 0),
        };
    };
    const ours = summary(oursRuns);
    const sdk = summary(sdkRuns);
    const row = (name: string, x: typeof ours) => [
        name,
        `${x.medianSeconds.toFixed(2)} s`,
        `${x.minSeconds.toFixed(2)}-${x.maxSeconds.toFixed(2)} s`,
        x.ratioToFloor.toFixed(2),
        `${x.earlyRetries} of ${RUNS * 3}`,
    ];
    table(
        `4. A 429 storm: three answers 429 with retry-after: ${WAIT}, then 202 (${RUNS} runs each, alternating)`,
        ["client", "median", "range", "median vs floor", "retries sent before retry-after had passed"],
        [
            ["floor (sum of retry-after)", `${floor.toFixed(2)} s`, "-", "1.00", "-"],
            row("this provider (through the provider host)", ours),
            row(`box-node-sdk ${sdkVersion()} (official)`, sdk),
        ],
    );
    results.storm = {
        retryAfterSeconds: WAIT,
        floorSeconds: floor,
        runs: RUNS,
        ours,
        boxNodeSdk: { version: sdkVersion(), ...sdk },
    };
}

// ---------------------------------------------------------------- 5. provider host start
async function hostStart(): Promise<void> {
    const box = await startBoxEmulator();
    const [ours] = await captureRegistrations(() => new SessionTermination("start", { userIds: ["1"] }));
    const [trivial] = await captureRegistrations(() => new Trivial("start"));
    const once = async (reg: Registration, config: Record<string, string>): Promise<number> => {
        const start = now();
        const host = await ProviderHost.start();
        try {
            await host.configure(config, ["box:accessToken"]);
            const checked = await host.check("urn:start", {}, reg.inputs);
            await host.create("urn:start", checked.inputs);
            return now() - start;
        } finally {
            await host.stop();
        }
    };
    const oursMs: number[] = [];
    const trivialMs: number[] = [];
    try {
        for (let i = 0; i < 5; i++) {
            trivialMs.push(await once(trivial, {}));
            oursMs.push(await once(ours, { "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl }));
        }
    } finally {
        await box.close();
    }
    table(
        "5. Provider host start to first successful create (median of 5, alternating)",
        ["provider", "time", "ratio"],
        [
            ["trivial dynamic provider", `${median(trivialMs).toFixed(0)} ms`, "1.00"],
            [
                "SessionTermination (one Box request)",
                `${median(oursMs).toFixed(0)} ms`,
                (median(oursMs) / median(trivialMs)).toFixed(2),
            ],
        ],
    );
    results.hostStart = {
        trivialMs: round(median(trivialMs), 0),
        oursMs: round(median(oursMs), 0),
        ratio: round(median(oursMs) / median(trivialMs)),
    };
}

async function main(): Promise<void> {
    const cpus = os.cpus();
    results.date = new Date().toISOString();
    results.machine = {
        cpus: cpus.length,
        model: cpus[0]?.model ?? "unknown",
        memoryGiB: round(os.totalmem() / 2 ** 30, 0),
        node: process.version,
        pulumi: (require("@pulumi/pulumi/package.json") as { version: string }).version,
    };
    console.log(
        `Benchmarks, ${results.date}, ${cpus.length} x ${String((results.machine as { model: string }).model)}, Node ${process.version}`,
    );
    await requestsPerLifecycle();
    await bulk();
    await serialization();
    await storm();
    await hostStart();
    fs.writeFileSync(path.join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log("\nWrote bench/results.json");
}

main().catch((err: Error) => {
    console.error(`bench failed: ${err.stack ?? err.message}`);
    process.exit(1);
});
