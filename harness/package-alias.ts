/**
 * Lets code in this checkout `require("pulumi-box-session-termination")` the way a user's program
 * does, resolving to the TypeScript sources here, so the examples run in tests exactly as written.
 */
import Module = require("module");
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const TARGETS: Record<string, string> = {
    "pulumi-box-session-termination": path.join(ROOT, "provider", "index.ts"),
    "pulumi-box-session-termination/testing": path.join(ROOT, "provider", "testing", "index.ts"),
    "pulumi-box-session-termination/revocations": path.join(ROOT, "provider", "revocations", "index.ts"),
    "pulumi-box-session-termination/policy": path.join(ROOT, "provider", "policy", "index.ts"),
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve & { aliased?: boolean } };

/** Installs the alias once per process. */
export function aliasPackageToSources(): void {
    const original = moduleWithResolve._resolveFilename;
    if (original.aliased) return;
    const aliased: Resolve & { aliased?: boolean } = function (
        this: unknown,
        request: string,
        ...rest: unknown[]
    ) {
        return TARGETS[request] ?? original.call(this, request, ...rest);
    };
    aliased.aliased = true;
    moduleWithResolve._resolveFilename = aliased;
}
