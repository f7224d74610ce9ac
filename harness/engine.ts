/**
 * A small stand-in for the Pulumi engine, enough to take a program through preview, up, refresh and
 * destroy against the real provider host: it keeps state per URN and sequences Check, Diff, Create,
 * Update and Delete the way the engine does (Diff compares old outputs with checked new inputs; a
 * replacement creates the new resource before deleting the old).
 *
 * Partial failures (an error carrying `ErrorResourceInitFailed`) follow pulumi/pulumi's Go sources:
 * - `pkg/resource/plugin/provider_plugin.go`, `parseError`: the error becomes `InitError{Reasons}`;
 *   the provider's message is discarded, and the user sees only the reasons (or "resource init
 *   failed" when there are none). {@link InitError} reproduces that.
 * - `pkg/resource/deploy/step.go` (`CreateStep.Apply`, `UpdateStep.Apply`): a partially created
 *   resource is recorded with the new inputs and the error's properties as outputs; a partially
 *   updated one keeps its OLD inputs and takes the error's properties as outputs. Either way the
 *   reasons are kept as the resource's init errors.
 * - `pkg/resource/deploy/step_generator.go`: a resource with init errors gets an Update on the next
 *   `up` even when Diff finds no change.
 * - `pkg/engine/refresh`: a successful Read clears the init errors.
 * Read and Delete receive the recorded outputs, so they load whatever `__provider` those hold.
 */
import { HostCallError, type ProviderHost } from "./host";
import type { Registration } from "./registrations";

type Props = Record<string, unknown>;

/** A resource as the engine records it: the test kit's own shape, so the two can be compared. */
export type { ResourceState } from "../provider/testing/test-stack-events";
import type { ResourceState } from "../provider/testing/test-stack-events";

/** A partial failure as the engine reports it: only the provider's reasons, never its message. */
export class InitError extends Error {
    /** The reasons the provider gave, as the engine keeps them in state. */
    readonly reasons: string[];
    /** What the provider sent with the failure: the resource's ID and the properties recorded. */
    readonly initFailed: { id: string; properties: Props; reasons: string[] };
    /** Builds the engine's error from the provider's `ErrorResourceInitFailed`. */
    constructor(initFailed: { id: string; properties: Props; reasons: string[] }) {
        super(initFailed.reasons.length ? initFailed.reasons.join("\n") : "resource init failed");
        this.name = "InitError";
        this.reasons = initFailed.reasons;
        this.initFailed = initFailed;
    }
}

/** What happens, or would happen, to one resource. */
export interface Step {
    /** URN of the resource. */
    urn: string;
    /** Logical name. */
    name: string;
    /** The operation. */
    op: "create" | "update" | "replace" | "same" | "delete";
    /** Checked inputs (for create, update and replace). */
    inputs?: Props;
    /** The outputs in state before the step (for update, replace, same and delete). */
    previous?: Props;
    /** Outputs after the step, when it ran. */
    outputs?: Props;
    /** Properties forcing a replacement. */
    replaces?: string[];
    /**
     * The failure, as the user sees it: an {@link InitError} (reasons only) when the provider reported
     * a partial result, else the provider's error.
     */
    error?: HostCallError | InitError | Error;
}

/** Drives a {@link ProviderHost} like `pulumi preview`/`up`/`refresh`/`destroy`. */
export class MiniEngine {
    /** Current state by URN. */
    readonly state = new Map<string, ResourceState>();

    /** Uses an already configured host. */
    constructor(
        private readonly host: ProviderHost,
        private readonly project = "box-demo",
        private readonly stack = "dev",
    ) {}

    /** The URN the engine would assign. */
    urnOf(reg: Pick<Registration, "type" | "name">): string {
        return `urn:pulumi:${this.stack}::${this.project}::${reg.type}::${reg.name}`;
    }

