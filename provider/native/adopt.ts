/**
 * Taking over a revocation recorded by the dynamic resource without sending anything to Box: the
 * `import` resource option with an ID that carries the principals already terminated, e.g.
 * `{"userLogins":["jdoe@example.com"]}`. Box keeps no record a provider could read back, so the ID is
 * the only place they can come from; the engine then checks the program's inputs against them, and
 * refuses the import if they differ (docs/languages.md, "Moving from the dynamic resource"). Pure.
 */
import * as crypto from "crypto";
import { BoxError } from "../core/errors";
import { outputsOf } from "../core/state";
import type { SessionTerminationOutputs } from "../core/types";
import { checkInputs, principalsOf } from "../core/validation";

/** What an import records: the resource's ID, its inputs and outputs. */
export interface Adopted {
    /** A fresh ID: the JSON that carried the principals is not an identifier. */
    id: string;
    /** The principals as inputs, normalized as `check` normalizes them. */
    inputs: Record<string, unknown>;
    /** The same, with a `message` saying that nothing was sent. */
    outputs: SessionTerminationOutputs;
}

/**
 * The record an import ID describes, or an error naming what is wrong with it (never quoting it: it
 * may hold a `reason`).
 */
export function adopt(importId: string): Adopted {
    let given: unknown;
    try {
        given = JSON.parse(importId);
    } catch {
        given = undefined;
    }
    if (typeof given !== "object" || given === null || Array.isArray(given))
        throw new BoxError(
            "BoxError",
            'A box:index:SessionTermination is imported by an ID that lists the principals already terminated, as JSON: {"userIds": [...], "userLogins": [...], "groupIds": [...]} (docs/languages.md). Box keeps no record to read back; nothing was sent.',
        );
    const { inputs, failures } = checkInputs(given as Record<string, unknown>);
    if (failures.length)
        throw new BoxError(
            "BoxError",
            `The import ID does not describe a termination: ${failures.map((f) => (f.property ? `${f.property}: ${f.reason}` : f.reason)).join("; ")}. Nothing was sent.`,
        );
    const plainInputs = JSON.parse(JSON.stringify(inputs)) as Record<string, unknown>;
    const outputs = outputsOf(plainInputs, principalsOf(plainInputs), {
        message: "Imported: recorded without sending anything to Box.",
    });
    return { id: crypto.randomUUID(), inputs: plainInputs, outputs };
}
