/**
 * Records the upgrade fixtures in test/fixtures/state/: `pulumi stack export` of a stack that this
 * commit's code created, once for each form of `__provider` it writes (installed from npm: a require
 * of the package; from source and from a workspace package: Pulumi's by-value copy). Each file names
 * the commit, package version and CLI that wrote it. Run it (`npx ts-node scripts/record-state-fixtures.ts`)
 * before a change to what `__provider` holds, and keep the old files: test/engine/state-upgrade.test.ts
 * proves every recorded form still refreshes, updates and destroys.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CliStack, installedExample, sourceProject, workDir, workspaceProject } from "../harness/cli-stack";
import { startBoxEmulator } from "../provider/testing";
import { pinnedVersion } from "./pulumi-cli";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(ROOT, "test", "fixtures", "state");

/** The project layouts a fixture is written from and imported into. */
const LAYOUTS = {
    installed: (work: string) => installedExample("gitops", work),
    source: sourceProject,
    workspace: workspaceProject,
} as const;

/**
 * Every form of `__provider` ever recorded, with the layout that writes it: today's, and those that
 * b264fe7 wrote before the packed modules and the by-name stub were retired.
 */
export const FORMS = {
    installed: LAYOUTS.installed,
    "source-by-value": LAYOUTS.source,
    "workspace-by-value": LAYOUTS.workspace,
    packed: LAYOUTS.source,
    "workspace-by-name": LAYOUTS.workspace,
} as const;

/** The forms this commit's code writes. */
const WRITTEN: readonly (keyof typeof FORMS)[] = ["installed", "source-by-value", "workspace-by-value"];

async function record(form: keyof typeof FORMS, commit: string): Promise<void> {
    const box = await startBoxEmulator();
    try {
        const work = workDir(`fixture-${form}`);
        const stack = await CliStack.init(await FORMS[form](work), work);
        await stack.config("revocationsFile", path.join(DIR, "revocations.yaml"));
        await stack.config("box:baseUrl", box.baseUrl);
        await stack.config("box:accessToken", box.accessToken, true);
        await stack.ok(["up", "--yes"]);
        const state = await stack.exportState();
        const text = JSON.stringify(state);
        if (text.includes(box.accessToken)) throw new Error("the token is in state: not recording it");
        const version = (
            JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }
        ).version;
        const fixture = {
            recordedBy: {
                commit,
                packageVersion: version,
                pulumi: pinnedVersion(),
                form,
                project: stack.project,
            },
            state,
        };
        const file = path.join(DIR, `${commit.slice(0, 7)}-${form}.json`);
        fs.writeFileSync(file, JSON.stringify(fixture, null, 2) + "\n");
        console.log(`${path.relative(ROOT, file)}: ${text.length} bytes`);
    } finally {
        await box.close();
    }
}

async function main(): Promise<void> {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "provider"], { cwd: ROOT, encoding: "utf8" });
    if (dirty.trim())
        throw new Error("provider/ has uncommitted changes: a fixture must name the commit that wrote it");
    for (const form of WRITTEN) await record(form, commit);
}

if (require.main === module)
    main().catch((err: Error) => {
        console.error(`record-state-fixtures failed: ${err.message}`);
        process.exit(1);
    });
