/**
 * `npm run demo`: the repository's own Pulumi program taken through a realistic offboarding story,
 * the way `pulumi up` runs it (serialized provider, Pulumi's provider host, gRPC), against a local Box
 * emulator. Needs no Box account and no Pulumi CLI. Prints what Box received at every step.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { startBoxEmulator, type BoxEmulator } from "../provider/testing";
import { MiniEngine, type Step } from "../provider/testing/engine";
import { ProviderHost } from "../provider/testing/host";
import { captureRegistrations, type Registration } from "../provider/testing/registrations";

const ROOT = path.join(__dirname, "..");
const PROJECT = "box-session-termination";
const SAMPLE = path.join(ROOT, "examples", "gitops", "revocations.yaml");
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** Runs the root program (as Pulumi.yaml names it) on a revocations file and returns its registrations. */
async function runProgram(revocationsFile: string, box: BoxEmulator): Promise<Registration[]> {
    const main = require.resolve(path.join(ROOT, "index.ts"));
    return captureRegistrations(
        () => {
            delete require.cache[main];
            require(main);
        },
        {
            project: PROJECT,
            // The program refuses any origin but this machine; the stack names the emulator.
            config: { [`${PROJECT}:revocationsFile`]: revocationsFile, "box:baseUrl": box.baseUrl },
        },
    );
}

/** Edits the revocations file as a reviewer would, keeping its comments. */
function editRevocations(file: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    edit(doc);
    fs.writeFileSync(file, doc.toString());
}

function who(inputs: Record<string, unknown> | undefined): string {
    const parts: string[] = [];
    for (const key of ["userIds", "userLogins", "groupIds"]) {
        const list = (inputs?.[key] as string[] | undefined) ?? [];
        if (list.length) parts.push(`${key}: ${list.join(", ")}`);
    }
    return parts.join("; ");
}

/** For an update, only what changed: added and removed principals, and the reason. */
function changes(s: Step): string {
    const parts: string[] = [];
    for (const key of ["userIds", "userLogins", "groupIds"]) {
        const before = new Set((s.previous?.[key] as string[] | undefined) ?? []);
        const after = (s.inputs?.[key] as string[] | undefined) ?? [];
        const added = after.filter((v) => !before.has(v));
        const removed = [...before].filter((v) => !after.includes(v));
        if (added.length) parts.push(`+ ${key}: ${added.join(", ")}`);
        if (removed.length) parts.push(`- ${key}: ${removed.join(", ")}`);
    }
    if (s.previous?.reason !== s.inputs?.reason)
        parts.push(`reason: "${String(s.previous?.reason)}" -> "${String(s.inputs?.reason)}"`);
    return parts.join("; ");
}

function printPlan(steps: Step[]): void {
    for (const s of steps) {
        const detail =
            s.op === "delete"
                ? "(nothing is sent to Box: a terminated session cannot be restored)"
                : s.op === "update"
                  ? changes(s)
                  : who(s.inputs);
        const extra = s.op === "replace" ? ` [replace: ${s.replaces?.join(", ")}]` : "";
        console.log(`  ${s.op.padEnd(7)} ${s.name.padEnd(20)} ${detail}${extra}`);
        if (s.error) console.log(`          error: ${s.error.message}`);
    }
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
    const box = await startBoxEmulator();
    const host = await ProviderHost.start({ cwd: ROOT, project: PROJECT });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "box-demo-"));
    const file = path.join(work, "revocations.yaml");
    fs.copyFileSync(SAMPLE, file);
    try {
        console.log(bold("Box session termination as code: an offboarding story"));
        console.log(
            `Local Box emulator: ${box.baseUrl}. Program: index.ts (root Pulumi.yaml) on ${path.relative(ROOT, SAMPLE)}.`,
        );
        // As `pulumi config set --secret box:accessToken ...` would provide it.
        await host.configure({ "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl }, [
            "box:accessToken",
        ]);
        const engine = new MiniEngine(host, PROJECT);

        await step(
            "1. pulumi preview (a pull request adds the revocations file): who would be cut off",
            box,
            async () => {
                printPlan(await engine.preview(await runProgram(file, box)));
            },
        );

        await step("2. pulumi up: the first deployment", box, async () => {
            const steps = await engine.up(await runProgram(file, box));
            printPlan(steps);
            for (const s of steps)
                if (s.outputs) console.log(`  ${s.name}: message "${String(s.outputs.message)}"`);
        });

        await step("3. Edit: one more contractor is added to contractor-wave-3; pulumi up", box, async () => {
            editRevocations(file, (doc) =>
                doc.addIn(["revocations", 1, "userLogins"], "r.okafor@agency.example"),
            );
            printPlan((await engine.up(await runProgram(file, box))).filter((s) => s.op !== "same"));
        });

        await step(
            "4. Edit: the reason of offboard-jdoe gets the final HR ticket; pulumi up",
            box,
            async () => {
                editRevocations(file, (doc) =>
                    doc.setIn(
                        ["revocations", 0, "reason"],
                        "HR-4412: last day 2026-11-30, exit interview done (HR-4420)",
                    ),
                );
                printPlan((await engine.up(await runProgram(file, box))).filter((s) => s.op !== "same"));
            },
        );

        await step("5. pulumi refresh --expect-no-changes", box, async () => {
            const changed = await engine.refresh();
            console.log(`  ${changed.length === 0 ? "no changes" : `changed: ${changed.join(", ")}`}`);
            if (changed.length) throw new Error("refresh reported changes");
        });

        await step("6. pulumi destroy", box, async () => {
            printPlan(await engine.destroy());
        });

        const secretsSeen = host.output.includes(box.accessToken);
        console.log(
            `\nThe provider host printed ${secretsSeen ? "THE TOKEN (a bug)" : "no token"}; state holds no credential.`,
        );
        if (secretsSeen) throw new Error("token leaked into the provider host's output");
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
        await host.stop();
        await box.close();
        fs.rmSync(work, { recursive: true, force: true });
    }
}

main().catch((err: Error) => {
    console.error(`demo failed: ${err.message}`);
    process.exit(1);
});
