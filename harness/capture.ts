/**
 * The ways Pulumi captures this provider, each ready to run in Pulumi's real provider host: one per
 * kind of `__provider` a user's state holds.
 *
 * - `source`: the program loads the package from local source (this repository, through ts-node).
 *   Pulumi copies the provider by value, function by function: about 190 KB of compiled TypeScript.
 * - `workspace`: the built package as a monorepo workspace package, linked into `node_modules` with
 *   its real path outside it (a vendored copy is captured the same way). Pulumi copies the built
 *   JavaScript by value; the project has no TypeScript, so Pulumi's bundled TypeScript 3.8 parses it.
 * - `installed`: the program loads the package from `node_modules`. `__provider` is a short
 *   `require("pulumi-box-session-termination/provider")`, resolved inside the host. Here that is the
 *   packed tarball (`npm pack`) installed into an empty project, exactly as a user gets it.
 *
 * A behaviour that holds in one mode can fail in another (a field initializer, a module-level Map),
 * so every host-level test runs in all three. Each mode is prepared once per process and shared.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SessionTermination } from "../provider";
import { DYNAMIC_TYPE as RESOURCE_TYPE } from "../provider/tokens";
import { ProviderHost, type HostOptions } from "./host";
import { captureRegistrations, type Registration } from "./registrations";
import { removeOnExit } from "./temp-dirs";

/** How the provider reaches the host. */
export type CaptureMode = "source" | "workspace" | "installed";

/** The modes every host-level suite runs in, in order. */
export const CAPTURE_MODES: readonly CaptureMode[] = ["source", "workspace", "installed"];

/** One resource of a program: its logical name and its (already resolved) arguments. */
export interface ResourceSpec {
    /** Logical name. */
    name: string;
    /** Arguments as plain JSON values (what Pulumi hands the engine after resolving Inputs). */
    args: Record<string, unknown>;
}

/** A captured provider: its `__provider` text and where a host can load it. */
export interface CapturedProvider {
    /** Which capture mode this is. */
    mode: CaptureMode;
    /** The directory the provider host runs in; `require`s in `__provider` resolve from here. */
    cwd: string;
    /** `__provider` as the engine stores it. */
    providerText: string;
    /** Registrations for `resources`, as the engine receives them from the program. */
    register(resources: ResourceSpec[]): Registration[];
    /**
     * The same registrations as this mode's program would make: registrations captured from source
     * (by value) with each `SessionTermination`'s `__provider` replaced by this mode's.
     */
    adopt(registrations: Registration[]): Registration[];
    /** Starts a provider host that can load this `__provider`. */
    startHost(options?: Omit<HostOptions, "cwd">): Promise<ProviderHost>;
}

const ROOT = path.join(__dirname, "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** The packed package installed into a fresh, empty project. */
export interface InstalledPackage {
    /** The empty project the tarball was installed into. */
    project: string;
    /** The tarball `npm pack` produced. */
    tarball: string;
    /** The files the tarball holds, as `npm pack` listed them. */
    files: string[];
}

let installed: Promise<InstalledPackage> | undefined;
let workspace: Promise<string> | undefined;

/**
 * The packed package as a monorepo workspace package: its files in `packages/box`, reached by the app
 * in `packages/app` through a symlink in the workspace root's `node_modules`, beside the hoisted
 * dependencies (as npm, yarn and pnpm workspaces arrange it). Its real path is outside
 * `node_modules`, so Pulumi would copy it by value. Returns the app's directory; made once per process.
 */
export function workspaceApp(): Promise<string> {
    workspace ??= installPackedPackage().then(({ project }) => {
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), "box-workspace-"));
        removeOnExit(ws);
        const installedDir = path.join(project, "node_modules");
        const box = path.join(ws, "packages", "box");
        fs.cpSync(path.join(installedDir, "pulumi-box-session-termination"), box, { recursive: true });
        fs.mkdirSync(path.join(ws, "node_modules"));
        for (const name of fs.readdirSync(installedDir)) {
            const target = name === "pulumi-box-session-termination" ? box : path.join(installedDir, name);
            fs.symlinkSync(target, path.join(ws, "node_modules", name));
        }
        const app = path.join(ws, "packages", "app");
        fs.mkdirSync(app);
        return app;
    });
    return workspace;
}

/**
 * An app in the same workspace that vendors its own copy of the built package in `vendor/box` and
 * loads it by relative path, while the package's name still resolves to the workspace's copy. Returns
 * the app's directory; made once per process.
 */
