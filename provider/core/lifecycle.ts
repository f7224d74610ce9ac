/**
 * What check, diff, create and update do, whichever front door serves them (the dynamic provider, the
 * native provider plugin). A front door converts the engine's values to plain properties and back,
 * and says how to log and what a partial result records beside the true state ({@link FrontDoor});
 * everything a user can observe of the lifecycle is decided here, once.
 *
 *   check  → nothing sent; validates and normalizes inputs and applies the review guardrails
 *            (runs in preview, needs no credentials)
 *   diff   → nothing sent; new principals are an update, changed `triggers` a replacement
 *   create → POST /2.0/users/terminate_sessions  {"user_ids": [...], "user_logins": [...]}
 *            POST /2.0/groups/terminate_sessions {"group_ids": [...]}   (each only when needed)
 *   update → the same two calls, with only the principals added since the last state; none if none
 */
import * as crypto from "crypto";
import { openBoxOperation } from "./operation";
import { processState } from "./process-state";
import { resolveProxy } from "./proxy";
import { applyGuardrails } from "./guardrails";
import { refuseProtectedMembers } from "./group-members";
import { MAX_CHECK_FAILURES } from "./limits";
import { resolveGuardrails } from "./settings-guardrails";
import { resolveTransport } from "./settings-origin";
import { BoxError, BoxSettingsError } from "./errors";
import { recordBoundFailure } from "./record-bound";
import { TerminationIncompleteError, type RecordCarry } from "./partial-failure";
import { TerminationRefusedError } from "./refusal";
import { summarizeMessages, terminatePrincipals, type TerminationOutcome } from "./batches";
import { asProps, outputsOf, principalsToSend, recordOf, type TerminationRecord } from "./state";
import type { Principals, SessionTerminationInputs, SessionTerminationOutputs } from "./types";
import { planDiff, type DiffPlan } from "./diff";
import { addedPrincipals, isEmpty, subtractPrincipals } from "./principals";
import { boundFailures, checkInputs, type CheckFailure, principalsOf, UNKNOWN } from "./validation";

type Props = Record<string, unknown>;

/** What a front door tells the lifecycle. */
export interface FrontDoor {
    /** Shows a line in `pulumi up` (a retry, a pause Box asked for, a non-default origin). */
    log(line: string): void;
    /**
     * Input keys the front door's host adds to every resource's inputs itself, which are not the
     * user's properties: check neither validates nor refuses them, and leaves them out of its answer.
     */
    hostKeys?: readonly string[];
    /**
     * What a recorded partial result carries beside the true state, for resource inputs `inputs`
     * (the dynamic resource: its `__provider`; a native provider: nothing).
     */
    carry(inputs: unknown): RecordCarry;
    /**
     * Shows how far a create or update is, replacing the previous line (a native provider's status on
     * the resource's row); absent where there is no such line (the dynamic provider knows no URN).
     */
    progress?(line: string): void;
}

/** What `check` answers: normalized inputs, and failures as the engine should print them. */
export interface CheckAnswer {
    /** The inputs, normalized (sorted, without repeats, logins lower-cased). */
    inputs: SessionTerminationInputs;
    /** Failures with the path inside the reason and no `property` (see {@link forEngine}). */
    failures: CheckFailure[];
}

/**
 * Sends the termination for `principals`; refuses placeholders, which must never reach Box, and groups
 * holding a protected user (group-members.ts).
 */
