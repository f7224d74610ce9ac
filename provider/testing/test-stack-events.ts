/**
 * What the test kit reads from the engine's event stream: one result per resource, the failure the
 * CLI showed on it, and whether a failure belongs to resources (the rest of the run went on) or to
 * the whole deployment (a check failure, a duplicate name, the program itself).
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";

/** A property bag, as the engine passes them. */
export type Props = Record<string, unknown>;

/** A resource as `pulumi stack export` holds it (secrets read `"[secret]"`). */
export interface ResourceState {
    /** The resource's URN. */
    urn: string;
    /** Logical name. */
    name: string;
    /** Provider-assigned ID. */
    id: string;
    /** Inputs as recorded (with `__provider`). */
    inputs: Props;
    /** Outputs as recorded (with `__provider`). */
    outputs: Props;
    /** Reasons of a partial failure, until a later update or refresh succeeds. */
    initErrors?: string[];
}

/** What a step does to a resource, as the test kit reports it. */
export type StepOp = "create" | "update" | "replace" | "same" | "delete";

/** The oldest `pulumi` the test kit runs: the package's floor, the first that gives dynamic providers stack config. */
export const MIN_CLI_VERSION = "3.139.0";

/** Whether `[major, minor, patch]` is {@link MIN_CLI_VERSION} or later. */
export function atLeast(version: number[]): boolean {
    const floor = MIN_CLI_VERSION.split(".").map(Number);
    for (let i = 0; i < 3; i++) if (version[i] !== floor[i]) return version[i] > floor[i];
    return true;
}

/** The key Pulumi marks a secret with in state (`sdk/go/common/resource/sig`). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A copy of `value` with every secret as the CLI shows it, `"[secret]"`: a test must not depend on ciphertext. */
export function maskSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(maskSecrets);
    if (value && typeof value === "object") {
        if (SECRET_SIG in value) return "[secret]";
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
    }
    return value;
}

/** What a step did to one resource, as `pulumi up` reported it. */
export interface StepResult {
    /** Logical name. */
    name: string;
    /** URN. */
    urn: string;
    /** `create`, `update`, `replace`, `same` or `delete`. */
    op: StepOp;
    /** The checked inputs of the step (secrets read `"[secret]"`); absent for a delete. */
    inputs?: Props;
    /**
     * Outputs after the step, when it ran (after a partial failure: what the engine recorded).
     * A secret reads `"[secret]"`, as the CLI shows it.
     */
    outputs?: Props;
    /** The failure as `pulumi up` showed it on the resource: for a partially created one, only its reasons. */
    error?: string;
    /** True when the resource failed but the engine recorded a partial result (its init errors). */
    partial: boolean;
}

/** How each engine step is reported: a replacement's three steps are one `replace`. */
const OPS: Record<string, StepOp | undefined> = {
    create: "create",
    update: "update",
    same: "same",
    delete: "delete",
    replace: "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
};

interface Seen {
    urn: string;
    op: StepOp;
    inputs?: Props;
    outputs?: Props;
    failed: boolean;
    /** The engine recorded a partial result (`resource.StatusPartialFailure` in its failure event). */
    partial: boolean;
}

/** `resource.StatusPartialFailure` (sdk/go/common/resource/status.go): the engine kept what the provider returned. */
const STATUS_PARTIAL_FAILURE = 1;

/** A resource state the engine recorded, as far as the results need it. */
interface Recorded {
    outputs: Props;
}

/** The events of one command, in order. */
export class EventLog {
    private readonly seen = new Map<string, Seen>();
    private readonly errors: { urn?: string; message: string }[] = [];

    /** Takes one event from the Automation API's `onEvent`. */
    add(event: EngineEvent): void {
        const diag = event.diagnosticEvent;
        if (diag?.severity === "error") this.errors.push({ urn: diag.urn, message: diag.message.trim() });
        const meta =
            event.resourcePreEvent?.metadata ??
            event.resOutputsEvent?.metadata ??
            event.resOpFailedEvent?.metadata;
        const op = meta && OPS[meta.op];
        // The stack itself and provider resources are the engine's, not the program's.
        if (!meta || !op || meta.type.startsWith("pulumi:")) return;
        const step = this.seen.get(meta.urn) ?? { urn: meta.urn, op, failed: false, partial: false };
        if (step.op !== "replace") step.op = op;
        if (event.resourcePreEvent && meta.new && op !== "delete")
            step.inputs = maskSecrets(meta.new.inputs) as Props;
        if (event.resOutputsEvent && meta.new && op !== "delete")
            step.outputs = maskSecrets(meta.new.outputs) as Props;
        if (event.resOpFailedEvent) {
            step.failed = true;
            step.partial = event.resOpFailedEvent.status === STATUS_PARTIAL_FAILURE;
        }
        this.seen.set(meta.urn, step);
    }

    /** The errors the engine reported on `urn`, as the CLI printed them under the resource. */
    private errorOf(urn: string): string | undefined {
        const mine = this.errors.filter((e) => e.urn === urn).map((e) => e.message);
        return mine.length ? mine.join("\n") : undefined;
    }

    /**
     * Rethrows a failed command unless every error it reported belongs to a resource whose step
     * failed: then the results say what failed, and the other resources' steps stand.
     */
    throwUnlessPerResource(failure: Error, problem: string): void {
        const failed = new Set([...this.seen.values()].filter((s) => s.failed).map((s) => s.urn));
        // The CLI's closing line ("update failed"), reported on the stack, is no failure of its own.
        const general = this.errors.filter(
            (e) => !(e.urn && failed.has(e.urn)) && !/^\w+ failed$/.test(e.message),
        );
        if (failed.size > 0 && general.length === 0) return;
        const shown = general.map((e) => e.message).join("\n");
        throw new Error(shown || problem, { cause: failure });
    }

    /** One result per resource, in the order the engine took them; partial results from `state`. */
    steps(state: Map<string, Recorded>): StepResult[] {
        return [...this.seen.values()].map((s) => {
            const recorded = state.get(s.urn);
            const partial = s.failed && s.partial && recorded !== undefined;
            return {
                name: s.urn.split("::").pop()!,
                urn: s.urn,
                op: s.op,
                inputs: s.inputs,
                outputs: partial ? recorded!.outputs : s.outputs,
                error: s.failed ? (this.errorOf(s.urn) ?? "failed") : undefined,
                partial,
            };
        });
    }
}
