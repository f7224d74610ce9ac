/**
 * What `__provider` carries when Pulumi would otherwise copy this package by value (a program that
 * loads it from source, a monorepo workspace package, a vendored copy): a stub that loads the real
 * provider inside the provider host on first use and forwards every call to it.
 *
 * Left alone, Pulumi's closure serializer copies every function the provider reaches, each wrapped in
 * its own scaffolding: about 150 KB in every resource's state. The stubs instead either
 *
 * - `require` the package by name, when the program's directory resolves that name to this very copy
 *   (a workspace package linked into `node_modules`), as an installed package is captured; or
 * - hold this package's modules as they are on disk, compressed (code-pack.ts packs them), and revive
 *   them as ordinary CommonJS modules: several times smaller than the copy, and run as written, with
 *   nothing lost in a function-by-function copy.
 *
 * code-pack.ts chooses. Only this file is copied by the serializer, so it follows the by-value rules
 * (see eslint.config.mjs).
 */
import type * as pulumi from "@pulumi/pulumi";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import * as zlib from "zlib";

/** This package's provider modules, packed; what the stub carries into the provider host. */
export interface ProviderCodePack {
    /** Says what this is and how to read it, for whoever inspects state. */
    readonly about: string;
    /** Id of the module whose export is the provider object. */
    readonly entry: string;
    /** SHA-256 (hex) of the unpacked {@link PackedModules} JSON, checked before any module runs. */
    readonly sha256: string;
    /** {@link PackedModules} as JSON, Brotli-compressed, base64. */
    readonly modules: string;
}

/** One CommonJS module: its compiled code and where its relative `require`s lead. */
export interface PackedModule {
    /** Compiled JavaScript (CommonJS), comments removed. */
    readonly code: string;
    /** Each relative specifier the code `require`s (e.g. `"./settings"`) → that module's id. */
    readonly deps: Readonly<Record<string, string>>;
}

/** Module id (a path relative to the entry's directory, without extension) → module. */
export type PackedModules = Readonly<Record<string, PackedModule>>;

