/**
 * Benchmark 8: a whole `pulumi up` through the real CLI (the pinned build) of N SessionTerminations
 * against N trivial dynamic resources, in a project that installs the package from its packed
 * tarball, as users have it. What a user waits for, engine, language host and provider host included.
 * And the 20,000-login offboarding of benchmark 2 as a user runs it: one revocations entry, which the
 * loader splits into the parts check accepts, through `pulumi up`, against as many trivial resources.
 */
import * as fs from "fs";
import * as path from "path";
import { CliStack, installedExample, workDir } from "../harness/cli-stack";
import { startBoxEmulator } from "../provider/testing";
import { median, now, round, table } from "./report";

/** A program of `count` resources of one kind. */
function program(kind: "box" | "trivial", count: number): string {
    const trivial = [
        'import * as pulumi from "@pulumi/pulumi";',
        'const provider: pulumi.dynamic.ResourceProvider = { create: async () => ({ id: "x", outs: {} }) };',
        "class Trivial extends pulumi.dynamic.Resource {",
        "    constructor(name: string) {",
        "        super(provider, name, {});",
        "    }",
        "}",
        `for (let i = 0; i < ${count}; i++) new Trivial(\`r\${i}\`);`,
    ];
    const box = [
        'import { SessionTermination } from "pulumi-box-session-termination";',
        `for (let i = 0; i < ${count}; i++) new SessionTermination(\`r\${i}\`, { userIds: [String(1000 + i)], reason: "HR-1" });`,
    ];
    return `${(kind === "box" ? box : trivial).join("\n")}\n`;
}

const BULK_LOGINS = 20_000;

/** A revocations file with one entry of every login of the bulk offboarding. */
function bulkRevocations(): string {
    const logins = Array.from(
        { length: BULK_LOGINS },
        (_, i) => `      - person${i}@bulk-offboarding.example`,
    );
    return [
        "revocations:",
        "  - name: bulk",
        '    reason: "SEC-1: bulk offboarding"',
        "    userLogins:",
        ...logins,
        "",
    ].join("\n");
}

/** The 20,000-login up through the CLI, and as many trivial resources as it became; seconds of each. */
async function bulk(baseUrl: string, token: string, seconds: Record<string, number[]>): Promise<number> {
    let parts = 0;
    for (let pass = 0; pass < 2; pass++) {
        for (const kind of ["box", "trivial"] as const) {
            if (kind === "trivial" && parts === 0) throw new Error("the bulk up created no resources");
            const work = workDir(`bench-bulk-${kind}`);
            const dir = await installedExample("gitops", work);
            const file = path.join(work, "bulk.yaml");
            fs.writeFileSync(file, bulkRevocations());
            if (kind === "trivial") fs.writeFileSync(path.join(dir, "index.ts"), program("trivial", parts));
            const stack = await CliStack.init(dir, work);
            await stack.config("revocationsFile", file);
            await stack.config("box:baseUrl", baseUrl);
            await stack.config("box:accessToken", token, true);
            const start = now();
            await stack.ok(["up", "--yes"]);
            (seconds[`bulk-${kind}`] ??= []).push((now() - start) / 1000);
            if (kind === "box") parts = Object.keys(await stack.terminations()).length;
        }
    }
    return parts;
}

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
    const box = await startBoxEmulator();
    const seconds: Record<string, number[]> = {};
    let parts: number;
    let requests: number;
    try {
        for (const count of [10, 100]) {
            for (let pass = 0; pass < 2; pass++) {
                for (const kind of ["trivial", "box"] as const) {
                    const work = workDir(`bench-${kind}-${count}`);
                    const dir = await installedExample("gitops", work);
                    fs.writeFileSync(path.join(dir, "index.ts"), program(kind, count));
                    const stack = await CliStack.init(dir, work);
                    await stack.config("revocationsFile", path.join(dir, "revocations.yaml"));
                    await stack.config("box:baseUrl", box.baseUrl);
                    await stack.config("box:accessToken", box.accessToken, true);
                    const start = now();
                    await stack.ok(["up", "--yes"]);
                    (seconds[`${kind}-${count}`] ??= []).push((now() - start) / 1000);
                }
            }
        }
        parts = await bulk(box.baseUrl, box.accessToken, seconds);
        requests = box.requests.filter((r) => r.path.endsWith("/terminate_sessions")).length;
    } finally {
        await box.close();
    }
    const m = (key: string) => median(seconds[key]);
    table(
        "8. A whole `pulumi up` through the pinned CLI, installed from the packed tarball (median of 2, alternating)",
        ["resources", "trivial dynamic resource", "SessionTermination", "ratio"],
        [
            ...[10, 100].map((n) => [
                n,
                `${m(`trivial-${n}`).toFixed(1)} s`,
                `${m(`box-${n}`).toFixed(1)} s`,
                (m(`box-${n}`) / m(`trivial-${n}`)).toFixed(2),
            ]),
            [
                `${parts} (${BULK_LOGINS.toLocaleString("en")} logins in one revocations entry)`,
                `${m("bulk-trivial").toFixed(1)} s`,
                `${m("bulk-box").toFixed(1)} s`,
                (m("bulk-box") / m("bulk-trivial")).toFixed(2),
            ],
        ],
    );
    const terminationRequests = requests;
    return {
        ...Object.fromEntries(
            [10, 100].map((n) => [
                `resources${n}`,
                {
                    trivialSeconds: round(m(`trivial-${n}`)),
                    oursSeconds: round(m(`box-${n}`)),
                    ratio: round(m(`box-${n}`) / m(`trivial-${n}`)),
                },
            ]),
        ),
        bulk: {
            logins: BULK_LOGINS,
            resources: parts,
            terminationRequestsAllRuns: terminationRequests,
            trivialSeconds: round(m("bulk-trivial")),
            oursSeconds: round(m("bulk-box")),
            ratio: round(m("bulk-box") / m("bulk-trivial")),
        },
    };
}
