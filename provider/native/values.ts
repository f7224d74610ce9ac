/**
 * Values as the engine hands them to a native provider that accepts secrets: a secret arrives wrapped
 * (`{"4dabf…": "1b470…", "value": …}`) wherever it sits, and the engine no longer marks outputs secret
 * itself, so what was secret must go back wrapped. The core works on plain values; this is the
 * boundary. Pure.
 */

/** The signature key and value Pulumi marks a secret with (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Props = Record<string, unknown>;

/** Whether `value` is a wrapped secret. */
export function isSecret(value: unknown): value is { value: unknown } {
    return (
        typeof value === "object" &&
        value !== null &&
        (value as Props)[SIG_KEY] === SECRET_SIG &&
        "value" in (value as Props)
    );
}

/** `value` wrapped as a secret. */
export function secret(value: unknown): Props {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** `value` with every secret wrapper removed, at any depth. */
export function plain(value: unknown): unknown {
    if (isSecret(value)) return plain(value.value);
    if (Array.isArray(value)) return value.map(plain);
    if (typeof value === "object" && value !== null) {
        const out: Props = {};
        for (const [k, v] of Object.entries(value)) out[k] = plain(v);
        return out;
    }
    return value;
}

/** Whether `value` holds a secret anywhere. */
export function holdsSecret(value: unknown): boolean {
    if (isSecret(value)) return true;
    if (Array.isArray(value)) return value.some(holdsSecret);
    if (typeof value === "object" && value !== null) return Object.values(value).some(holdsSecret);
    return false;
}

/** Plain properties, and the top-level keys that held a secret anywhere inside. */
export interface Unwrapped {
    /** The properties without secret wrappers. */
    props: Props;
    /** Keys whose value held a secret (a secret `reason`, a list with one secret login). */
    secretKeys: string[];
}

/** Unwraps `props`, remembering which keys were secret. */
export function unwrap(props: Props | undefined): Unwrapped {
    const source = props ?? {};
    return {
        props: plain(source) as Props,
        secretKeys: Object.keys(source).filter((k) => holdsSecret(source[k])),
    };
}

/**
 * `props` with every key in `secretKeys` wrapped as a secret, whole: normalizing sorts lists, so one
 * secret entry makes its whole list secret, which is stricter and never less.
 */
export function rewrap(props: Props, secretKeys: readonly string[]): Props {
    const out: Props = { ...props };
    for (const key of secretKeys) {
        if (out[key] !== undefined && !isSecret(out[key])) out[key] = secret(out[key]);
    }
    return out;
}
