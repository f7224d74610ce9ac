/**
 * The dynamic provider behind `SessionTermination`: lifecycle only. Each method maps to Box as follows.
 *
 *   configure → nothing sent; remembers the `box:*` stack config for this provider process
 *   check     → nothing sent; validates and normalizes inputs and applies the review guardrails
 *               (runs in preview, needs no credentials)
 *   diff      → nothing sent; new principals are an update, changed `triggers` a replacement
 *   create    → POST /2.0/users/terminate_sessions  {"user_ids": [...], "user_logins": [...]}
 *               POST /2.0/groups/terminate_sessions {"group_ids": [...]}   (each only when needed)
 *   update    → the same two calls, with only the principals added since the last state; none if none
 *               (create and update alike: a request Box refuses with 400 or 404 is split until the
 *               principals Box does not know are found, so they never hold back anyone else)
 *   read      → nothing sent; Box has no record to read back, so state is returned as it is
 *   delete    → nothing sent; Box cannot restore a terminated session
 *
 * This object is serialized into every resource's `__provider` and revived inside Pulumi's provider
 * host, so it holds no state and captures no credential: settings are read per call (operation.ts),
 * and the per-process cache lives on `globalThis` (process-state.ts). The module's export is the
 * provider object itself, so that an installed copy of this package is captured as a `require` of
 * this file instead of being copied into state.
 */
import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { openBoxOperation } from "./operation";
import { processState } from "./process-state";
import { resolveProxy } from "./proxy";
import { applyGuardrails } from "./guardrails";
import { refuseProtectedMembers } from "./group-members";
import { MAX_CHECK_FAILURES } from "./limits";
import { SETTINGS, type RawSettings } from "./settings";
import { resolveGuardrails } from "./settings-guardrails";
import { resolveOrigin } from "./settings-origin";
import { BoxSettingsError } from "./errors";
import { errorForHost } from "./host-limits";
import { recordBoundFailure } from "./record-bound";
import { TerminationIncompleteError } from "./partial-failure";
import { TerminationRefusedError } from "./refusal";
import { summarizeMessages, terminatePrincipals, type TerminationOutcome } from "./terminate";
import { asProps, outputsOf, principalsToSend, recordOf, type TerminationRecord } from "./state";
import type { Principals, SessionTerminationInputs, SessionTerminationOutputs } from "./types";
import { planDiff } from "./diff";
import { addedPrincipals, isEmpty, subtractPrincipals } from "./principals";
import { boundFailures, checkInputs, type CheckFailure, principalsOf, UNKNOWN } from "./validation";

type Props = Record<string, unknown>;

/**
 * Sends the termination for `principals`; refuses placeholders, which must never reach Box, and groups
 * holding a protected user (group-members.ts).
 */
async function send(principals: Principals): Promise<{ outcome: TerminationOutcome; startedAt: string }> {
    for (const list of [principals.userIds, principals.userLogins, principals.groupIds]) {
        if (list.includes(UNKNOWN))
            throw new Error("A principal is still unknown at deployment time; nothing was sent to Box.");
    }
    const { client, settings } = openBoxOperation();
    // Before anything is sent: a group may hold a protected user, which check cannot see.
    await refuseProtectedMembers(
        client,
        principals.groupIds,
        resolveGuardrails(processState().config, process.env),
    );
    const startedAt = new Date().toISOString();
    const outcome = await terminatePrincipals(client, principals, settings);
    return { outcome, startedAt };
}

/** Whether Box left anyone out: a failure that stopped the run, or principals it refused alone. */
function failed(outcome: TerminationOutcome): boolean {
    return outcome.error !== undefined || outcome.refused.length > 0;
}

/**
 * Decides what a failed termination means for state. Nothing accepted: an error without `id`, so
 * Pulumi records no change (the run's own error as it was when no one was refused alone, so its type
 * and text reach the user unchanged). Some accepted: a {@link TerminationIncompleteError} carrying `id`
 * and the true properties, when they can travel out of the provider host (partial-failure.ts).
 */
function failure(outcome: TerminationOutcome, id: string, properties: Props, providerText: unknown): Error {
    if (isEmpty(outcome.accepted)) {
        if (outcome.refused.length === 0) return outcome.error ?? new Error("termination failed");
        return new TerminationRefusedError({
            notDone: outcome.notDone,
            refused: outcome.refused,
            refusedEverything: outcome.refusedEverything,
            tried: outcome.tried,
            cause: outcome.error,
            firstRefusal: outcome.firstRefusal,
        });
    }
    return new TerminationIncompleteError({
        accepted: outcome.accepted,
        notDone: outcome.notDone,
        cause: outcome.error,
        refused: outcome.refused,
        id,
        properties,
        providerText,
    });
}

/** What state records about the requests of this create or update. */
function recordOfOutcome(outcome: TerminationOutcome, startedAt: string): TerminationRecord {
    return {
        message: summarizeMessages(outcome.messages),
        terminatedAt: startedAt,
        requestIds: outcome.requestIds,
        requestCount: outcome.messages.length,
    };
}

/**
 * What is wrong with the API origin that can be seen without a credential (plain http off this
 * machine; an origin from another source than credentials visible in preview), so that a pull
 * request's preview shows it rather than the `up` after the merge. Nothing is sent either way.
 */
