/** Shared test helpers: the in-process provider, config shaped like Pulumi's, and leak scanning. */
import { expect } from "chai";
import type * as pulumi from "@pulumi/pulumi";
import typedProvider = require("../provider/dynamic/provider");

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
 * Asserts that none of `canaries` occurs anywhere in `haystacks` (objects are JSON-serialized). A
 * `__provider` is plain text in every form Pulumi writes, so a byte search sees into it.
 */
export function expectNoCanary(canaries: string[], ...haystacks: unknown[]): void {
    for (const hay of haystacks) {
        const surface =
            typeof hay === "string"
                ? hay
                : hay instanceof Error
                  ? errorSurface(hay)
                  : String(JSON.stringify(hay));
        const text = surface;
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
