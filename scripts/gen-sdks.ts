/**
 * The Python and Go SDKs of the native provider, generated from schema/box.schema.json by the pinned
 * CLI (`pulumi package gen-sdk`, through the language hosts it is built with) into sdk/python and
 * sdk/go, where they are committed (the Go SDK with a go.sum: {@link verifiableGoModule}).
 * test/engine/sdk-drift.test.ts generates them again and compares.
 *
 *     npm run gen:sdks            # after changing the schema (npx ts-node scripts/gen-schema.ts)
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensurePulumiCli, pinnedVersion } from "./pulumi-cli";

const ROOT = path.join(__dirname, "..");
/** The SDK languages generated here; C# and Java are on paper only (docs/languages.md). */
export const SDK_LANGUAGES = ["python", "go"] as const;

/** Writes `<out>/<language>` for each SDK language, replacing what was there. */
export async function generateSdks(out: string): Promise<void> {
    const bin = await ensurePulumiCli();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "box-gen-sdk-home-"));
    try {
        for (const language of SDK_LANGUAGES) {
            execFileSync(
                path.join(bin, "pulumi"),
                [
                    "package",
                    "gen-sdk",
                    path.join(ROOT, "schema", "box.schema.json"),
                    "--language",
                    language,
                    "--out",
                    out,
                ],
                {
                    timeout: 300_000,
                    cwd: ROOT,
                    stdio: ["ignore", "ignore", "pipe"],
                    env: {
                        ...process.env,
                        PATH: [bin, process.env.PATH ?? ""].join(path.delimiter),
                        PULUMI_HOME: home,
                        PULUMI_SKIP_UPDATE_CHECK: "true",
                        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                    },
                },
            );
        }
    } finally {
        fs.rmSync(home, { recursive: true, force: true });
    }
    verifiableGoModule(path.join(out, "go"));
}

/**
 * Gives the Go SDK a go.sum, so that building it verifies what it downloads. The generator writes a
 * go.mod requiring sdk/v3 v3.269.0 and no go.sum; v3.269.0's own dependencies are not all served by
 * the Go proxy these machines reach (pulumi-cloud-sdk v1.20260918.0 is refused), so no go.sum for it
 * can be made here. The SDK requires the pinned CLI's sdk/v3 instead, which `go mod tidy` resolves.
 */
function verifiableGoModule(dir: string): void {
    const go = (args: string[]) =>
        execFileSync("go", args, { timeout: 300_000, cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    go(["mod", "edit", `-require=github.com/pulumi/pulumi/sdk/v3@${pinnedVersion()}`]);
    go(["mod", "tidy"]);
}

/** Every file under `dir`, relative to it, with its bytes: for comparing two generations. */
export function treeOf(dir: string): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (sub: string): void => {
        for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
            const rel = path.join(sub, entry.name);
            if (entry.isDirectory()) walk(rel);
            else files.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
        }
    };
    walk("");
    return files;
}

if (require.main === module) {
    generateSdks(path.join(ROOT, "sdk")).then(
        () => console.log(`wrote ${SDK_LANGUAGES.map((l) => `sdk/${l}`).join(", ")}`),
        (err: unknown) => {
            console.error(err instanceof Error ? err.message : err);
            process.exit(1);
        },
    );
}