    private async plan(regs: Registration[]): Promise<Step[]> {
        const steps: Step[] = [];
        const seen = new Set<string>();
        for (const reg of regs) {
            const urn = this.urnOf(reg);
            // As the engine does (pkg/resource/deploy/step_generator.go): before anything is sent.
            if (seen.has(urn))
                throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
            seen.add(urn);
            const old = this.state.get(urn);
            const checked = await this.host.check(urn, old?.inputs ?? {}, reg.inputs);
            if (checked.failures.length) {
                // The engine's words (pkg/resource/deploy/step_generator.go, diag.GetResourceInvalidError
                // and GetResourcePropertyInvalidValueError), one diagnostic per failure.
                const lines = checked.failures.map((f) =>
                    f.property
                        ? `${reg.type} resource '${reg.name}': property ${f.property} value ${JSON.stringify(reg.inputs[f.property])} has a problem: ${f.reason}`
                        : `${reg.type} resource '${reg.name}' has a problem: ${f.reason}`,
                );
                throw new Error(lines.join("\n"));
            }
            if (!old) {
                steps.push({ urn, name: reg.name, op: "create", inputs: checked.inputs });
                continue;
            }
            const diff = await this.host.diff(old.id, urn, old.outputs, checked.inputs);
            const unfinished = (old.initErrors?.length ?? 0) > 0;
            const op = diff.replaces.length
                ? "replace"
                : diff.changes === "none" && !unfinished
                  ? "same"
                  : "update";
            steps.push({
                urn,
                name: reg.name,
                op,
                inputs: checked.inputs,
                replaces: diff.replaces,
                previous: old.outputs,
            });
        }
        for (const [urn, res] of this.state) {
            if (!seen.has(urn)) steps.push({ urn, name: res.name, op: "delete", previous: res.outputs });
        }
        return steps;
    }

    /** Check and Diff only, as `pulumi preview` does: Create and Update are never called. */
    preview(regs: Registration[]): Promise<Step[]> {
        return this.plan(regs);
    }

    /** Runs the plan, recording state after each step; a failed step is reported, later ones still run. */
    async up(regs: Registration[]): Promise<Step[]> {
        const steps = await this.plan(regs);
        for (const step of steps) {
            try {
                await this.apply(step);
            } catch (err) {
                step.error = err as Error;
                const init = err instanceof HostCallError ? err.initFailed : undefined;
                if (init && step.inputs) {
                    step.error = new InitError(init);
                    const old = this.state.get(step.urn);
                    // Partially created: the new inputs. Partially updated: the old inputs stay.
                    const inputs = step.op === "update" && old ? old.inputs : step.inputs;
                    this.state.set(step.urn, {
                        urn: step.urn,
                        name: step.name,
                        id: init.id,
                        inputs,
                        outputs: init.properties,
                        initErrors: init.reasons,
                    });
                    step.outputs = init.properties;
                }
            }
        }
        return steps;
    }

    private async apply(step: Step): Promise<void> {
        const old = this.state.get(step.urn);
        switch (step.op) {
            case "create":
            case "replace": {
                const created = await this.host.create(step.urn, step.inputs!);
                if (old) await this.host.delete(old.id, step.urn, old.outputs);
                this.state.set(step.urn, {
                    urn: step.urn,
                    name: step.name,
                    id: created.id,
                    inputs: step.inputs!,
                    outputs: created.properties,
                });
                step.outputs = created.properties;
                return;
            }
            case "update": {
                const updated = await this.host.update(old!.id, step.urn, old!.outputs, step.inputs!);
                this.state.set(step.urn, {
                    ...old!,
                    inputs: step.inputs!,
                    outputs: updated.properties,
                    initErrors: undefined,
                });
                step.outputs = updated.properties;
                return;
            }
            case "same":
                this.state.set(step.urn, { ...old!, inputs: step.inputs! });
                step.outputs = old!.outputs;
                return;
            case "delete":
                await this.host.delete(old!.id, step.urn, old!.outputs);
                this.state.delete(step.urn);
                return;
        }
    }

    /** Reads every resource; returns the URNs whose outputs changed (none, for `--expect-no-changes`). */
    async refresh(): Promise<string[]> {
        const changed: string[] = [];
        for (const res of this.state.values()) {
            const read = await this.host.read(res.id, res.urn, res.outputs, res.inputs);
            if (JSON.stringify(read.properties) !== JSON.stringify(res.outputs) || read.id !== res.id)
                changed.push(res.urn);
            this.state.set(res.urn, { ...res, id: read.id, outputs: read.properties, initErrors: undefined });
        }
        return changed;
    }

    /** Deletes everything in state. */
    destroy(): Promise<Step[]> {
        return this.up([]);
    }
}
