/**
 * The dynamic provider behind `SessionTermination`: Pulumi's dynamic-provider interface over the
 * core's lifecycle (core/lifecycle.ts says what each call sends to Box).
 *
 *   configure → nothing sent; remembers the `box:*` stack config for this provider process
 *   check, diff, create, update → core/lifecycle.ts (a request Box refuses with 400 or 404 is split
 *               until the principals Box does not know are found, so they never hold back anyone else)
 *   read      → nothing sent; Box has no record to read back, so state is returned as it is
 *   delete    → nothing sent; Box cannot restore a terminated session
 *
 * This object is serialized into every resource's `__provider` and revived inside Pulumi's provider
 * host, so it holds no state and captures no credential: settings are read per call (operation.ts),
 * and the per-process cache lives on `globalThis` (process-state.ts). The module's export is the
 * provider object itself, so that an installed copy of this package is captured as a `require` of
 * this file instead of being copied into state.
 */
import * as pulumi from "@pulumi/pulumi";
import { processState } from "../core/process-state";
import { collectSettings } from "../core/settings";
import { errorForHost } from "../core/trailer-limits";
import {
    checkTermination,
    createTermination,
    diffTermination,
    updateTermination,
    type FrontDoor,
} from "../core/lifecycle";
import type { SessionTerminationInputs, SessionTerminationOutputs } from "../core/types";
import { providerCarry } from "./partial-record";

/**
 * Logs through the engine; `__provider` is the host's, not a property; a partial result records the
 * program's `__provider` when it fits.
 */
const DOOR: FrontDoor = {
    log: (line) => void pulumi.log.warn(line),
    hostKeys: ["__provider"],
    carry: (inputs) => providerCarry((inputs as { __provider?: unknown } | undefined)?.__provider),
};

/**
 * Runs a lifecycle method so that whatever it throws reaches the engine: Pulumi's host sends errors in
 * gRPC trailers, and one too large for them is never answered (trailer-limits.ts).
 */
async function answered<T>(run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } catch (err) {
        throw errorForHost(err);
    }
}

const provider: pulumi.dynamic.ResourceProvider<SessionTerminationInputs, SessionTerminationOutputs> = {
    /** Keeps the `box:*` stack config (secrets arrive unwrapped) for later calls in this process. */
    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        return answered(async () => {
            processState().config = collectSettings((s) => req.config.get(s.configKey));
        });
    },

    /** Validates and normalizes; never calls Box and needs no credentials. */
    check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult<SessionTerminationInputs>> {
        return answered(async () => {
            return checkTermination(olds, news, DOOR);
        });
    },

    /** Always answers `changes` explicitly, so a new provider version alone is never an update. */
    diff(_id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
        return answered(async () => {
            const plan = diffTermination(olds, news);
            return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: false };
        });
    },

    /** Terminates the sessions of every listed principal; refuses to record a termination of no one. */
    create(inputs: unknown): Promise<pulumi.dynamic.CreateResult<SessionTerminationOutputs>> {
        return answered(async () => {
            const { id, outs } = await createTermination(inputs, DOOR);
            return { id, outs };
        });
    },

    /** Returns state unchanged: Box keeps no record of a termination to compare with. */
    async read(
        id: string,
        props?: SessionTerminationOutputs,
    ): Promise<pulumi.dynamic.ReadResult<SessionTerminationOutputs>> {
        // Keep in step with READ_DELETE_PROVIDER (partial-record.ts), which stands in for this after a
        // partial failure whose real `__provider` was too large to record.
        return { id, props };
    },

    /**
     * Terminates only the principals added since the last state; sends nothing otherwise. State from
     * any version is accepted: what it lacks (an older `message`, say) is left out, never `undefined`.
     */
    update(
        id: string,
        olds: unknown,
        news: unknown,
    ): Promise<pulumi.dynamic.UpdateResult<SessionTerminationOutputs>> {
        return answered(async () => {
            const outs = await updateTermination(id, olds, news, DOOR);
            return { outs };
        });
    },

    /** Sends nothing: Box cannot restore a terminated session, so removing the record is all there is. */
    async delete(): Promise<void> {
        // Intentionally empty, like READ_DELETE_PROVIDER's; see the comment above.
    },
};

export = provider;