export async function vendoringApp(): Promise<string> {
    const ws = path.dirname(path.dirname(await workspaceApp()));
    const app = path.join(ws, "packages", "vendoring");
    if (!fs.existsSync(app)) {
        fs.cpSync(path.join(ws, "packages", "box"), path.join(app, "vendor", "box"), { recursive: true });
    }
    return app;
}

/**
 * Creates `dir` as an empty CommonJS project and `npm install`s `packages` (names, versions or
 * tarball paths) into it, as a user would; returns `dir`.
 */
export function emptyProjectWith(dir: string, packages: string[]): string {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: path.basename(dir), private: true, type: "commonjs" }),
    );
    execFileSync(
        NPM,
        ["install", ...packages, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
        {
            cwd: dir,
            stdio: "ignore",
        },
    );
    return dir;
}

/**
 * Packs this repository (which builds `dist/`) and installs the tarball into an empty project, once
 * per process. The directory is removed when the process exits.
 */
export function installPackedPackage(): Promise<InstalledPackage> {
    installed ??= Promise.resolve().then(() => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "box-installed-"));
        removeOnExit(work);
        const packed = JSON.parse(
            execFileSync(NPM, ["pack", "--json", "--pack-destination", work], {
                cwd: ROOT,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            }),
        ) as Array<{ filename: string; files: Array<{ path: string }> }>;
        const tarball = path.join(work, packed[0].filename);
        const project = emptyProjectWith(path.join(work, "consumer"), [tarball]);
        return { project, tarball, files: packed[0].files.map((f) => f.path) };
    });
    return installed;
}

/** Registers one resource in the installed project, under mocks, and returns its `__provider`. */
const PROBE = `
const pulumi = require("@pulumi/pulumi");
(async () => {
    let text;
    await pulumi.runtime.setMocks({
        newResource: (a) => { text = a.inputs.__provider; return { id: a.name + "-id", state: a.inputs }; },
        call: (a) => a.inputs,
    }, "consumer", "dev", false);
    const { SessionTermination } = require(process.argv[2]);
    new SessionTermination("probe", { userIds: ["1"] });
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    process.stdout.write(JSON.stringify(text));
})();
`;

/**
 * The `__provider` a program in `project` gets when it registers a SessionTermination from the package
 * it loads as `from` (its name by default, or a relative path); `nodeArgs` go to node (e.g.
 * `--preserve-symlinks`).
 */
export function providerTextIn(
    project: string,
    nodeArgs: string[] = [],
    from = "pulumi-box-session-termination",
): string {
    fs.writeFileSync(path.join(project, "probe.js"), PROBE);
    return JSON.parse(
        execFileSync(process.execPath, [...nodeArgs, "probe.js", from], { cwd: project, encoding: "utf8" }),
    ) as string;
}

function registrationsWith(providerText: string, resources: ResourceSpec[]): Registration[] {
    return resources.map((r) => ({
        type: RESOURCE_TYPE,
        name: r.name,
        // Pulumi drops undefined inputs; a JSON round trip does the same.
        inputs: {
            ...(JSON.parse(JSON.stringify(r.args)) as Record<string, unknown>),
            __provider: providerText,
        },
    }));
}

function adoptWith(providerText: string, registrations: Registration[]): Registration[] {
    return registrations.map((r) =>
        r.type === RESOURCE_TYPE ? { ...r, inputs: { ...r.inputs, __provider: providerText } } : r,
    );
}

const captured = new Map<CaptureMode, Promise<CapturedProvider>>();

function capturedAs(mode: CaptureMode, cwd: string, providerText: string): CapturedProvider {
    return {
        mode,
        cwd,
        providerText,
        register: (resources) => registrationsWith(providerText, resources),
        adopt: (registrations) => adoptWith(providerText, registrations),
        startHost: (options = {}) => ProviderHost.start({ ...options, cwd }),
    };
}

async function prepare(mode: CaptureMode): Promise<CapturedProvider> {
    if (mode === "source") {
        const [probe] = await captureRegistrations(() => new SessionTermination("probe", { userIds: ["1"] }));
        return capturedAs(mode, ROOT, String(probe.inputs.__provider));
    }
    const project = mode === "workspace" ? await workspaceApp() : (await installPackedPackage()).project;
    return capturedAs(mode, project, providerTextIn(project));
}

/** The provider captured in `mode`, prepared once per process. */
export function captureProvider(mode: CaptureMode): Promise<CapturedProvider> {
    let entry = captured.get(mode);
    if (!entry) {
        entry = prepare(mode);
        captured.set(mode, entry);
    }
    return entry;
}
