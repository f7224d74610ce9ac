/**
 * The pinned Pulumi CLI: `pulumi`, `pulumi-language-nodejs`, `-python`, `-go`, `-yaml` and
 * `pulumi-resource-pulumi-nodejs`, built from the Go modules in pulumi-cli/ into pulumi-cli/bin/ (ignored by git) on first use and
 * reused while go.mod, go.sum, the host's source and the Go toolchain stay the same.
 *
 * `npm run pulumi -- <args>` builds if needed, then runs `pulumi <args>`. Tests, the demo and the
 * bench call {@link ensurePulumiCli} instead, before any test's timeout starts.
 */
import { spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

const MODULE_DIR = path.join(__dirname, "..", "pulumi-cli");
/** Where the pinned build lives. */
export const PULUMI_BIN_DIR = path.join(MODULE_DIR, "bin");
const STAMP = path.join(PULUMI_BIN_DIR, ".stamp");
const VERSION_PKG = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** The pinned CLI's version, as go.mod requires it (`v3.274.1`). */
export function pinnedVersion(): string {
    const mod = fs.readFileSync(path.join(MODULE_DIR, "go.mod"), "utf8");
    const match = /^\s*github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/m.exec(mod);
    if (!match) throw new Error("pulumi-cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3");
    return match[1];
}

function goVersion(): string | undefined {
    const run = spawnSync("go", ["version"], { encoding: "utf8" });
    return run.status === 0 ? run.stdout.trim() : undefined;
}

/** Our own language hosts (pulumi-cli/README.md says why) and the code they share. */
const HOST_DIRS = [
    "internal/langhost",
    "pulumi-language-nodejs",
    "pulumi-language-python",
    "pulumi-language-go",
];

/** What the build depends on: when it changes, the binaries are rebuilt. */
function fingerprint(go: string): string {
    const hash = createHash("sha256").update(go);
    const host = HOST_DIRS.flatMap((dir) =>
        fs.readdirSync(path.join(MODULE_DIR, dir)).map((f) => `${dir}/${f}`),
    );
    for (const file of ["go.mod", "go.sum", "yaml/go.mod", "yaml/go.sum", ...host.sort()]) {
        hash.update(file).update(fs.readFileSync(path.join(MODULE_DIR, file)));
    }
    return hash.digest("hex");
}

function upToDate(print: string): boolean {
    const binaries = [
        "pulumi",
        "pulumi-language-nodejs",
        "pulumi-language-python",
        "pulumi-language-python-exec",
        "pulumi-language-go",
        "pulumi-language-yaml",
        "pulumi-resource-pulumi-nodejs",
    ];
    return (
        fs.existsSync(STAMP) &&
        fs.readFileSync(STAMP, "utf8") === print &&
        binaries.every((b) => fs.existsSync(path.join(PULUMI_BIN_DIR, b)))
    );
}

/** Runs `go` in the module, printing a line every 100 packages compiled so a cold build shows life. */
function go(args: string[], log: (line: string) => void, cwd = MODULE_DIR): Promise<void> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn("go", args, {
            cwd,
            env: { ...process.env, CGO_ENABLED: "0" },
            stdio: ["ignore", "inherit", "pipe"],
        });
        let packages = 0;
        let errors = "";
        let rest = "";
        child.stderr.setEncoding("utf8");
        child.stderr.on("data", (chunk: string) => {
            const lines = (rest + chunk).split("\n");
            rest = lines.pop() ?? "";
            for (const line of lines) {
                // With -v, go names each package as it compiles it; anything else is a message.
                if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line)) {
                    if (++packages % 100 === 0)
                        log(
                            `  ${packages} packages compiled (${Math.round((Date.now() - started) / 1000)} s)`,
                        );
                } else if (line.trim()) {
                    errors += line + "\n";
                    log(`  ${line}`);
                }
            }
        });
        child.on("error", reject);
        child.on("close", (code) => {
            if (code === 0) resolve();
            else
                reject(
                    new Error(
                        `go ${args[0]} failed (exit ${code}) in ${path.relative(path.dirname(MODULE_DIR), cwd)}/:\n${errors}${rest}`,
                    ),
                );
        });
    });
}

