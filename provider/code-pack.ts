/**
 * Chooses what a program hands Pulumi as the provider, and packs this package's provider modules when
 * Pulumi would otherwise copy them by value. Runs in the program only, never in the provider host.
 *
 * - Installed under `node_modules`: the provider object itself, which Pulumi's serializer captures as
 *   `require("pulumi-box-session-termination/provider")` (a few hundred bytes).
 * - Outside `node_modules`, but the program's directory resolves the package name to this very copy (a
 *   monorepo workspace package, `npm link`): a stub that requires it by that name, the same way.
 * - Anywhere else (source, a vendored copy): the serializer would copy the code function by function
 *   (about 120 KB per resource). Instead, the provider modules are read as they are on disk, compiled
 *   if they are TypeScript, and packed into a stub (provider-stubs.ts).
 * - If they cannot be packed (TypeScript source and no `typescript` to compile it): the provider
 *   object, copied by value as Pulumi would anyway. Larger, and just as correct.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import type * as pulumi from "@pulumi/pulumi";
import { packedProvider, requiredProvider, type PackedModule, type ProviderCodePack } from "./provider-stubs";
import { VERSION } from "./version";

type Provider = pulumi.dynamic.ResourceProvider;

/**
 * Whether Pulumi's serializer captures the module at `file` as a `require` rather than by value: it
 * does when the path, relative to the working directory, passes through `node_modules` (pulumi/pulumi
 * `sdk/nodejs/runtime/closure/createClosure.ts`, `captureModuleAsync`).
 */
export function capturedByRequire(file: string, cwd: string = process.cwd()): boolean {
    return path.relative(cwd, file).split(/[\\/]/).includes("node_modules");
}

/** This package's name, and the subpath (in its `exports`) whose module is the provider object. */
const PACKAGE = "pulumi-box-session-termination";
const PROVIDER_SUBPATH = "./provider";

/**
 * `pulumi-box-session-termination/provider` if a `require` of it from `cwd` (as Pulumi's provider
 * host makes one: `node_modules` directories from `cwd` upwards, no self-reference) loads `entryFile`
 * itself; else undefined, and the name must not be used: it would run some other copy.
 */
export function requirableByName(entryFile: string, cwd: string = process.cwd()): string | undefined {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
        const root = path.join(dir, "node_modules", PACKAGE);
        if (path.basename(dir) !== "node_modules" && fs.existsSync(path.join(root, "package.json"))) {
            // The first copy found is the one the host loads, whichever it is.
            const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
                exports?: Record<string, { default?: string } | undefined>;
            };
            const target = manifest.exports?.[PROVIDER_SUBPATH]?.default;
            if (target === undefined) return undefined;
            const loads = path.join(root, target);
            const same = fs.existsSync(loads) && fs.realpathSync(loads) === fs.realpathSync(entryFile);
            return same ? `${PACKAGE}/provider` : undefined;
        }
        if (path.dirname(dir) === dir) return undefined;
    }
}

/** Matches the relative `require("./x")` calls that TypeScript's CommonJS output contains. */
const RELATIVE_REQUIRE = /\brequire\("(\.{1,2}\/[^"]+)"\)/g;

/** Compiled CommonJS for `file`: as it is if JavaScript, compiled (comments removed) if TypeScript. */
function compiled(file: string): string {
    const source = fs.readFileSync(file, "utf8");
    if (!file.endsWith(".ts")) return source;
    // Resolved from the package's own directory: a program that runs this source has it there.
    const ts = require(
        require.resolve("typescript", { paths: [path.dirname(file)] }),
    ) as typeof import("typescript");
    return ts.transpileModule(source, {
        fileName: file,
        compilerOptions: {
            module: ts.ModuleKind.CommonJS,
            target: ts.ScriptTarget.ES2020,
            esModuleInterop: true,
            removeComments: true,
        },
    }).outputText;
}

/** The file a relative specifier in `from` names, trying `from`'s own extension first. */
function resolveRelative(from: string, specifier: string): string {
    const base = path.resolve(path.dirname(from), specifier);
    const ext = path.extname(from);
    for (const candidate of [base + ext, base, path.join(base, `index${ext}`)]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/** The module graph reachable from `entryFile` through relative `require`s, keyed by module id. */
export function collectModules(entryFile: string): Record<string, PackedModule> {
    const root = path.dirname(entryFile);
    const idOf = (file: string) =>
        path
            .relative(root, file)
            .replace(/\\/g, "/")
            .replace(/\.(ts|js)$/, "");
    const modules: Record<string, PackedModule> = {};
    const pending = [entryFile];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
        const id = idOf(file);
        if (modules[id]) continue;
        const code = compiled(file);
        const deps: Record<string, string> = {};
        for (const [, specifier] of code.matchAll(RELATIVE_REQUIRE)) {
            const target = resolveRelative(file, specifier);
            deps[specifier] = idOf(target);
            pending.push(target);
        }
        modules[id] = { code, deps };
    }
    return modules;
}

/** Packs the provider modules reachable from `entryFile` (whose export is the provider object). */
export function packProvider(entryFile: string): ProviderCodePack {
    const modules = collectModules(entryFile);
    // Sorted, so that the same code always packs to the same text and state shows no spurious change.
    const json = JSON.stringify(
        Object.fromEntries(Object.entries(modules).sort(([a], [b]) => (a < b ? -1 : 1))),
    );
    return {
        about:
            `pulumi-box-session-termination ${VERSION} provider code, packed instead of copied by value: ` +
            `modules is Brotli-compressed base64 of JSON {id: {code, deps}}; entry is run first.`,
        entry: path.basename(entryFile).replace(/\.(ts|js)$/, ""),
        sha256: crypto.createHash("sha256").update(json, "utf8").digest("hex"),
        modules: zlib
            .brotliCompressSync(json, {
                params: {
                    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
                    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(json),
                },
            })
            .toString("base64"),
    };
}

/**
 * What to hand Pulumi as the provider: `real` when Pulumi captures its module (`entryFile`) by
 * require, else a stub that requires it by name, else a packed stub, else (when packing fails) `real`
 * to be copied by value.
 */
export function providerToCapture(real: Provider, entryFile: string, cwd: string = process.cwd()): Provider {
    if (capturedByRequire(entryFile, cwd)) return real;
    try {
        const specifier = requirableByName(entryFile, cwd);
        if (specifier !== undefined) return requiredProvider(specifier);
        return packedProvider(packProvider(entryFile));
    } catch {
        // Pulumi's own by-value copy works too (the by-value rules in eslint.config.mjs keep it so);
        // it is only larger.
        return real;
    }
}
