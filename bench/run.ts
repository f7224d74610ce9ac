/**
 * `npm run bench`: every figure is measured in this one run, side by side with its comparison, and
 * reported as a ratio. Runs the benchmarks in order, prints their tables (the README quotes them) and
 * writes bench/results.json. `npm run bench -- <name> ...` runs only those, keeping the other sections
 * of results.json as they were.
 *
 * 1. requests-per-step: Box requests per lifecycle step, against the naive command-style design.
 * 2. bulk: 20,000 logins under a 10 requests/second limit, against the floor and one request per user.
 * 3. serialization: `__provider` size and the cost of registering 1,000 resources, against trivial ones.
 * 4. storm: a 429 storm, against its floor and against Box's official Node SDK.
 * 5. host-start: provider start to first successful create: dynamic host (trivial, ours) and the native plugin.
 * 6. worst-case: how long a create takes to fail with the defaults, whatever Box or the network does.
 * 7. isolation: requests and time to find k principals Box does not know among n, against k·log2(n/k).
 * 8. cli-up: a whole `pulumi up` of 10 and 100 resources through the pinned CLI, against trivial ones.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as bulk from "./bulk";
import * as cliUp from "./cli-up";
import * as hostStart from "./host-start";
import * as isolation from "./isolation";
import { round } from "./report";
import * as requestsPerStep from "./requests-per-step";
import * as serialization from "./serialization";
import * as storm from "./storm";
import * as worstCase from "./worst-case";

/** Each benchmark by its command-line name, with its key in results.json, in the order they run. */
const BENCHMARKS: ReadonlyArray<{ name: string; key: string; run: () => Promise<Record<string, unknown>> }> =
    [
        { name: "requests-per-step", key: "requestsPerLifecycle", run: requestsPerStep.run },
        { name: "bulk", key: "bulk", run: bulk.run },
        { name: "serialization", key: "serialization", run: serialization.run },
        { name: "storm", key: "storm", run: storm.run },
        { name: "host-start", key: "hostStart", run: hostStart.run },
        { name: "worst-case", key: "worstCase", run: worstCase.run },
        { name: "isolation", key: "isolation", run: isolation.run },
        { name: "cli-up", key: "cliUp", run: cliUp.run },
    ];

const RESULTS = path.join(__dirname, "results.json");

async function main(): Promise<void> {
    const wanted = process.argv.slice(2);
    const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
    if (unknown.length) {
        throw new Error(
            `unknown benchmark(s) ${unknown.join(", ")}; known: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
        );
    }
    const selected = wanted.length ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
    // A partial run updates its own sections and keeps the rest of the last full run.
    const results: Record<string, unknown> =
        wanted.length && fs.existsSync(RESULTS)
            ? (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as Record<string, unknown>)
            : {};
    const cpus = os.cpus();
    const date = new Date().toISOString();
    const machine = {
        cpus: cpus.length,
        model: cpus[0]?.model ?? "unknown",
        memoryGiB: round(os.totalmem() / 2 ** 30, 0),
        node: process.version,
        pulumi: (require("@pulumi/pulumi/package.json") as { version: string }).version,
    };
    if (!wanted.length) {
        results.date = date;
        results.machine = machine;
    }
    console.log(`Benchmarks, ${date}, ${cpus.length} x ${machine.model}, Node ${process.version}`);
    for (const b of selected) {
        const section = await b.run();
        results[b.key] = wanted.length ? { ...section, measuredAt: date } : section;
    }
    fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 4)}\n`);
    console.log("\nWrote bench/results.json");
}

main().catch((err: Error) => {
    console.error(`bench failed: ${err.stack ?? err.message}`);
    process.exit(1);
});
