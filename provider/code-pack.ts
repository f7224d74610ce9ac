/**
 * Chooses what a program hands Pulumi as the provider, and packs this package's provider modules when
 * Pulumi would otherwise copy them by value. Runs in the program only, never in the provider host.
 *
 * - Installed under `node_modules`, and the project directory resolves the package name to this copy:
 *   the provider object itself, which Pulumi's serializer captures as
 *   `require("pulumi-box-session-termination/provider")` (a few hundred bytes).
 * - Elsewhere, but the project directory resolves the name to this copy (a monorepo workspace package,
 *   `npm link`): a stub that requires it by that name and, in the host, checks that it got this copy.
 * - Otherwise (source, a vendored copy, a nested copy of another version): the provider modules are
 *   read as they are on disk, compiled if they are TypeScript, and packed into a stub
 *   (provider-stubs.ts), about a quarter of the size of Pulumi's function-by-function copy.
 * - When they cannot be read (a bundled program, TypeScript source with no `typescript` installed, any
 *   error): the provider object, copied by value as Pulumi would anyway. Larger, and just as correct.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import Module = require("module");
import { isBuiltin } from "module";
import type * as pulumi from "@pulumi/pulumi";
import {
    hashModuleGraph,
    packedProvider,
    moduleGraph,
    requiredProvider,
    type PackedModule,
    type ProviderCodePack,
} from "./provider-stubs";
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

/** What the provider host's `require` loads for `specifier`, or undefined if it cannot resolve it. */
export function hostResolves(specifier: string, cwd: string = process.cwd()): string | undefined {
    // Pulumi's host revives `__provider` with require-from-string: a module with no file name whose
    // lookup paths are the `node_modules` directories from the working directory upwards, so Node
    // resolves from there, with no self-reference. The same two Node internals do the same here.
    const internals = Module as unknown as {
        _nodeModulePaths(from: string): string[];
        _resolveFilename(request: string, parent: Module): string;
    };
    const parent = new Module("", undefined);
    parent.filename = "";
    parent.paths = internals._nodeModulePaths(path.resolve(cwd));
    try {
        return internals._resolveFilename(specifier, parent);
    } catch {
        return undefined; // not installed where the host looks (or its package.json is unreadable)
    }
}

/** The same file, through any symlinks (a workspace links its packages into `node_modules`). */
function sameFile(a: string | undefined, b: string): boolean {
    return a !== undefined && fs.existsSync(a) && fs.realpathSync(a) === fs.realpathSync(b);
}

/**
 * `pulumi-box-session-termination/provider` if the provider host, requiring that name from `cwd`,
 * loads `entryFile` itself; else undefined, and the name must not be used: it would run another copy.
 */
export function requirableByName(entryFile: string, cwd: string = process.cwd()): string | undefined {
    const specifier = "pulumi-box-session-termination/provider";
    return sameFile(hostResolves(specifier, cwd), entryFile) ? specifier : undefined;
}

/** Matches `require("x")` of a package or built-in (either quote). */
const BARE_REQUIRE = /\brequire\(\s*(["'])([^."'][^"']*)\1\s*\)/g;

/** Compiled CommonJS for `file`: as it is if JavaScript, compiled (comments removed) if TypeScript. */
function compiled(file: string): string {
    const source = fs.readFileSync(file, "utf8");
    if (!file.endsWith(".ts")) return source;
    // The package's own directory has it when this repository runs from source; the project's, when
    // a vendored copy of the source runs under ts-node there.
    const ts = require(
        require.resolve("typescript", { paths: [path.dirname(file), process.cwd()] }),
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

/**
 * The module graph reachable from `entryFile` through relative `require`s, keyed by module id. Every
 * module must be one the program has loaded (in `require.cache`): what is packed is what runs here.
 *
 * @throws Error when a module cannot be found, or was not loaded by this program.
 */
export function collectModules(entryFile: string): Record<string, PackedModule> {
    const graph = moduleGraph(entryFile, (file) => {
        if (!require.cache[file]) throw new Error(`${file} is not a module this program loaded`);
        return compiled(file);
    });
    return Object.fromEntries(Object.entries(graph).map(([id, { code, deps }]) => [id, { code, deps }]));
}

/**
 * The packages the modules `require` (not built-ins) that the provider host, resolving from `cwd`,
 * would load from somewhere else than the program did, or not at all: each with both places.
 */
export function dependenciesElsewhere(
    modules: Record<string, PackedModule>,
    entryFile: string,
    cwd: string = process.cwd(),
): string[] {
    const specifiers = new Set<string>();
    for (const { code } of Object.values(modules)) {
        for (const [, , specifier] of code.matchAll(BARE_REQUIRE)) {
            if (!isBuiltin(specifier)) specifiers.add(specifier);
        }
    }
    const found: string[] = [];
    for (const specifier of specifiers) {
        let here: string;
        try {
            here = require.resolve(specifier, { paths: [path.dirname(entryFile)] });
        } catch {
            continue; // the program could not load it either; nothing to compare
        }
        const there = hostResolves(specifier, cwd);
        if (!sameFile(there, here))
            found.push(`${specifier} (the program loads ${here}; the host would load ${there ?? "nothing"})`);
    }
    return [...found].sort();
}

/** Packs the provider modules reachable from `entryFile` (whose export is the provider object). */
export function packProvider(
    entryFile: string,
    modules: Record<string, PackedModule> = collectModules(entryFile),
): ProviderCodePack {
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
 * require, else a stub that requires it by name, else a packed stub, else `real` to be copied by
 * value. `warn` hears of anything the host would load differently from the program.
 */
export function providerToCapture(
    real: Provider,
    entryFile: unknown,
    warn: (message: string) => void = () => undefined,
    cwd: string = process.cwd(),
): Provider {
    try {
        // Only a module file this program loaded, whose export is this very provider, is worth
        // reading: in a bundle, require.resolve may name some other file, or not a file at all.
        if (typeof entryFile !== "string" || require.cache[entryFile]?.exports !== real) return real;
        const specifier = requirableByName(entryFile, cwd);
        // Under node_modules Pulumi writes a require of the package name itself: right only when the
        // host resolves that name to this copy (not for a nested copy of another version, or a
        // dependency's dependency under pnpm, which the project cannot resolve at all).
        if (capturedByRequire(entryFile, cwd) && specifier !== undefined) return real;
        if (specifier !== undefined) {
            return requiredProvider({ specifier, sha256: hashModuleGraph(entryFile) });
        }
        const modules = collectModules(entryFile);
        const pack = packProvider(entryFile, modules);
        const elsewhere = dependenciesElsewhere(modules, entryFile, cwd);
        if (elsewhere.length) {
            warn(
                `pulumi-box-session-termination: Pulumi's provider host resolves packages from the project ` +
                    `directory, so it would not load what this program loaded: ${elsewhere.join("; ")}. ` +
                    `Make the project's copies the ones this package uses (or remove its own node_modules), ` +
                    `or install this package from npm.`,
            );
        }
        return packedProvider(pack);
    } catch {
        // Pulumi's own by-value copy works too (the by-value rules in eslint.config.mjs keep it so);
        // it is only larger.
        return real;
    }
}