/**
 * Builds the pinned CLI unless pulumi-cli/bin already holds this very build, and returns the
 * directory to put first on PATH. Fails with what to install when Go is missing.
 */
export async function ensurePulumiCli(
    log: (line: string) => void = (l) => console.error(l),
): Promise<string> {
    const toolchain = goVersion();
    if (!toolchain) {
        throw new Error(
            "The pinned Pulumi CLI is built from Go modules, and `go` is not on PATH. Install Go 1.26 or " +
                "later (https://go.dev/doc/install, or your package manager's golang package) and run again; " +
                "the first build takes several minutes and about 3 GB of Go caches.",
        );
    }
    const print = fingerprint(toolchain);
    if (upToDate(print)) return PULUMI_BIN_DIR;
    const version = pinnedVersion();
    const started = Date.now();
    log(
        `Building the pinned Pulumi CLI ${version} in pulumi-cli/ (cold: several minutes; later: seconds)...`,
    );
    fs.mkdirSync(PULUMI_BIN_DIR, { recursive: true });
    fs.rmSync(STAMP, { force: true });
    await go(
        [
            "build",
            "-v",
            "-trimpath",
            "-ldflags",
            `-X ${VERSION_PKG}=${version}`,
            "-o",
            PULUMI_BIN_DIR + path.sep,
            "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
            "./pulumi-language-nodejs",
            "./pulumi-language-python",
            "./pulumi-language-go",
        ],
        log,
    );
    // YAML programs: Pulumi's own language host, in a module of its own (pulumi-cli/yaml/go.mod).
    const yamlVersion = /github\.com\/pulumi\/pulumi-yaml (v\S+)/.exec(
        fs.readFileSync(path.join(MODULE_DIR, "yaml", "go.mod"), "utf8"),
    )?.[1];
    await go(
        [
            "build",
            "-v",
            "-trimpath",
            "-ldflags",
            `-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${yamlVersion}`,
            "-o",
            PULUMI_BIN_DIR + path.sep,
            "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
        ],
        log,
        path.join(MODULE_DIR, "yaml"),
    );
    // Dynamic providers run through this script of the sdk module: the engine looks for it beside
    // `pulumi`, and would otherwise try to download a plugin that does not exist.
    const sdkDir = spawnSync("go", ["list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/sdk/v3"], {
        cwd: MODULE_DIR,
        encoding: "utf8",
    }).stdout.trim();
    // And Python programs run on this one, which our Python host looks for beside itself.
    for (const [from, name] of [
        [path.join("nodejs", "dist"), "pulumi-resource-pulumi-nodejs"],
        [path.join("python", "cmd"), "pulumi-language-python-exec"],
    ]) {
        const script = path.join(PULUMI_BIN_DIR, name);
        fs.copyFileSync(path.join(sdkDir, from, name), script);
        fs.chmodSync(script, 0o755);
    }
    fs.writeFileSync(STAMP, print);
    log(`Built pulumi ${version} in ${Math.round((Date.now() - started) / 1000)} s: ${PULUMI_BIN_DIR}`);
    return PULUMI_BIN_DIR;
}

/** `npm run pulumi -- <args>`: the pinned CLI, built first if needed. */
async function main(): Promise<void> {
    const bin = await ensurePulumiCli();
    const args = process.argv.slice(2);
    if (args[0] === "--build-only") return;
    const child = spawn(path.join(bin, "pulumi"), args, {
        stdio: "inherit",
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` },
    });
    // Ctrl-C reaches pulumi from the terminal too; this wrapper stays until pulumi has finished
    // cancelling (a second Ctrl-C is then pulumi's to act on), and passes on a kill's SIGTERM.
    process.on("SIGINT", () => undefined);
    process.on("SIGTERM", () => child.kill("SIGTERM"));
    child.on("close", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (require.main === module) {
    main().catch((err: Error) => {
        console.error(err.message);
        process.exit(1);
    });
}