/** The relative specifiers (`./x`, `../y`) that compiled CommonJS `code` requires, in order. */
function relativeRequires(code: string): string[] {
    return [...code.matchAll(/\brequire\(\s*(["'])(\.{1,2}\/[^"']+)\1\s*\)/g)].map((m) => m[2]);
}

/**
 * The file a relative specifier in `from` names, trying `from`'s own extension first.
 *
 * @throws Error when there is none.
 */
function resolveRelative(from: string, specifier: string): string {
    const base = path.resolve(path.dirname(from), specifier);
    const ext = path.extname(from);
    for (const candidate of [base + ext, base, path.join(base, `index${ext}`)]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/** One module of a graph: its file, its code as read, and the module id each relative require names. */
export interface GraphModule {
    /** Absolute path of the file. */
    readonly file: string;
    /** The code `read` returned for it. */
    readonly code: string;
    /** Each relative specifier the code requires → that module's id. */
    readonly deps: Readonly<Record<string, string>>;
}

/**
 * The modules reachable from `entryFile` through relative `require`s, keyed by id (the path from the
 * entry's directory, `/`-separated, without extension). `read` gives each file's CommonJS code.
 *
 * @throws Error when a required file cannot be found, or `read` throws.
 */
export function moduleGraph(entryFile: string, read: (file: string) => string): Record<string, GraphModule> {
    const root = path.dirname(entryFile);
    const idOf = (file: string) =>
        path
            .relative(root, file)
            .split(path.sep)
            .join("/")
            .replace(/\.(ts|js)$/, "");
    const modules: Record<string, GraphModule> = {};
    const pending = [entryFile];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
        const id = idOf(file);
        if (modules[id]) continue;
        const code = read(file);
        const deps: Record<string, string> = {};
        for (const specifier of relativeRequires(code)) {
            const target = resolveRelative(file, specifier);
            deps[specifier] = idOf(target);
            pending.push(target);
        }
        modules[id] = { file, code, deps };
    }
    return modules;
}

/**
 * SHA-256 (hex) of the files reachable from `entryFile` through relative `require`s, each with its
 * id: what identifies one build of this package, wherever it is installed. The same in the program
 * and in the provider host.
 */
export function hashModuleGraph(entryFile: string): string {
    const modules = moduleGraph(entryFile, (file) => fs.readFileSync(file, "utf8"));
    const hash = crypto.createHash("sha256");
    for (const id of Object.keys(modules).sort()) hash.update(`${id}\0${modules[id].code}\0`);
    return hash.digest("hex");
}

/** The dynamic-provider methods Pulumi's host calls; the stub forwards each one. */
type Provider = pulumi.dynamic.ResourceProvider;

/**
 * Decompresses and checks `pack`, without running anything.
 *
 * @throws Error when the modules do not decompress or do not match their SHA-256 (a truncated or
 * edited `__provider`).
 */
export function unpackModules(pack: ProviderCodePack): PackedModules {
    const damaged = (detail: string) =>
        new Error(
            `pulumi-box-session-termination: the provider code in this resource's __provider is damaged ` +
                `(${detail}); nothing was sent to Box. To write a fresh one, change an input (such as ` +
                `reason) and run pulumi up; for a resource you no longer need, pulumi state delete it.`,
        );
    let json: string;
    try {
        // Bounded, so that an edited __provider cannot make the host inflate without limit.
        const bytes = zlib.brotliDecompressSync(Buffer.from(String(pack.modules), "base64"), {
            maxOutputLength: 16 * 1024 * 1024,
        });
        json = bytes.toString("utf8");
    } catch (err) {
        throw damaged(`its modules do not decompress: ${(err as Error).message}`);
    }
    const digest = crypto.createHash("sha256").update(json, "utf8").digest("hex");
    if (digest !== pack.sha256) throw damaged(`SHA-256 ${digest}, expected ${pack.sha256}`);
    return JSON.parse(json) as PackedModules;
}

/**
 * Runs the packed modules as CommonJS, from `pack.entry`, and returns the entry's export (the
 * provider). Relative `require`s resolve inside the pack; anything else (`axios`, `@pulumi/pulumi`,
 * Node built-ins) through the host's own `require`, from the project directory, as Pulumi's own copy
 * would (code-pack.ts warns the program when that finds another copy than the program loaded).
 */
export function revive(pack: ProviderCodePack): Provider {
    const modules = unpackModules(pack);
    const loaded: Record<string, { exports: unknown }> = {};
    const load = (id: string): unknown => {
        const done = loaded[id];
        if (done) return done.exports;
        const packed = modules[id];
        if (!packed)
            throw new Error(`pulumi-box-session-termination: module ${id} is missing from __provider.`);
        const module = { exports: {} as unknown };
        // Registered before it runs, so that a require cycle sees the partial exports, as Node's would.
        loaded[id] = module;
        const localRequire = (specifier: string): unknown => {
            const dep = packed.deps[specifier];
            if (dep !== undefined) return load(dep);
            // The host's require would resolve a relative path from its working directory: the
            // project's own files, never this package's.
            if (specifier.startsWith("."))
                throw new Error(
                    `pulumi-box-session-termination: ${id} requires ${specifier}, which is not packed.`,
                );
            try {
                return require(specifier);
            } catch (err) {
                const e = err as NodeJS.ErrnoException;
                // Only the package itself missing, not something missing inside it.
                if (e.code !== "MODULE_NOT_FOUND" || !String(e.message).includes(`'${specifier}'`)) throw err;
                throw new Error(
                    `pulumi-box-session-termination needs ${specifier}, which Pulumi's provider host cannot ` +
                        `find from ${process.cwd()} (it resolves packages from the project directory); ` +
                        `install it there. Nothing was sent to Box.`,
                    { cause: err },
                );
            }
        };
        // Named after the module so a stack trace points at the file it came from.
        const filename = `pulumi-box-session-termination/${id}.js`;
        const run = vm.runInThisContext(
            `(function (exports, require, module, __filename, __dirname) {${packed.code}\n})`,
            { filename },
        ) as (e: unknown, r: (s: string) => unknown, m: { exports: unknown }, f: string, d: string) => void;
        // As Node runs a module: `this` is its exports.
        run.call(
            module.exports,
            module.exports,
            localRequire,
            module,
            filename,
            "pulumi-box-session-termination",
        );
        return module.exports;
    };
    return load(pack.entry) as Provider;
}

/**
 * A provider that forwards every call to the modules in `pack`, revived once per provider process.
 * The revived provider is kept on `globalThis` by the pack's digest, not in a captured variable, so
 * that the stub stays a constant that the serializer copies as it is.
 */
export function packedProvider(pack: ProviderCodePack): Provider {
    return forwardingProvider(() => {
        const holder = globalThis as unknown as {
            __pulumiBoxSessionTerminationPacks?: Record<string, Provider>;
        };
        const revived = (holder.__pulumiBoxSessionTerminationPacks ??= {});
        return (revived[pack.sha256] ??= revive(pack)) as Required<Provider>;
    });
}

/** The copy of this package a by-name stub stands for. */
export interface RequiredCopy {
    /** What the host requires, e.g. `pulumi-box-session-termination/provider`. */
    readonly specifier: string;
    /** {@link hashModuleGraph} of the copy the program loaded. */
    readonly sha256: string;
}

/**
 * A provider that forwards every call to `require(copy.specifier)`, resolved in the provider host
 * from the project directory, as Pulumi captures an installed package (Node caches the module).
 *
 * The program chose this stub because its own resolution found the very copy it loaded; the host
 * may still resolve elsewhere (a program started from another directory, a path-mapping loader), so
 * a call made for the program's current inputs (check, diff, create, update) first checks that the
 * host's file is the program's. Calls for state alone (read, delete) use whatever copy is there, as
 * they would for an installed package after an upgrade: they send nothing.
 */
export function requiredProvider(copy: RequiredCopy): Provider {
    return forwardingProvider((forProgram) => {
        if (forProgram) {
            const file = require.resolve(copy.specifier);
            // Once per file and process: Node loads a module once, so its files are read and hashed
            // once too, not on every check of every resource.
            const holder = globalThis as unknown as {
                __pulumiBoxSessionTerminationGraphs?: Record<string, string>;
            };
            const hashed = (holder.__pulumiBoxSessionTerminationGraphs ??= {});
            if ((hashed[file] ??= hashModuleGraph(file)) !== copy.sha256) {
                throw new Error(
                    `pulumi-box-session-termination: Pulumi's provider host loads ${file} for ` +
                        `${copy.specifier}, which is not the copy the program loaded (another version or ` +
                        `build); nothing was sent to Box. Run the program from the project directory whose ` +
                        `node_modules holds the copy it uses, or install this package there.`,
                );
            }
        }
        return require(copy.specifier) as Required<Provider>;
    });
}

/**
 * Forwards each method Pulumi's host calls to the provider `real` returns; `forProgram` says whether
 * the call acts on the program's current inputs (and its `__provider`) rather than on state alone.
 */
function forwardingProvider(real: (forProgram: boolean) => Required<Provider>): Provider {
    return {
        configure: (req) => real(false).configure(req),
        check: (olds, news) => real(true).check(olds, news),
        diff: (id, olds, news) => real(true).diff(id, olds, news),
        create: (inputs) => real(true).create(inputs),
        read: (id, props) => real(false).read(id, props),
        update: (id, olds, news) => real(true).update(id, olds, news),
        delete: (id, props) => real(false).delete(id, props),
    };
}
