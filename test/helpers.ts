/** Shared test helpers: the in-process provider, config shaped like Pulumi's, and leak scanning. */
import { expect } from "chai";
import type * as pulumi from "@pulumi/pulumi";
import typedProvider = require("../provider/provider");
import { unpackModules, type PackedModules } from "../provider/provider-stubs";

/**
 * The provider object the package exports, typed as the engine calls it: with whatever a program
 * gave, which is what these tests send (hostile shapes included) and what `check` must refuse.
 */
export const provider: pulumi.dynamic.ResourceProvider = typedProvider;

/** Calls `configure` the way the provider host does, with config keys fully qualified. */
export async function configure(config: Record<string, string>): Promise<void> {
    await provider.configure!({
        config: { get: (key: string) => config[key], require: (key: string) => config[key] },
    });
}

/** The principals lists plus `__provider`, as Pulumi would hand them to create. */
export function inputs(fields: Record<string, unknown>): Record<string, unknown> {
    return { __provider: "serialized-provider-text", ...fields };
}

/**
 * The packed provider modules in `text` (a `__provider`, or state holding some, JSON-escaped or not),
 * unpacked: the compressed code a byte-level search cannot see into.
 */
export function packedModulesIn(text: string): PackedModules[] {
    const packs = text.matchAll(/sha256: \\?"([0-9a-f]{64})\\?", modules: \\?"([A-Za-z0-9+/=]+)\\?"/g);
    return [...packs].map(([, sha256, modules]) => unpackModules({ about: "", entry: "", sha256, modules }));
}

/**
 * Asserts that none of `canaries` occurs anywhere in `haystacks` (objects are JSON-serialized), nor in
 * the code of any packed provider they hold.
 */
export function expectNoCanary(canaries: string[], ...haystacks: unknown[]): void {
    for (const hay of haystacks) {
        const surface =
            typeof hay === "string"
                ? hay
                : hay instanceof Error
                  ? errorSurface(hay)
                  : String(JSON.stringify(hay));
        const text = [surface, ...packedModulesIn(surface).map((m) => JSON.stringify(m))].join("\n");
        for (const canary of canaries) {
            expect(text, `a secret leaked into: ${text.slice(0, 300)}`).to.not.include(canary);
        }
    }
}

/** Everything an error exposes: message, stack, JSON form and own properties. */
export function errorSurface(err: unknown): string {
    const e = err as Error & Record<string, unknown>;
    const own: Record<string, unknown> = {};
    for (const key of Object.getOwnPropertyNames(e)) own[key] = e[key];
    return [String(e?.message), String(e?.stack), JSON.stringify(e), JSON.stringify(own), String(e)].join(
        "\n",
    );
}

/** Awaits `promise` and returns its rejection; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
    try {
        await promise;
    } catch (err) {
        return err as Error;
    }
    expect.fail("expected a rejection");
}

/** A scripted answer carrying Box's `ClientError` body, as Box sends it for a failed request. */
export function boxErrorBody(
    status: number,
    code: string,
    message: string,
    requestId: string,
    extra: Record<string, unknown> = {},
) {
    return {
        status,
        body: JSON.stringify({ type: "error", status, code, message, request_id: requestId, ...extra }),
    };
}
