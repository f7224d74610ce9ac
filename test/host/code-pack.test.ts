/**
 * Packing the provider's modules for a by-value `__provider` (provider/code-pack.ts) and reviving them
 * (provider/provider-stubs.ts): the pure parts, in-process. That the packed provider behaves in
 * Pulumi's provider host is proven in test/capture-modes.test.ts and every host-level suite.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    capturedByRequire,
    collectModules,
    dependenciesElsewhere,
    packProvider,
    providerToCapture,
    requirableByName,
} from "../../provider/code-pack";
import { packedProvider, revive, unpackModules } from "../../provider/provider-stubs";
import { captureProvider, installPackedPackage } from "../../harness/capture";
import { MiniEngine } from "../../harness/engine";
import { startBoxEmulator } from "../../provider/testing";
import { provider } from "../helpers";

const ENTRY = require.resolve("../../provider/provider");

describe("packing the provider for a by-value __provider", function () {
    this.timeout(300_000);
    it("follows Pulumi's rule for require versus copy: a path through node_modules is required", () => {
        const cwd = path.join(path.sep, "work", "app");
        expect(capturedByRequire(path.join(cwd, "node_modules", "pkg", "dist", "provider.js"), cwd)).to.equal(
            true,
        );
        expect(
            capturedByRequire(
                path.join(cwd, "node_modules", ".pnpm", "pkg@1", "node_modules", "pkg", "p.js"),
                cwd,
            ),
        ).to.equal(true);
        // A workspace package's real path, and a vendored copy, are outside node_modules.
        expect(
            capturedByRequire(path.join(path.sep, "work", "packages", "box", "dist", "provider.js"), cwd),
        ).to.equal(false);
        expect(
            capturedByRequire(path.join(cwd, "vendor", "node_modules_backup", "provider.js"), cwd),
        ).to.equal(false);
    });

    it("requires by name only when the name, resolved as the host resolves it, loads this very copy", () => {
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), "box-byname-"));
        try {
            const copy = (dir: string, exportsMap: unknown) => {
                fs.mkdirSync(path.join(dir, "dist"), { recursive: true });
                fs.writeFileSync(path.join(dir, "dist", "provider.js"), "module.exports = {};");
                const manifest = { name: "pulumi-box-session-termination", exports: exportsMap };
                fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
                return path.join(dir, "dist", "provider.js");
            };
            const exportsMap = {
                "./provider": { types: "./dist/provider.d.ts", default: "./dist/provider.js" },
            };
            const linked = copy(path.join(ws, "packages", "box"), exportsMap);
            fs.mkdirSync(path.join(ws, "node_modules"));
            fs.symlinkSync(
                path.join(ws, "packages", "box"),
                path.join(ws, "node_modules", "pulumi-box-session-termination"),
            );
            const app = path.join(ws, "packages", "app");
            fs.mkdirSync(app);
            expect(requirableByName(linked, app)).to.equal("pulumi-box-session-termination/provider");
            // Another copy of the same package, vendored: the name would load the linked one instead.
            const vendored = copy(path.join(app, "vendor", "box"), exportsMap);
            expect(requirableByName(vendored, app)).to.equal(undefined);
            // A nearer copy shadows the linked one, as it would in the host.
            copy(path.join(app, "node_modules", "pulumi-box-session-termination"), { "./provider": {} });
            expect(requirableByName(linked, app)).to.equal(undefined);
            // Nothing resolvable at all.
            expect(requirableByName(linked, os.tmpdir())).to.equal(undefined);
        } finally {
            fs.rmSync(ws, { recursive: true, force: true });
        }
    });

    it("packs a copy under node_modules that the project's directory does not resolve to (a nested other version)", () => {
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), "box-nested-"));
        try {
            const copy = (dir: string, code: string) => {
                fs.mkdirSync(path.join(dir, "dist"), { recursive: true });
                fs.writeFileSync(path.join(dir, "dist", "provider.js"), code);
                const exportsMap = { "./provider": { default: "./dist/provider.js" } };
                const manifest = { name: "pulumi-box-session-termination", exports: exportsMap };
                fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
                return path.join(dir, "dist", "provider.js");
            };
            // The project's own copy (another version), and the one a dependency nests and loads.
            copy(path.join(ws, "node_modules", "pulumi-box-session-termination"), "module.exports = {};");
            const nested = copy(
                path.join(
                    ws,
                    "node_modules",
                    "offboarding-lib",
                    "node_modules",
                    "pulumi-box-session-termination",
                ),
                "module.exports = globalThis.__boxTestProvider;",
            );
            const real = { create: async () => ({ id: "x" }) };
            (globalThis as { __boxTestProvider?: unknown }).__boxTestProvider = real;
            require(nested);
            expect(capturedByRequire(nested, ws)).to.equal(true);
            const chosen = providerToCapture(real, nested, () => undefined, ws);
            expect(chosen).to.not.equal(real);
            expect(chosen.create).to.be.a("function");
        } finally {
            delete (globalThis as { __boxTestProvider?: unknown }).__boxTestProvider;
            fs.rmSync(ws, { recursive: true, force: true });
        }
    });

    it("packs every module the provider reaches, and no other (no resource, policy or test kit)", () => {
        const modules = collectModules(ENTRY);
        const ids = Object.keys(modules);
        expect(ids).to.include.members([
            "provider",
            "client",
            "auth",
            "settings",
            "validation",
            "partial-failure",
        ]);
        expect(ids).to.not.include.members(["resource", "index", "policy", "revocations", "code-pack"]);
        expect(ids.some((id) => id.startsWith("testing/"))).to.equal(false);
        for (const [id, m] of Object.entries(modules)) {
            for (const [specifier, dep] of Object.entries(m.deps)) {
                expect(modules, `${id} requires ${specifier}`).to.have.property(dep);
            }
        }
    });

    it("packs the same code to the same text, so state shows no spurious change", () => {
        expect(JSON.stringify(packProvider(ENTRY))).to.equal(JSON.stringify(packProvider(ENTRY)));
    });

    it("packs the built JavaScript (as npm installs it) to the same modules as the TypeScript source", async () => {
        const { project } = await installPackedPackage();
        // In the installed project's own process, with the built packer, as a program there would.
        const script = `
            const dist = require("path").dirname(require.resolve("pulumi-box-session-termination/provider"));
            require("pulumi-box-session-termination/provider");
            const { collectModules } = require(dist + "/code-pack.js");
            process.stdout.write(JSON.stringify(Object.keys(collectModules(dist + "/provider.js"))));`;
        const fromDist = JSON.parse(
            execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" }),
        ) as string[];
        const fromSource = collectModules(ENTRY);
        expect(fromDist.sort()).to.deep.equal(Object.keys(fromSource).sort());
    });

    it("revives a provider whose check answers as the package's own does", async () => {
        const revived = revive(packProvider(ENTRY));
        expect(revived).to.not.equal(provider);
        const news = { userIds: [" 22466421 ", "22466421"], userLogins: ["JDoe@Example.com"] };
        expect(await revived.check!({}, news)).to.deep.equal(await provider.check!({}, news));
        const bad = await revived.check!({}, { userIds: ["12\u200b3"] });
        // The path leads the reason: the engine prints reasons only (provider.ts, forEngine).
        expect(bad.failures?.map((f) => [f.property, f.reason.split(":")[0]])).to.deep.equal([
            ["", "userIds[0]"],
        ]);
    });

    it("packs relative requires in either quote style, and only modules this program loaded", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "box-quotes-"));
        try {
            // As a repository-wide Prettier with singleQuote would leave a vendored build.
            fs.writeFileSync(path.join(dir, "provider.js"), "module.exports = { op: require('./op') };");
            fs.writeFileSync(path.join(dir, "op.js"), "module.exports = 1;");
            const entry = path.join(dir, "provider.js");
            expect(() => collectModules(entry)).to.throw(/not a module this program loaded/);
            require(entry);
            expect(collectModules(entry).provider.deps).to.deep.equal({ "./op": "op" });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("never lets a packed module require a relative path from the host's directory", () => {
        const pack = packProvider(path.join(os.tmpdir(), "provider.js"), {
            provider: { code: 'module.exports = require("./operation");', deps: {} },
        });
        expect(() => revive(pack)).to.throw(/provider requires \.\/operation, which is not packed/);
    });

    it("names a dependency the host cannot find, and where it looked", () => {
        const pack = packProvider(path.join(os.tmpdir(), "provider.js"), {
            provider: { code: 'module.exports = require("box-no-such-package-3f1a");', deps: {} },
        });
        expect(() => revive(pack)).to.throw(
            /needs box-no-such-package-3f1a, which Pulumi's provider host cannot find from .*install it there\. Nothing was sent to Box\./,
        );
    });

    it("runs a packed module as Node does: `this` is its exports", () => {
        const pack = packProvider(path.join(os.tmpdir(), "provider.js"), {
            provider: { code: "exports.self = this === exports;", deps: {} },
        });
        expect(revive(pack)).to.deep.equal({ self: true });
    });

    it("names each package the host would load from elsewhere than the program did", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "box-deps-"));
        try {
            const vendor = path.join(dir, "app", "vendor");
            fs.mkdirSync(path.join(vendor, "node_modules", "only-here"), { recursive: true });
            fs.writeFileSync(path.join(vendor, "node_modules", "only-here", "index.js"), "");
            const modules = { provider: { code: 'require("only-here"); require("crypto");', deps: {} } };
            const entry = path.join(vendor, "provider.js");
            expect(dependenciesElsewhere(modules, entry, path.join(dir, "app"))).to.deep.equal([
                `only-here (the program loads ${path.join(vendor, "node_modules", "only-here", "index.js")}; the host would load nothing)`,
            ]);
            expect(dependenciesElsewhere(modules, entry, vendor)).to.deep.equal([]);

            // Through providerToCapture, as resource.ts calls it: packed, and the program is warned.
            const real = { create: async () => ({ id: "x" }) };
            (globalThis as { __boxTestProvider?: unknown }).__boxTestProvider = real;
            fs.writeFileSync(entry, 'require("only-here"); module.exports = globalThis.__boxTestProvider;');
            require(entry);
            const warnings: string[] = [];
            const chosen = providerToCapture(real, entry, (m) => warnings.push(m), path.join(dir, "app"));
            expect(chosen).to.not.equal(real);
            expect(warnings).to.have.length(1);
            expect(warnings[0]).to.match(/host resolves packages from the project directory.*only-here/);
        } finally {
            delete (globalThis as { __boxTestProvider?: unknown }).__boxTestProvider;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the stub forwards every method Pulumi's host calls", async () => {
        const stub = packedProvider(packProvider(ENTRY));
        for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"] as const) {
            expect(stub[method], method).to.be.a("function");
        }
        const diff = await stub.diff!("id", { userIds: ["1"] }, { userIds: ["1", "2"] });
        expect(diff.changes).to.equal(true);
    });

    it("refuses a damaged or truncated pack before running any of it, and says so", () => {
        const pack = packProvider(ENTRY);
        for (const modules of [
            pack.modules.slice(0, pack.modules.length / 2),
            pack.modules.slice(0, -4),
            "",
        ]) {
            expect(() => unpackModules({ ...pack, modules })).to.throw(
                /__provider is damaged \(its modules do not decompress.*nothing was sent to Box/,
            );
        }
        const flipped =
            pack.modules.slice(0, 100) + (pack.modules[100] === "A" ? "B" : "A") + pack.modules.slice(101);
        expect(() => unpackModules({ ...pack, modules: flipped })).to.throw(/damaged|Decompression|brotli/i);
        expect(() => unpackModules({ ...pack, sha256: "0".repeat(64) })).to.throw(
            /damaged.*nothing was sent to Box/,
        );
    });

    it("hands Pulumi the provider itself when it would be required, or when the modules cannot be packed", () => {
        const inNodeModules = path.join(
            process.cwd(),
            "node_modules",
            "pulumi-box-session-termination",
            "provider.js",
        );
        expect(providerToCapture(provider, inNodeModules)).to.equal(provider);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "box-unpackable-"));
        try {
            // A relative require that leads nowhere: the graph cannot be packed.
            fs.writeFileSync(path.join(dir, "provider.js"), 'module.exports = require("./missing");');
            expect(providerToCapture(provider, path.join(dir, "provider.js"))).to.equal(provider);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        expect(providerToCapture(provider, ENTRY)).to.not.equal(provider);
    });
});

describe("a by-name __provider in a host that resolves another copy, in Pulumi's provider host", function () {
    this.timeout(300_000);

    it("refuses check, create and update, sending nothing, and still reads and deletes state", async () => {
        const captured = await captureProvider("workspace");
        const other = captured.providerText.replace(/sha256: "[0-9a-f]{64}"/, `sha256: "${"1".repeat(64)}"`);
        expect(other).to.not.equal(captured.providerText);
        const box = await startBoxEmulator({ accessTokens: ["tok_other_copy"] });
        const host = await captured.startHost();
        try {
            await host.configure({ "box:baseUrl": box.baseUrl, "box:accessToken": "tok_other_copy" }, []);
            const [reg] = captured
                .register([{ name: "a", args: { userIds: ["1"] } }])
                .map((r) => ({ ...r, inputs: { ...r.inputs, __provider: other } }));
            const urn = new MiniEngine(host).urnOf(reg);
            const refusal =
                /loads .* for pulumi-box-session-termination\/provider, which is not the copy the program loaded .*nothing was sent to Box/;
            await expectRejection(host.check(urn, {}, reg.inputs), refusal);
            await expectRejection(host.create(urn, reg.inputs), refusal);
            await expectRejection(
                host.update("a-id", urn, reg.inputs, { ...reg.inputs, userIds: ["1", "2"] }),
                refusal,
            );
            expect(box.requests).to.deep.equal([]);
            // State written by another version still refreshes and destroys: nothing is sent for either.
            const state = { ...reg.inputs, message: "m", terminatedAt: "t" };
            expect((await host.read("a-id", urn, state)).properties).to.deep.include({ userIds: ["1"] });
            await host.delete("a-id", urn, state);
        } finally {
            await host.stop();
            await box.close();
        }
    });
});

async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
    const err = await promise.then(
        () => undefined,
        (e: unknown) => e as Error,
    );
    expect(err?.message).to.match(pattern);
}

describe("a by-name __provider whose copy differs in a module other than its entry, in the host", function () {
    this.timeout(300_000);

    it("refuses check, sending nothing: the whole module graph identifies the copy", async () => {
        const captured = await captureProvider("workspace");
        // The workspace's package, as the app's node_modules links it: change one module it requires.
        const version = path.join(captured.cwd, "..", "box", "dist", "version.js");
        const original = fs.readFileSync(version, "utf8");
        const box = await startBoxEmulator({ accessTokens: ["tok_graph"] });
        fs.writeFileSync(version, `${original}\n// another build\n`);
        const host = await captured.startHost();
        try {
            await host.configure({ "box:baseUrl": box.baseUrl, "box:accessToken": "tok_graph" }, []);
            const [reg] = captured.register([{ name: "a", args: { userIds: ["1"] } }]);
            const urn = new MiniEngine(host).urnOf(reg);
            await expectRejection(
                host.check(urn, {}, reg.inputs),
                /which is not the copy the program loaded/,
            );
            expect(box.requests).to.deep.equal([]);
        } finally {
            fs.writeFileSync(version, original);
            await host.stop();
            await box.close();
        }
    });
});

describe("a damaged packed __provider, in Pulumi's provider host", function () {
    this.timeout(300_000);

    for (const mode of ["by-value", "vendored"] as const) {
        it(`fails with a message naming the damage and sends nothing (${mode})`, async () => {
            const captured = await captureProvider(mode);
            const damaged = captured.providerText.replace(
                /sha256: "[0-9a-f]{64}"/,
                `sha256: "${"0".repeat(64)}"`,
            );
            expect(damaged).to.not.equal(captured.providerText);
            const box = await startBoxEmulator({ accessTokens: ["tok_damaged"] });
            const host = await captured.startHost();
            try {
                await host.configure({ "box:baseUrl": box.baseUrl, "box:accessToken": "tok_damaged" }, []);
                const registrations = captured
                    .register([{ name: "a", args: { userIds: ["1"] } }])
                    .map((r) => ({ ...r, inputs: { ...r.inputs, __provider: damaged } }));
                // The host revives the provider for its first call (configure, then check): the up fails there.
                const failure = await new MiniEngine(host).up(registrations).then(
                    () => undefined,
                    (err: unknown) => err as Error,
                );
                expect(failure?.message).to.match(/__provider is damaged .*nothing was sent to Box/);
                expect(box.requests).to.deep.equal([]);
            } finally {
                await host.stop();
                await box.close();
            }
        });
    }
});
