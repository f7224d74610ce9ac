/**
 * `npm run demo`: the repository's own Pulumi program taken through a realistic offboarding story by
 * the real `pulumi` CLI (any `pulumi` 3.139 or later on PATH, else the pinned build, made on first use),
 * against a local Box emulator. Needs no Box account. Prints what the CLI showed and what Box
 * received at every step.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { CliStack, sourceProject, workDir } from "../harness/cli-stack";
import { startBoxEmulator, type BoxEmulator } from "../provider/testing";
import { ensurePulumiCli } from "./pulumi-cli";

const ROOT = path.join(__dirname, "..");
const SAMPLE = path.join(ROOT, "examples", "gitops", "revocations.yaml");
/** The oldest CLI that passes stack config to dynamic providers (README: Install). */
const FLOOR = [3, 139, 0];
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** The directory of a `pulumi` on PATH at or above the floor, if there is one. */
function pulumiOnPath(): string | undefined {
    const which = spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" });
    const found = which.stdout.trim();
    if (which.status !== 0 || !found) return undefined;
    const version = spawnSync(found, ["version"], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    }).stdout;
    const parts = /v?(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
    if (!parts) return undefined;
    for (let i = 0; i < 3; i++)
        if (parts[i] !== FLOOR[i]) return parts[i] > FLOOR[i] ? path.dirname(found) : undefined;
    return path.dirname(found);
}

/** Edits the revocations file as a reviewer would, keeping its comments. */
function editRevocations(file: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    edit(doc);
    fs.writeFileSync(file, doc.toString());
}

/** Runs `pulumi <args>`, failing unless it exits 0, and prints what it printed. */
async function pulumi(stack: CliStack, args: string[]): Promise<void> {
    const result = await stack.run(args);
    show(result.raw);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}`);
}

/** The CLI's output, indented, without the progress lines a terminal would have overwritten. */
function show(out: string): void {
    const lines = out.split("\n").filter((l) => !/^@ /.test(l) && l.trim() !== "");
    console.log(lines.map((l) => `  | ${l}`).join("\n"));
}

function printBoxReceived(box: BoxEmulator, since: number): void {
    const received = box.requests.slice(since);
    if (received.length === 0) {
        console.log("  Box received: nothing");
        return;
    }
    console.log(`  Box received ${received.length} request(s):`);
    for (const r of received) console.log(`    ${r.status} ${r.method} ${r.path} ${JSON.stringify(r.body)}`);
}

async function step(title: string, box: BoxEmulator, run: () => Promise<void>): Promise<void> {
    console.log(`\n${bold(title)}`);
    const since = box.requests.length;
    await run();
    printBoxReceived(box, since);
}

async function main(): Promise<void> {
    const onPath = pulumiOnPath();
    const bin = onPath ?? (await ensurePulumiCli());
    const box = await startBoxEmulator();
    const work = workDir("demo");
    const file = path.join(work, "revocations.yaml");
    fs.copyFileSync(SAMPLE, file);
    try {
        console.log(bold("Box session termination as code: an offboarding story"));
        console.log(
            `Local Box emulator: ${box.baseUrl}. Program: examples/demo/index.ts (root Pulumi.yaml) on ${path.relative(ROOT, SAMPLE)}.`,
        );
        console.log(
            `pulumi: ${onPath ? `${bin}/pulumi (from PATH)` : "the pinned build in pulumi-cli/bin"}.`,
        );
        const stack = await CliStack.init(sourceProject(work), work, {}, bin);
        await stack.config("revocationsFile", file);
        await stack.config("box:baseUrl", box.baseUrl);
        await stack.config("box:accessToken", box.accessToken, true);

        await step(
            "1. pulumi preview --diff (a pull request adds the revocations file): who would be cut off",
            box,
            async () => pulumi(stack, ["preview", "--diff"]),
        );
        await step("2. pulumi up: the first deployment", box, async () => pulumi(stack, ["up", "--yes"]));
        await step(
            "3. Edit: one more contractor is added to contractor-wave-3; pulumi up --diff",
            box,
            async () => {
                editRevocations(file, (doc) =>
                    doc.addIn(["revocations", 1, "userLogins"], "r.okafor@agency.example"),
                );
                await pulumi(stack, ["up", "--yes", "--diff"]);
            },
        );
        await step(
            "4. Edit: the reason of offboard-jdoe gets the final HR ticket; pulumi up --diff",
            box,
            async () => {
                editRevocations(file, (doc) =>
                    doc.setIn(
                        ["revocations", 0, "reason"],
                        "HR-4412: last day 2026-11-30, exit interview done (HR-4420)",
                    ),
                );
                await pulumi(stack, ["up", "--yes", "--diff"]);
            },
        );
        await step("5. pulumi refresh --expect-no-changes", box, async () =>
            pulumi(stack, ["refresh", "--yes", "--expect-no-changes"]),
        );
        await step("6. pulumi destroy", box, async () => pulumi(stack, ["destroy", "--yes"]));

        const leaked = (stack.transcript.join("\n") + stack.filesText()).includes(box.accessToken);
        console.log(
            `\nThe CLI printed ${leaked ? "THE TOKEN (a bug)" : "no token"}, and no state file holds it.`,
        );
        if (leaked) throw new Error("the token leaked into the CLI's output or state");
        console.log(
            [
                "",
                bold("Revoke for real"),
                "  This root program runs only against a local emulator (its sample names people who may exist).",
                "  Copy examples/gitops, list your revocations in its file, then:",
                "  pulumi stack init prod && pulumi config set revocationsFile revocations.yaml",
                "  pulumi preview     # needs no Box credentials; then pulumi up with credentials (see README)",
            ].join("\n"),
        );
    } finally {
        await box.close();
    }
}

main().catch((err: Error) => {
    console.error(`demo failed: ${err.message}`);
    process.exit(1);
});
