/**
 * A stack driven through the pinned `pulumi` CLI (pulumi-cli/bin, built by `npm test` before mocha
 * starts): its own PULUMI_HOME, a file backend, passphrase secrets, no update check and no plugin
 * downloads, so nothing leaves this machine. What a test asserts is what the CLI printed, normalized
 * only where it varies from run to run (colours, durations), and what `pulumi stack export` holds.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { installPackedPackage } from "./capture";
import { ensurePulumiCli } from "../scripts/pulumi-cli";
import { removeOnExit } from "./temp-dirs";

const ROOT = path.join(__dirname, "..");
/** Where `npm run pulumi -- --build-only` puts the pinned CLI. */
export const PULUMI_BIN = path.join(ROOT, "pulumi-cli", "bin");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** What one CLI command did. */
export interface CliResult {
    /** Exit code (null when it was killed). */
    code: number | null;
    /** stdout and stderr as printed, normalized by {@link normalize}. */
    text: string;
    /** stdout and stderr as printed (only carriage returns removed): what a person would read. */
    raw: string;
}

/** Process groups of CLI commands still running: killed if this process exits first (an interrupted test). */
const running = new Set<number>();
// Before temp-dirs.ts removes their directories.
process.prependOnceListener("exit", () => {
    for (const pid of running) {
        try {
            process.kill(-pid, "SIGKILL");
        } catch {
            // Already gone.
        }
    }
});

/** Removes what differs between runs of the same step: colours, durations, carriage returns. */
export function normalize(text: string): string {
    return (
        text
            // eslint-disable-next-line no-control-regex -- ANSI escapes start with ESC
            .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
            .replace(/\r/g, "")
            .replace(/\(\d+(\.\d+)?m?s\)/g, "(Ns)")
            .replace(/^Duration: .*$/gm, "Duration: N")
    );
}

/** Every file under `dir`, as text: what a test searches for a secret that must not be there. */
function allText(dir: string): string {
    if (!fs.existsSync(dir)) return "";
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8"))
        .join("\n");
}

/** One stack of one project, in a directory of its own. */
export class CliStack {
    /** Everything this stack's commands printed, in order (normalized). */
    readonly transcript: string[] = [];

    private constructor(
        /** The project directory the CLI runs in. */
        readonly dir: string,
        private readonly work: string,
        private readonly extraEnv: Record<string, string>,
        /** The directory holding the `pulumi` this stack runs (the pinned build by default). */
        readonly binDir: string,
    ) {}