function originFailures(): CheckFailure[] {
    try {
        const origin = resolveOrigin(processState().config, process.env);
        resolveProxy(processState().config, process.env, origin.baseUrl);
        return [];
    } catch (err) {
        if (err instanceof BoxSettingsError) return [{ property: "", reason: err.message }];
        throw err;
    }
}

/**
 * Refuses a resource too large for a partial failure of it to be recorded (record-bound.ts), but only
 * when something would be sent: a resource already recorded whole that adds no one and is not
 * replaced never fails.
 */
function sizeFailure(olds: Props, inputs: SessionTerminationInputs): CheckFailure | undefined {
    const after = principalsOf(inputs);
    // A replacement (changed triggers) sends everyone again.
    const replaced = planDiff(olds, asProps(inputs)).replaces.length > 0;
    if (!replaced && isEmpty(addedPrincipals(principalsOf(olds), after))) return undefined;
    return recordBoundFailure(after, { reason: inputs.reason, triggers: inputs.triggers });
}

/**
 * A failure as the engine should print it: with the path inside the reason and no `property`. Given
 * a property, `pulumi preview` prints "property userLogins[0] value {<nil>} has a problem: ..." (it
 * looks the path up as a key, finds nothing) or, for `reason`, the value itself; without one it prints
 * "resource 'name' has a problem: userLogins[0]: ...", which is what a reviewer needs.
 */
function forEngine(failure: CheckFailure): CheckFailure {
    return {
        property: "",
        reason: failure.property ? `${failure.property}: ${failure.reason}` : failure.reason,
    };
}

/**
 * Runs a lifecycle method so that whatever it throws reaches the engine: Pulumi's host sends errors in
 * gRPC trailers, and one too large for them is never answered (host-limits.ts).
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
            const config: RawSettings = {};
            for (const s of SETTINGS) {
                const value = req.config.get(s.configKey);
                if (value !== undefined) config[s.name] = value;
            }
            processState().config = config;
        });
    },

    /** Validates and normalizes; never calls Box and needs no credentials. */
    check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult<SessionTerminationInputs>> {
        return answered(async () => {
            const { inputs, failures } = checkInputs(asProps(news));
            // The review guardrails: from stack config or the environment, no credential needed.
            const guardrails = resolveGuardrails(processState().config, process.env);
            const refused = applyGuardrails(asProps(olds), asProps(news), guardrails);
            const size = failures.length ? undefined : sizeFailure(asProps(olds), inputs);
            // Guardrails first: they are what a reviewer must see. A list already cut to its bound stays as it is.
            const all =
                failures.length > MAX_CHECK_FAILURES
                    ? failures
                    : boundFailures([...refused, ...(size ? [size] : []), ...failures]);
            return { inputs: { ...inputs }, failures: [...originFailures(), ...all].map(forEngine) };
        });
    },

    /** Always answers `changes` explicitly, so a new provider version alone is never an update. */
    diff(_id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
        return answered(async () => {
            const plan = planDiff(asProps(olds), asProps(news));
            return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: false };
        });
    },

    /** Terminates the sessions of every listed principal; refuses to record a termination of no one. */
    create(inputs: unknown): Promise<pulumi.dynamic.CreateResult<SessionTerminationOutputs>> {
        return answered(async () => {
            const wanted = principalsToSend(inputs);
            if ("refusal" in wanted) throw new Error(wanted.refusal);
            const principals = wanted.principals;
            const id = crypto.randomUUID();
            const { outcome, startedAt } = await send(principals);
            const record = recordOfOutcome(outcome, startedAt);
            if (failed(outcome)) {
                const recorded = outputsOf(inputs, outcome.accepted, record);
                throw failure(outcome, id, recorded, asProps(inputs).__provider);
            }
            return {
                id,
                outs: outputsOf(inputs, principals, record) as unknown as SessionTerminationOutputs,
            };
        });
    },

    /** Returns state unchanged: Box keeps no record of a termination to compare with. */
    async read(
        id: string,
        props?: SessionTerminationOutputs,
    ): Promise<pulumi.dynamic.ReadResult<SessionTerminationOutputs>> {
        // Keep in step with READ_DELETE_PROVIDER (partial-failure.ts), which stands in for this after a
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
            const wanted = principalsToSend(news);
            if ("refusal" in wanted) throw new Error(wanted.refusal);
            const after = wanted.principals;
            const before = principalsOf(asProps(olds));
            const added = addedPrincipals(before, after);
            if (isEmpty(added)) {
                return {
                    outs: outputsOf(news, after, recordOf(olds)) as unknown as SessionTerminationOutputs,
                };
            }
            const { outcome, startedAt } = await send(added);
            const latest = recordOfOutcome(outcome, startedAt);
            if (failed(outcome)) {
                // State keeps every declared principal except the additions Box did not accept.
                const recorded = subtractPrincipals(after, outcome.notDone);
                throw failure(outcome, id, outputsOf(news, recorded, latest), asProps(news).__provider);
            }
            return { outs: outputsOf(news, after, latest) as unknown as SessionTerminationOutputs };
        });
    },

    /** Sends nothing: Box cannot restore a terminated session, so removing the record is all there is. */
    async delete(): Promise<void> {
        // Intentionally empty, like READ_DELETE_PROVIDER's; see the comment above.
    },
};

export = provider;
