/** Benchmark 4: a 429 storm, against its floor and against Box's official Node SDK. */
import * as fs from "fs";
import * as path from "path";
import { SessionTermination } from "../provider";
import { startBoxEmulator, type BoxEmulator } from "../provider/testing";
import { ProviderHost } from "../harness/host";
import { captureRegistrations } from "../harness/registrations";
import { median, now, round, table } from "./report";

/** box-node-sdk does not export its package.json, so it is read from beside its entry point. */
function sdkVersion(): string {
    const pkg = path.join(path.dirname(require.resolve("box-node-sdk")), "..", "package.json");
    return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
}

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
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
    return {
        retryAfterSeconds: WAIT,
        floorSeconds: floor,
        runs: RUNS,
        ours,
        boxNodeSdk: { version: sdkVersion(), ...sdk },
    };
}