async function send(
    principals: Principals,
    door: FrontDoor,
): Promise<{ outcome: TerminationOutcome; startedAt: string }> {
    for (const list of [principals.userIds, principals.userLogins, principals.groupIds]) {
        if (list.includes(UNKNOWN))
            throw new BoxError(
                "BoxError",
                "A principal is still unknown at deployment time; nothing was sent to Box.",
            );
    }
    // Retries and pauses are warnings (kept after the run) and, where there is one, the status line
    // (so the resource's row says what it is waiting for and until when).
    const { client, settings } = openBoxOperation((line) => {
        door.log(line);
        door.progress?.(line);
    });
    // Before anything is sent: a group may hold a protected user, which check cannot see.
    await refuseProtectedMembers(
        client,
        principals.groupIds,
        resolveGuardrails(processState().config, process.env),
    );
    const startedAt = new Date().toISOString();
    const outcome = await terminatePrincipals(client, principals, {
        ...settings,
        progress: door.progress ? (line) => door.progress!(line) : undefined,
    });
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
 * and the true properties, when they can travel out of the provider (partial-failure.ts).
 */
function failure(
    outcome: TerminationOutcome,
    id: string,
    properties: SessionTerminationOutputs,
    carry: RecordCarry,
): Error {
    if (isEmpty(outcome.accepted)) {
        if (outcome.refused.length === 0)
            return outcome.error ?? new BoxError("BoxError", "termination failed");
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
        properties: { ...properties },
        carry,
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
 * What is wrong with the settings that can be seen without a credential (plain http off this
 * machine; an origin from another source than credentials visible in preview; a retry count or
 * timeout out of range), so that a pull request's preview shows it rather than the `up` after the
 * merge. Nothing is sent either way.
 */
function settingsFailures(): CheckFailure[] {
    try {
        const transport = resolveTransport(processState().config, process.env);
        resolveProxy(processState().config, process.env, transport.baseUrl);
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
function sizeFailure(
    olds: Props,
    inputs: SessionTerminationInputs,
    least: Props | undefined,
): CheckFailure | undefined {
    const after = principalsOf(inputs);
    // A replacement (changed triggers) sends everyone again.
    const replaced = planDiff(olds, asProps(inputs)).replaces.length > 0;
    if (!replaced && isEmpty(addedPrincipals(principalsOf(olds), after))) return undefined;
    return recordBoundFailure(after, { reason: inputs.reason, triggers: inputs.triggers, least });
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

/** Validates and normalizes; never calls Box and needs no credentials. */
export function checkTermination(olds: unknown, news: unknown, door: FrontDoor): CheckAnswer {
    const given = { ...asProps(news) };
    for (const key of door.hostKeys ?? []) delete given[key];
    const { inputs, failures } = checkInputs(given);
    // The review guardrails: from stack config or the environment, no credential needed.
    const guardrails = resolveGuardrails(processState().config, process.env);
    const refused = applyGuardrails(asProps(olds), asProps(news), guardrails);
    const size = failures.length ? undefined : sizeFailure(asProps(olds), inputs, door.carry(news).least);
    // Guardrails first: they are what a reviewer must see. A list already cut to its bound stays as it is.
    const all =
        failures.length > MAX_CHECK_FAILURES
            ? failures
            : boundFailures([...refused, ...(size ? [size] : []), ...failures]);
    return { inputs: { ...inputs }, failures: [...settingsFailures(), ...all].map(forEngine) };
}

/** Always answers `changes` explicitly, so a new provider version alone is never an update. */
export function diffTermination(olds: unknown, news: unknown): DiffPlan {
    return planDiff(asProps(olds), asProps(news));
}

/** Terminates the sessions of every listed principal; refuses to record a termination of no one. */
export async function createTermination(
    inputs: unknown,
    door: FrontDoor,
): Promise<{ id: string; outs: SessionTerminationOutputs }> {
    const wanted = principalsToSend(inputs);
    if ("refusal" in wanted) throw new BoxError("BoxError", wanted.refusal);
    const principals = wanted.principals;
    const id = crypto.randomUUID();
    const { outcome, startedAt } = await send(principals, door);
    const record = recordOfOutcome(outcome, startedAt);
    if (failed(outcome)) {
        const recorded = outputsOf(inputs, outcome.accepted, record);
        throw failure(outcome, id, recorded, door.carry(inputs));
    }
    return { id, outs: outputsOf(inputs, principals, record) };
}

/**
 * Terminates only the principals added since the last state; sends nothing otherwise. State from
 * any version is accepted: what it lacks (an older `message`, say) is left out, never `undefined`.
 */
export async function updateTermination(
    id: string,
    olds: unknown,
    news: unknown,
    door: FrontDoor,
): Promise<SessionTerminationOutputs> {
    const wanted = principalsToSend(news);
    if ("refusal" in wanted) throw new BoxError("BoxError", wanted.refusal);
    const after = wanted.principals;
    const before = principalsOf(asProps(olds));
    const added = addedPrincipals(before, after);
    if (isEmpty(added)) return outputsOf(news, after, recordOf(olds));
    const { outcome, startedAt } = await send(added, door);
    const latest = recordOfOutcome(outcome, startedAt);
    if (failed(outcome)) {
        // State keeps every declared principal except the additions Box did not accept.
        const recorded = subtractPrincipals(after, outcome.notDone);
        throw failure(outcome, id, outputsOf(news, recorded, latest), door.carry(news));
    }
    return outputsOf(news, after, latest);
}