    /** The project's name, as its Pulumi.yaml gives it. */
    get project(): string {
        return (parse(fs.readFileSync(path.join(this.dir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    }

    /** Creates stack `dev` of the project in `dir` (which the caller prepared). */
    static async init(
        dir: string,
        work: string,
        env: Record<string, string> = {},
        binDir: string = PULUMI_BIN,
    ): Promise<CliStack> {
        // The pinned build, rebuilt first if its sources changed since (a no-op after `npm test` built it).
        if (binDir === PULUMI_BIN) await ensurePulumiCli();
        const stack = new CliStack(dir, work, env, binDir);
        fs.mkdirSync(path.join(work, "backend"), { recursive: true });
        const init = await stack.run(["stack", "init", "dev"]);
        if (init.code !== 0) throw new Error(`pulumi stack init failed:\n${init.text}`);
        return stack;
    }

    private env(extra: Record<string, string>): NodeJS.ProcessEnv {
        const env: NodeJS.ProcessEnv = {};
        // Nothing of the machine's Box or Pulumi settings: each test says what its stack has.
        for (const [k, v] of Object.entries(process.env)) {
            if (!k.startsWith("BOX_") && !k.startsWith("PULUMI_")) env[k] = v;
        }
        return {
            ...env,
            PATH: `${this.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(this.work, "home"),
            PULUMI_BACKEND_URL: `file://${path.join(this.work, "backend")}`,
            PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            ...this.extraEnv,
            ...extra,
        };
    }

    /**
     * Runs `pulumi <args>` (non-interactive, no colour). Kills it and fails after `timeoutMs`:
     * a test of a hang asserts that an answer comes.
     */
    run(
        args: string[],
        options: { env?: Record<string, string>; timeoutMs?: number } = {},
    ): Promise<CliResult> {
        const timeoutMs = options.timeoutMs ?? 240_000;
        return new Promise((resolve, reject) => {
            const child = spawn(
                path.join(this.binDir, "pulumi"),
                [...args, "--non-interactive", "--color=never"],
                {
                    cwd: this.dir,
                    env: this.env(options.env ?? {}),
                    stdio: ["ignore", "pipe", "pipe"],
                    detached: true,
                },
            );
            running.add(child.pid!);
            let out = "";
            child.stdout.on("data", (d: Buffer) => (out += d.toString()));
            child.stderr.on("data", (d: Buffer) => (out += d.toString()));
            const timer = setTimeout(() => {
                process.kill(-child.pid!, "SIGKILL");
                reject(
                    new Error(
                        `pulumi ${args.join(" ")} gave no answer in ${timeoutMs} ms:\n${normalize(out)}`,
                    ),
                );
            }, timeoutMs);
            child.on("error", reject);
            child.on("close", (code) => {
                running.delete(child.pid!);
                clearTimeout(timer);
                const text = normalize(out);
                const shown =
                    args[0] === "config" && args.includes("--secret")
                        ? [...args.slice(0, -1), "[secret]"]
                        : args;
                this.transcript.push(`$ pulumi ${shown.join(" ")}\n${text}`);
                resolve({ code, text, raw: out.replace(/\r/g, "") });
            });
        });
    }

    /** Runs `pulumi <args>` and fails, quoting its output, unless it exits 0. */
    async ok(args: string[], options?: { env?: Record<string, string> }): Promise<string> {
        const result = await this.run(args, options);
        if (result.code !== 0)
            throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.text}`);
        return result.text;
    }

    /** `pulumi config set [--secret] key value`. */
    async config(key: string, value: string, secret = false): Promise<void> {
        await this.ok(["config", "set", ...(secret ? ["--secret"] : []), key, value]);
    }

    /** `pulumi stack export`: the deployment as the engine recorded it. */
    async exportState(): Promise<{ deployment: { resources?: StateResource[] } }> {
        return JSON.parse(await this.ok(["stack", "export", "--show-secrets=false"]));
    }

    /** The recorded SessionTermination resources, by logical name. */
    async terminations(): Promise<Record<string, StateResource>> {
        const out: Record<string, StateResource> = {};
        for (const r of (await this.exportState()).deployment.resources ?? []) {
            if (r.type.endsWith("box:SessionTermination")) out[r.urn.split("::").pop()!] = r;
        }
        return out;
    }

    /** Every file of the backend, the project's stack config and PULUMI_HOME, as text. */
    filesText(): string {
        return allText(this.work) + "\n" + allText(this.dir);
    }
}

/** A resource as `pulumi stack export` shows it. */
export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    initErrors?: string[];
}

/** A fresh working directory, removed when the process exits. */
export function workDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `box-e2e-${prefix}-`));
    removeOnExit(dir);
    return dir;
}

/**
 * The repository's own program as the repository runs it, from source, in a directory of its own so
 * that stack files land there and not in the checkout: the root Pulumi.yaml with `main: index.ts`, an
 * index.ts that re-exports examples/demo (a file of the project's own, which a test may rewrite), and
 * examples/, tsconfig.json, node_modules and package.json linked. Node follows the links, so the
 * program's `../../provider` is this checkout's source.
 */
export function sourceProject(work: string): string {
    const dir = path.join(work, "project");
    fs.mkdirSync(dir);
    for (const f of ["examples", "tsconfig.json", "node_modules", "package.json"]) {
        fs.symlinkSync(path.join(ROOT, f), path.join(dir, f));
    }
    const project = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.replace(/^main: .*$/m, "main: index.ts"));
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        `export * from ${JSON.stringify(path.join(ROOT, "examples", "demo", "index"))};\n`,
    );
    return dir;
}

/**
 * An example as a user has it: its files copied into a directory of its own, with this package
 * taken from the packed tarball (`npm pack`) instead of `file:../..`, and `npm install`ed.
 */
export async function installedExample(example: string, work: string): Promise<string> {
    const { tarball } = await installPackedPackage();
    const dir = path.join(work, example);
    fs.cpSync(path.join(ROOT, "examples", example), dir, {
        recursive: true,
        filter: (src) => !/node_modules|package-lock\.json/.test(path.relative(ROOT, src)),
    });
    const pkgFile = path.join(dir, "package.json");
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
    pkg.dependencies["pulumi-box-session-termination"] = `file:${tarball}`;
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 4));
    await new Promise<void>((resolve, reject) => {
        const child = spawn(
            NPM,
            ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
            {
                cwd: dir,
                stdio: ["ignore", "ignore", "pipe"],
            },
        );
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", (code) =>
            code === 0 ? resolve() : reject(new Error(`npm install failed:\n${err}`)),
        );
    });
    return dir;
}

/**
 * A JavaScript program of the revocations file in a monorepo workspace app (harness/capture.ts's
 * `workspaceApp`), so the package is reached through a workspace symlink as such users have it.
 */
export async function workspaceProject(work: string): Promise<string> {
    const { workspaceApp } = await import("./capture");
    const app = fs.mkdtempSync(path.join(path.dirname(await workspaceApp()), "app-"));
    fs.writeFileSync(
        path.join(app, "Pulumi.yaml"),
        "name: box-workspace-app\nruntime: nodejs\ndescription: the revocations file, from a workspace package\n",
    );
    fs.writeFileSync(
        path.join(app, "index.js"),
        [
            'const pulumi = require("@pulumi/pulumi");',
            'const { SessionTermination } = require("pulumi-box-session-termination");',
            'const { loadRevocations } = require("pulumi-box-session-termination/revocations");',
            'for (const { name, ...args } of loadRevocations(new pulumi.Config().require("revocationsFile"))) {',
            "    new SessionTermination(name, args);",
            "}",
            "",
        ].join("\n"),
    );
    void work;
    return app;
}
